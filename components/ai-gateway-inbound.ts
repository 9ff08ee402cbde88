/**
 * The AI gateway's inbound path: a private endpoint registered in privatelink.azure-api.net (the hub's zone, or one
 * created here and linked to the VNet).
 */
import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { gatewayPrivateLink } from "../catalogue/gateway";
import { AiGatewayArgs } from "./ai-gateway-args";
import { attachPrivateEndpoint } from "./shared";

export function attachGatewayInbound(
    owner: pulumi.ComponentResource,
    name: string,
    args: AiGatewayArgs,
    service: apimanagement.ApiManagementService,
): void {
    const { resourceGroupName, location, tags } = args;
    const zoneIds = [...(args.privateEndpoint?.privateDnsZoneIds ?? [])];
    if (args.privateEndpoint && zoneIds.length === 0 && args.dnsZoneVnetId !== undefined) {
        const zone = new privatedns.PrivateZone(
            `${name}-zone`,
            { privateZoneName: gatewayPrivateLink.zone, resourceGroupName, location: "global", tags },
            { parent: owner },
        );
        new privatedns.VirtualNetworkLink(
            `${name}-zone-link`,
            {
                privateZoneName: zone.name,
                resourceGroupName,
                virtualNetworkLinkName: `${args.namePrefix}-apim-link`,
                location: "global",
                virtualNetwork: { id: args.dnsZoneVnetId },
                registrationEnabled: false,
                tags,
            },
            { parent: zone },
        );
        zoneIds.push(zone.id);
    }
    if (args.privateEndpoint) {
        attachPrivateEndpoint(
            owner,
            name,
            { resourceId: service.id, groupId: gatewayPrivateLink.groupId, resourceGroupName, location, tags },
            { subnetId: args.privateEndpoint.subnetId, privateDnsZoneIds: zoneIds },
            [service],
        );
    }
}
