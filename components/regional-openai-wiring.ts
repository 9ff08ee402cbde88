/**
 * What the validated stack settings mean for the landing zone's children where the mapping is more than key for key:
 * how the audit workspace is reached privately, and the gateway's residency, backends, callers and endpoints.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackSettings } from "../catalogue/stack-settings";
import { AccessControl } from "./access-control";
import { AiGatewayArgs } from "./ai-gateway-args";
import { gatewayLogCategoryList } from "./ai-gateway-telemetry";
import { AuditPrivateLinkSpec } from "./audit-logging-args";
import { OpenAiAccount } from "./openai-account";

/** How the audit workspace is reached privately where the profile requires it: the hub's AMPLS, or one of the stack. */
export function auditPrivateLink(s: StackSettings): AuditPrivateLinkSpec | undefined {
    if (!s.resolvedProfile.monitorPrivateLinkRequired) return undefined;
    const hubScope = s.network.azureMonitorPrivateLinkScopeId;
    return hubScope
        ? { existingScopeId: hubScope }
        : { subnetId: s.network.privateEndpointSubnetId, vnetId: s.network.vnetId };
}

/** Where the landing zone's parts deploy, and what makes their global names unique to the stack. */
export interface ZoneScope {
    resourceGroupName: pulumi.Output<string>;
    uniquenessSeed: string;
    subscriptionId: pulumi.Input<string>;
    tenantId: pulumi.Input<string>;
    /** The audit workspace every part sends its logs to. */
    workspaceId: pulumi.Output<string>;
}

/** The gateway's arguments when the stack has one: the zone's account behind it, its applications as callers. */
export function regionalGatewayArgs(
    s: StackSettings,
    zone: ZoneScope & { account: OpenAiAccount; access: AccessControl },
): AiGatewayArgs | undefined {
    const g = s.effectiveGateway;
    if (!g || !s.gateway) return undefined;
    const { account, access, workspaceId } = zone;
    return {
        resourceGroupName: zone.resourceGroupName,
        location: s.location,
        tags: s.allTags,
        namePrefix: s.namePrefix,
        uniquenessSeed: zone.uniquenessSeed,
        subscriptionId: zone.subscriptionId,
        tenantId: zone.tenantId,
        residency: {
            profile: s.resolvedProfile.id,
            allowedRegions: s.resolvedProfile.allowedRegions,
            allowedDeploymentSkus: s.resolvedProfile.allowedDeploymentSkus,
            publicInboundAllowed: g.publicInboundAllowed,
            bodyLoggingAllowed: g.bodyLoggingAllowed,
        },
        integrationSubnetId: s.gateway.integrationSubnetId,
        units: s.gateway.units,
        publisherEmail: g.publisherEmail,
        backends: [
            {
                key: "primary",
                accountId: account.accountId,
                customSubDomainName: account.customSubDomainName,
                location: s.location,
                deployments: s.deployments,
            },
        ],
        callers: g.callers.map((c) =>
            "application" in c
                ? {
                      key: c.application,
                      clientId: access.appIdentityClientIds.apply((ids) => ids[c.application]),
                      team: c.team,
                  }
                : { key: `client-${c.clientId.toLowerCase()}`, clientId: c.clientId, team: c.team },
        ),
        limits: g.limits,
        privateEndpoint: {
            subnetId: s.network.privateEndpointSubnetId,
            privateDnsZoneIds: s.gateway.privateDnsZoneId ? [s.gateway.privateDnsZoneId] : [],
        },
        dnsZoneVnetId: s.gateway.privateDnsZoneId ? undefined : s.network.vnetId,
        workspaceId,
        diagnosticSettings: { workspaceId, categories: gatewayLogCategoryList },
        firstDeployment: s.gateway.firstDeployment,
        // No lock: the gateway holds no data, and a lock on the service would block deleting its children
        // (a caller's named value when an application is offboarded).
    };
}
