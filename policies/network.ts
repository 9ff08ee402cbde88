/**
 * The private network path. Every account has an auto-approved private endpoint (group `account`),
 * every endpoint registers in the right private DNS zone through a zone group, and every zone the stack creates is
 * linked to a virtual network. Links are followed by URN (preview) and by id (update); a zone group's endpoint and a
 * link's zone are URL path parameters, absent from the outputs, so they are found by URN, parent or id.
 */
import { PolicyResource } from "@pulumi/policy";
import {
    azureMonitorPrivateDnsZones,
    privateDnsZones,
    privateEndpointGroupIds,
    sovereignOpenAiZones,
    types,
} from "../catalogue/azure";
import { asArray, cannotKnow, describe, isObject, peek, unknown } from "./core";
import { accountTypes, canonicalType, StackIndex } from "./stack-index";
import { judgeEach, stackRule } from "./stack-rule";

export interface EndpointTarget {
    endpoint: PolicyResource;
    groupId: string;
    targets: PolicyResource[];
}

/** Each private endpoint with the group ids it connects and the stack resources it points to. */
function endpointTargets(index: StackIndex, targetTypes: readonly string[]): EndpointTarget[] {
    const out: EndpointTarget[] = [];
    for (const pe of index.of(types.privateEndpoint)) {
        // Manual connections wait for someone to approve them: they do not count as a private path.
        for (const conn of asArray(peek(pe.props, "privateLinkServiceConnections")).filter(isObject)) {
            const groupIds = asArray(peek(conn, "groupIds"));
            const link = index.link(
                pe,
                "privateLinkServiceConnections",
                targetTypes,
                peek(conn, "privateLinkServiceId"),
            );
            for (const groupId of groupIds) {
                if (typeof groupId === "string")
                    out.push({ endpoint: pe, groupId, targets: link.kind === "resources" ? link.resources : [] });
            }
        }
    }
    return out;
}

export const privateEndpoint = stackRule({
    name: "azure-openai-account-require-private-endpoint",
    description:
        "Every Azure OpenAI account must have an auto-approved private endpoint for its `account` sub-resource.",
    severity: "high",
    concerns: accountTypes,
    // PSRule's Azure.AI.PrivateEndpoints only checks publicNetworkAccess: it anchors the public-access rule, not this one.
    anchors: { mcsb: "NS-2", azurePolicy: "d6759c02-b87f-42b7-892e-71b3f471d782" },
    remediationSteps:
        'Create a network.PrivateEndpoint in the spoke subnet with privateLinkServiceConnections [{ privateLinkServiceId: <account id>, groupIds: ["account"] }] (the PrivateAccess component does this).',
    check: (index, _c, problem) => {
        const covered = new Set<string>();
        for (const t of endpointTargets(index, accountTypes)) {
            if (t.groupId === privateEndpointGroupIds.cognitiveServicesAccount)
                t.targets.forEach((a) => covered.add(a.urn));
        }
        for (const account of index.of(...accountTypes)) {
            if (!covered.has(account.urn))
                problem(
                    account,
                    "private endpoint",
                    'is missing (no private endpoint with group id "account" points to it)',
                    'create a private endpoint for the account with groupIds ["account"]',
                );
        }
    },
});

interface DnsConfig {
    accountZones: string[];
    vaultZones: string[];
    monitorZones: string[];
}

const zoneNameOfId = (id: string) => /\/privatednszones\/([^/]+)$/i.exec(id)?.[1]?.toLowerCase();

export const dnsZoneGroup = stackRule<DnsConfig>({
    name: "azure-openai-private-endpoint-configure-dns-zone-group",
    description:
        "Every private endpoint of an account, vault or Azure Monitor Private Link Scope must register in the matching private DNS zone through a DNS zone group, so that clients resolve the private address.",
    severity: "high",
    concerns: [types.privateEndpoint],
    anchors: { mcsb: "NS-2", azurePolicy: "c4bc6f10-cb41-49eb-b000-d5ab82e2a091" },
    configSchema: {
        properties: {
            accountZones: {
                type: "array",
                items: { type: "string" },
                minItems: 1,
                default: [privateDnsZones.openai, ...sovereignOpenAiZones],
            },
            vaultZones: { type: "array", items: { type: "string" }, minItems: 1, default: [privateDnsZones.keyVault] },
            monitorZones: {
                type: "array",
                items: { type: "string" },
                minItems: 1,
                default: [azureMonitorPrivateDnsZones.monitor],
            },
        },
    },
    remediationSteps:
        "Add a network.PrivateDnsZoneGroup to the endpoint whose privateDnsZoneConfigs include the privatelink.openai.azure.com zone (accounts), privatelink.vaultcore.azure.net (vaults) or privatelink.monitor.azure.com (Azure Monitor Private Link Scopes, with its four sibling zones), created in the stack or passed in from the hub.",
    check: (index, config, problem) => {
        const zonesFor: Record<string, string[]> = {
            [privateEndpointGroupIds.cognitiveServicesAccount]: config.accountZones.map((z) => z.toLowerCase()),
            [privateEndpointGroupIds.keyVault]: config.vaultZones.map((z) => z.toLowerCase()),
            [privateEndpointGroupIds.azureMonitor]: config.monitorZones.map((z) => z.toLowerCase()),
        };
        // Zone groups by endpoint URN: through the URN of privateEndpointName, the parent, or the group's id.
        const groupsOf = new Map<string, PolicyResource[]>();
        for (const g of index.of(types.privateDnsZoneGroup)) {
            const link = index.ownerOf(g, "privateEndpointName", types.privateEndpoint);
            const endpoints = link.kind === "resources" ? link.resources : [];
            for (const e of endpoints) groupsOf.set(e.urn, [...(groupsOf.get(e.urn) ?? []), g]);
        }
        /** The zone names a group registers in that are known, and whether some zone it registers in is not known yet. */
        const zonesOf = (g: PolicyResource): { names: Set<string>; uncertain: boolean } => {
            const names = new Set<string>();
            let uncertain = false;
            for (const z of g.propertyDependencies.privateDnsZoneConfigs ?? []) {
                if (canonicalType(z.type) !== types.privateZone) continue;
                const name = index.azureName(z);
                if (typeof name === "string") names.add(name.toLowerCase());
                else if (name === unknown) uncertain = true;
            }
            const configs = peek(g.props, "privateDnsZoneConfigs");
            if (configs === unknown) uncertain = true;
            let unknownIds = 0;
            for (const c of asArray(configs).filter(isObject)) {
                const id = peek(c, "privateDnsZoneId");
                if (typeof id === "string") names.add(zoneNameOfId(id) ?? id.toLowerCase());
                else if (id === unknown) unknownIds++;
            }
            // An id known only after deploy, and no zone of the stack linked by URN to tell which zone it is.
            if (
                unknownIds > 0 &&
                !(g.propertyDependencies.privateDnsZoneConfigs ?? []).some(
                    (z) => canonicalType(z.type) === types.privateZone,
                )
            )
                uncertain = true;
            return { names, uncertain };
        };
        const seen = new Set<string>();
        judgeEach(endpointTargets(index, [...accountTypes, types.vault, types.privateLinkScope]), (t) => {
            const wanted = zonesFor[t.groupId];
            if (!wanted || seen.has(t.endpoint.urn)) return;
            seen.add(t.endpoint.urn);
            const groups = groupsOf.get(t.endpoint.urn) ?? [];
            if (groups.length === 0) {
                problem(
                    t.endpoint,
                    "DNS zone group",
                    "is missing, so clients resolve the public address",
                    `add a PrivateDnsZoneGroup with the ${wanted[0]} zone`,
                );
                return;
            }
            const zones = groups.map(zonesOf);
            const registered = new Set(zones.flatMap((z) => [...z.names]));
            if (wanted.some((z) => registered.has(z))) return;
            if (zones.some((z) => z.uncertain))
                cannotKnow(`${describe(t.endpoint)}: the DNS zones its zone group registers in`);
            problem(
                t.endpoint,
                "privateDnsZoneConfigs",
                `register in ${[...registered].join(", ") || "no recognisable zone"} for group id "${t.groupId}"`,
                `include the ${wanted.join(" or ")} zone`,
            );
        });
    },
});

export const zoneVnetLink = stackRule({
    name: "azure-openai-private-dns-zone-require-vnet-link",
    description:
        "Every private DNS zone the stack creates must be linked to a virtual network, or no client resolves its records.",
    severity: "medium",
    concerns: [types.privateZone],
    anchors: { mcsb: "NS-2" },
    remediationSteps: "Create a privatedns.VirtualNetworkLink from the zone to the spoke (or hub) virtual network.",
    check: (index, _c, problem) => {
        const linked = new Set<string>();
        for (const l of index.of(types.virtualNetworkLink)) {
            const link = index.ownerOf(l, "privateZoneName", types.privateZone);
            const zones = link.kind === "resources" ? link.resources : [];
            const vnet = peek(l.props, "virtualNetwork", "id");
            // In a preview, an output the program did not set is unknown; one it set from another resource of the stack
            // has a property dependency. Unknown with none: the link names no virtual network.
            const unset =
                vnet === undefined ||
                vnet === "" ||
                (vnet === unknown && (l.propertyDependencies.virtualNetwork ?? []).length === 0);
            if (unset) continue;
            zones.forEach((z) => linked.add(z.urn));
        }
        for (const zone of index.of(types.privateZone)) {
            if (!linked.has(zone.urn))
                problem(
                    zone,
                    "virtual network link",
                    `is missing for ${describe(zone)}`,
                    "create a VirtualNetworkLink from the zone to the virtual network",
                );
        }
    },
});
