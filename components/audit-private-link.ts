/** The audit workspace's AMPLS: the hub's, or a private-only scope of the stack with its private endpoint and zones. */
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { azureMonitorPrivateDnsZones, privateEndpointGroupIds } from "../catalogue/azure";
import { AuditLoggingArgs, AuditPrivateLinkSpec, scopeIdPattern } from "./audit-logging-args";
import { attachPrivateEndpoint } from "./shared";

export function attachAuditPrivateLink(
    owner: pulumi.ComponentResource,
    name: string,
    args: AuditLoggingArgs,
    link: AuditPrivateLinkSpec,
    workspaceId: pulumi.Output<string>,
): void {
    const { resourceGroupName, location, tags } = args;
    const scopedName = `${args.workspaceName}-workspace`;
    if (link.existingScopeId !== undefined) {
        const [, scopeGroup, scopeName] = scopeIdPattern.exec(link.existingScopeId)!;
        new monitor.PrivateLinkScopedResource(
            `${name}-ampls-workspace`,
            { name: scopedName, scopeName, resourceGroupName: scopeGroup, linkedResourceId: workspaceId },
            { parent: owner },
        );
        return;
    }
    const scope = new monitor.PrivateLinkScope(
        `${name}-ampls`,
        {
            scopeName: `ampls-${args.workspaceName}`,
            resourceGroupName,
            // An AMPLS is a global resource; the workspace it scopes keeps its region.
            location: "global",
            // Clients on the linked network reach only the scoped workspace: no exfiltration to other Azure Monitor resources.
            accessModeSettings: { ingestionAccessMode: "PrivateOnly", queryAccessMode: "PrivateOnly" },
            tags,
        },
        { parent: owner },
    );
    const scoped = new monitor.PrivateLinkScopedResource(
        `${name}-ampls-workspace`,
        { name: scopedName, scopeName: scope.name, resourceGroupName, linkedResourceId: workspaceId },
        { parent: scope },
    );
    const zoneIds =
        link.privateDnsZoneIds ??
        Object.entries(azureMonitorPrivateDnsZones).map(([key, zoneName]) => {
            const zone = new privatedns.PrivateZone(
                `${name}-ampls-${key}`,
                { privateZoneName: zoneName, resourceGroupName, location: "global", tags },
                { parent: owner, protect: args.protect },
            );
            // Private endpoints register their records through the zone group; VMs must never auto-register here.
            new privatedns.VirtualNetworkLink(
                `${name}-ampls-${key}-link`,
                {
                    virtualNetworkLinkName: `${name}-vnet`,
                    privateZoneName: zone.name,
                    resourceGroupName,
                    location: "global",
                    virtualNetwork: { id: link.vnetId },
                    registrationEnabled: false,
                    tags,
                },
                { parent: zone },
            );
            return zone.id;
        });
    // Resources are scoped before the endpoint connects, so its DNS includes the workspace's endpoints.
    attachPrivateEndpoint(
        owner,
        `${name}-ampls`,
        { resourceId: scope.id, groupId: privateEndpointGroupIds.azureMonitor, resourceGroupName, location, tags },
        { subnetId: link.subnetId!, privateDnsZoneIds: zoneIds },
        [scoped],
    );
}
