/**
 * The governed AI gateway: Azure API Management (Standard v2) in front of the stack's Azure OpenAI accounts. Callers
 * reach it only through its private endpoint and prove who they are with Entra ID tokens; it enforces the stack's token
 * rate, daily and monthly quotas (from its USD limits) and the per-request cap, emits token metrics per caller, team and
 * deployment, and calls the accounts through their private endpoints with its own managed identity. No API key exists
 * anywhere: no subscription is required or created, and the accounts have local auth disabled.
 */
import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import { componentGatewayTier } from "../catalogue/gateway";
import { GatewayTokenLimits } from "../catalogue/gateway-limits";
import { gatewayApi } from "./ai-gateway-api";
import { AiGatewayArgs, validateAiGatewayArgs } from "./ai-gateway-args";
import { gatewayBackends } from "./ai-gateway-backends";
import { attachGatewayInbound } from "./ai-gateway-inbound";
import { gatewayServiceName } from "./ai-gateway-naming";
import { gatewayTelemetry } from "./ai-gateway-telemetry";
import { assignRoles, attachDiagnostics, attachLock } from "./shared";

export { completionOperations, gatewayOperations } from "./ai-gateway-api";
export { validateAiGatewayArgs } from "./ai-gateway-args";
export type { AiGatewayArgs, AiGatewayBackend, AiGatewayCaller, AiGatewayResidency } from "./ai-gateway-args";
export { gatewayServiceName } from "./ai-gateway-naming";
export { gatewayLogCategoryList } from "./ai-gateway-telemetry";

export class AiGateway extends pulumi.ComponentResource {
    public readonly serviceName: string;
    public readonly serviceId: pulumi.Output<string>;
    /** What callers use as the Azure OpenAI endpoint: `https://<service>.azure-api.net` (resolved privately). */
    public readonly gatewayUrl: string;
    /** Object id of the gateway's system-assigned identity. */
    public readonly principalId: pulumi.Output<string>;
    public readonly limits: GatewayTokenLimits;

    constructor(name: string, args: AiGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("azure-openai-lz:gateway:AiGateway", name, {}, opts);
        validateAiGatewayArgs(args);
        const { resourceGroupName, location, tags } = args;
        this.serviceName = gatewayServiceName(args.namePrefix, args.uniquenessSeed);
        this.gatewayUrl = `https://${this.serviceName}.azure-api.net`;
        this.limits = args.limits;
        const publicAccess = args.residency.publicInboundAllowed || args.firstDeployment ? "Enabled" : "Disabled";

        const service = new apimanagement.ApiManagementService(
            `${name}-service`,
            {
                serviceName: this.serviceName,
                resourceGroupName,
                location,
                sku: { name: componentGatewayTier, capacity: args.units ?? 1 },
                identity: { type: "SystemAssigned" },
                publisherEmail: args.publisherEmail,
                publisherName: `${args.namePrefix} AI platform`,
                publicNetworkAccess: publicAccess,
                // Standard v2 outbound VNet integration: "External" with the integration subnet (integrate-vnet-outbound.md;
                // Azure-Samples/ai-hub-gateway-solution-accelerator apim.bicep sets v2 SKUs this way), read 2026-11-27.
                virtualNetworkType: "External",
                virtualNetworkConfiguration: { subnetResourceId: args.integrationSubnetId },
                // Control-plane API versions before 2021-08-01 returned secrets in GET responses (Azure Policy
                // "API Management minimum API version should be set to 2019-12-01 or higher").
                apiVersionConstraint: { minApiVersion: "2021-08-01" },
                // No developer portal: callers are applications with identities, not people browsing for keys.
                developerPortalStatus: "Disabled",
                tags,
            },
            { parent: this },
        );
        this.serviceId = service.id;
        this.principalId = service.identity.apply((i) => i?.principalId ?? "");

        attachGatewayInbound(this, name, args, service);
        const routing = gatewayBackends(this, name, args, service, {
            serviceName: this.serviceName,
            principalId: this.principalId,
        });
        const diagnostics = gatewayTelemetry(this, name, args, service, this.principalId);
        gatewayApi(this, name, args, service, routing, diagnostics);

        attachDiagnostics(this, name, service.id, args.diagnosticSettings);
        if (args.roleAssignments?.length)
            assignRoles(this, name, service.id, args.subscriptionId, args.roleAssignments);
        attachLock(this, name, service.id, args.lock);

        this.registerOutputs({
            serviceName: this.serviceName,
            serviceId: this.serviceId,
            gatewayUrl: this.gatewayUrl,
            principalId: this.principalId,
            limits: this.limits,
        });
    }
}
