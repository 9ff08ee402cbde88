/**
 * The private DNS an Azure OpenAI account (and its key vault) resolves through, in either enterprise topology:
 * zones created in the stack and linked to its VNet, or existing central (hub) zones passed in by resource id
 * (landing zones often forbid spokes from creating zones). Outputs the zone ids the private endpoints register in.
 */
import * as pulumi from "@pulumi/pulumi";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { privateDnsZones } from "../catalogue/azure";
import { CommonArgs } from "./shared";

/** Zones a kind-OpenAI account's endpoint registers in (the cognitiveservices zone serves its other host names). */
const accountZones = [privateDnsZones.openai, privateDnsZones.cognitiveServices] as const;

export interface HubZoneIds {
    /** Resource id of the hub's `privatelink.openai.azure.com` zone. */
    openai: pulumi.Input<string>;
    /** Resource id of the hub's `privatelink.cognitiveservices.azure.com` zone. */
    cognitiveServices: pulumi.Input<string>;
    /** Resource id of the hub's `privatelink.vaultcore.azure.net` zone; required with `includeKeyVault`. */
    keyVault?: pulumi.Input<string>;
}

export interface PrivateAccessArgs extends Pick<CommonArgs, "resourceGroupName" | "tags" | "protect"> {
    /** The spoke VNet the zones are linked to (stack-created topology). */
    vnetId?: pulumi.Input<string>;
    /** Existing hub zones: when given, no zone or link is created. */
    hubZoneIds?: HubZoneIds;
    /** Also provide the Key Vault zone (for the customer-managed key's vault). Plain: it decides what exists. */
    includeKeyVault?: boolean;
}

const zoneIdPattern =
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/([^/]+)$/i;
const vnetIdPattern =
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i;

/** Synchronous checks of the arguments; every problem names the argument and what was expected. */
export function validatePrivateAccessArgs(
    args: Pick<PrivateAccessArgs, "vnetId" | "hubZoneIds" | "includeKeyVault">,
): void {
    const problems: string[] = [];
    if (args.hubZoneIds === undefined) {
        if (args.vnetId === undefined)
            problems.push(
                "vnetId: expected the spoke VNet's resource id when hubZoneIds is not given (the stack creates and links its own zones)",
            );
        else if (typeof args.vnetId === "string" && !vnetIdPattern.test(args.vnetId))
            problems.push(
                `vnetId: '${args.vnetId}' expected /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>`,
            );
    } else {
        const expected: [keyof HubZoneIds, string][] = [
            ["openai", privateDnsZones.openai],
            ["cognitiveServices", privateDnsZones.cognitiveServices],
            ["keyVault", privateDnsZones.keyVault],
        ];
        for (const [key, zone] of expected) {
            const id = args.hubZoneIds[key];
            if (typeof id !== "string") continue;
            const m = zoneIdPattern.exec(id);
            if (!m || m[1].toLowerCase() !== zone)
                problems.push(`hubZoneIds.${key}: '${id}' expected a privateDnsZones resource id ending in /${zone}`);
        }
        if (args.includeKeyVault && args.hubZoneIds.keyVault === undefined)
            problems.push(
                `hubZoneIds.keyVault: expected with includeKeyVault (the hub must provide ${privateDnsZones.keyVault} too)`,
            );
    }
    if (problems.length > 0) throw new Error(`PrivateAccess: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

export class PrivateAccess extends pulumi.ComponentResource {
    /** Zones the account's private endpoint registers in: openai, then cognitiveservices. */
    public readonly accountZoneIds: pulumi.Output<string>[];
    /** The Key Vault zone (with `includeKeyVault`). */
    public readonly keyVaultZoneIds?: pulumi.Output<string>[];
    /** Whether the zones were created here (false: hub zones were used). */
    public readonly createsZones: boolean;

    constructor(name: string, args: PrivateAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("azure-openai-lz:network:PrivateAccess", name, {}, opts);
        validatePrivateAccessArgs(args);
        this.createsZones = args.hubZoneIds === undefined;
        const hub = args.hubZoneIds;

        if (hub) {
            this.accountZoneIds = [pulumi.output(hub.openai), pulumi.output(hub.cognitiveServices)];
            this.keyVaultZoneIds =
                args.includeKeyVault && hub.keyVault !== undefined ? [pulumi.output(hub.keyVault)] : undefined;
        } else {
            // Validation guarantees vnetId in this topology.
            const vnetId = args.vnetId as pulumi.Input<string>;
            const zoneFor = (zoneName: string) => {
                const key = zoneName.split(".")[1];
                const zone = new privatedns.PrivateZone(
                    `${name}-${key}`,
                    {
                        privateZoneName: zoneName,
                        resourceGroupName: args.resourceGroupName,
                        location: "global",
                        tags: args.tags,
                    },
                    { parent: this, protect: args.protect },
                );
                new privatedns.VirtualNetworkLink(
                    `${name}-${key}-link`,
                    {
                        virtualNetworkLinkName: `${name}-vnet`,
                        privateZoneName: zone.name,
                        resourceGroupName: args.resourceGroupName,
                        location: "global",
                        virtualNetwork: { id: vnetId },
                        // Private endpoints register their own records through zone groups; VMs must never auto-register here.
                        registrationEnabled: false,
                        tags: args.tags,
                    },
                    { parent: zone },
                );
                return zone.id;
            };
            this.accountZoneIds = accountZones.map(zoneFor);
            this.keyVaultZoneIds = args.includeKeyVault ? [zoneFor(privateDnsZones.keyVault)] : undefined;
        }
        this.registerOutputs({
            accountZoneIds: this.accountZoneIds,
            keyVaultZoneIds: this.keyVaultZoneIds,
            createsZones: this.createsZones,
        });
    }
}
