// The Azure RBAC actions a deploy identity needs for what a stack creates, derived from the planned resources
// themselves (their ARM ids and the ids their inputs reference), never from a hand-kept list of services. Used by
// test/pipelines/deploy-role.test.ts to hold pipelines/roles/*.json to exactly what the stacks need.
//
// Sources (read 2026-11-27):
//   - action format {Namespace}/{resourceType}/{read|write|delete}, and the operations of each provider:
//     MicrosoftDocs/azure-docs articles/role-based-access-control/permissions/ (ai-machine-learning.md for
//     Microsoft.CognitiveServices; networking.md, monitor.md, management-and-governance.md, security.md,
//     identity.md, general.md for the others). A Pulumi create or update is an ARM PUT (write) after a GET
//     (read); a delete is an ARM DELETE (delete) polled by GET.
//   - private endpoints: subnets/join/action on the subnet, and for automatic approval
//     {target type}/privateEndpointConnectionsApproval/action on the target (articles/private-link/rbac-permissions.md).
//     Microsoft.KeyVault/vaults/PrivateEndpointConnectionsApproval/action is in the Key Vault operations list;
//     the Cognitive Services list read has no such action: UNVERIFIED that Cognitive Services checks it.
//   - DNS zone groups: Microsoft.Network/privateDnsZones/join/action on each zone; virtual network links:
//     Microsoft.Network/virtualNetworks/join/action on the network (networking.md operations). UNVERIFIED
//     against a live deployment.
//   - a user-assigned identity attached to a resource: Microsoft.ManagedIdentity/userAssignedIdentities/assign/action
//     on the identity (identity.md; the Managed Identity Operator role).
//   - budgets and alert rules that notify an action group: Microsoft.Insights/actionGroups/read on it
//     (UNVERIFIED which check Azure Monitor performs; read is the narrowest that lets the reference resolve).
//   - asynchronous operations of Cognitive Services are polled at locations/operationresults
//     (Microsoft.CognitiveServices/locations/operationresults/read, ai-machine-learning.md). UNVERIFIED whether
//     other providers' polling URLs need an action of their own.
"use strict";

const { armTypeOf } = require("./arm-id.js");

const VERBS = ["read", "write", "delete"];

/** Where a reference sits in a resource's inputs, and the action it needs on the referenced resource. */
const REFERENCES = [
    {
        type: "azure-native:network:PrivateEndpoint",
        ids: (i) => [i.subnet && i.subnet.id],
        actions: () => [
            "Microsoft.Network/virtualNetworks/subnets/read",
            "Microsoft.Network/virtualNetworks/subnets/join/action",
        ],
    },
    {
        type: "azure-native:network:PrivateEndpoint",
        ids: (i) => (i.privateLinkServiceConnections || []).map((c) => c.privateLinkServiceId),
        actions: (id) => [`${armTypeOf(id)}/privateEndpointConnectionsApproval/action`],
    },
    {
        type: "azure-native:network:PrivateDnsZoneGroup",
        ids: (i) => (i.privateDnsZoneConfigs || []).map((c) => c.privateDnsZoneId),
        actions: () => ["Microsoft.Network/privateDnsZones/join/action"],
    },
    {
        type: "azure-native:privatedns:VirtualNetworkLink",
        ids: (i) => [i.virtualNetwork && i.virtualNetwork.id],
        actions: () => ["Microsoft.Network/virtualNetworks/join/action"],
    },
    // The AI gateway's outbound VNet integration joins its subnet (integrate-vnet-outbound.md: subnets/join/action).
    {
        type: "azure-native:apimanagement:ApiManagementService",
        ids: (i) => [i.virtualNetworkConfiguration && i.virtualNetworkConfiguration.subnetResourceId],
        actions: () => [
            "Microsoft.Network/virtualNetworks/subnets/read",
            "Microsoft.Network/virtualNetworks/subnets/join/action",
        ],
    },
    {
        type: "azure-native:consumption:Budget",
        ids: (i) => Object.values(i.notifications || {}).flatMap((n) => n.contactGroups || []),
        actions: () => ["Microsoft.Insights/actionGroups/read"],
    },
    {
        type: "azure-native:monitor:ScheduledQueryRule",
        ids: (i) => (i.actions && i.actions.actionGroups) || [],
        actions: () => ["Microsoft.Insights/actionGroups/read"],
    },
    // azure-native v3 takes a list of identity ids; the ARM body (and v2) a map keyed by them.
    {
        type: "*",
        ids: (i) => {
            const u = i.identity && i.identity.userAssignedIdentities;
            return Array.isArray(u) ? u : Object.keys(u || {});
        },
        actions: () => ["Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"],
    },
];

/**
 * Types whose ARM operations are not read/write/delete of their own. A vault's access policy entry is changed by
 * PUT .../vaults/{vault}/accessPolicies/{add|replace|remove}: the Key Vault operations list (security.md, read
 * 2026-11-27) has only Microsoft.KeyVault/vaults/accessPolicies/write for it, and reading it is reading the vault.
 */
const OWN_ACTIONS = {
    "Microsoft.KeyVault/vaults/accessPolicies": [
        "Microsoft.KeyVault/vaults/accessPolicies/write",
        "Microsoft.KeyVault/vaults/read",
    ],
};

/** Extra actions a managed type needs on itself beyond read/write/delete. */
const POLLING = {
    "Microsoft.CognitiveServices": ["Microsoft.CognitiveServices/locations/operationresults/read"],
};

/**
 * Every action the planned resources of a stack need, each with the id it applies to and whether that id is a
 * resource of the stack itself (`inStack`) or one it only references (hub DNS zones, a spoke subnet, a shared
 * action group). Throws on an azure-native resource whose id is not an ARM id.
 */
function requiredActions(resources) {
    const managed = resources.filter((r) => r.custom && r.type.startsWith("azure-native:"));
    const ids = new Set(managed.map((r) => String(r.id).toLowerCase()));
    const out = [];
    for (const r of managed) {
        if (typeof r.id !== "string" || !r.id)
            throw new Error(`${r.urn}: no id (plan in update mode so ids are known)`);
        const armType = armTypeOf(r.id);
        for (const action of OWN_ACTIONS[armType] || VERBS.map((verb) => `${armType}/${verb}`))
            out.push({ action, target: r.id, inStack: true, from: r.type });
        for (const a of POLLING[armType.split("/")[0]] || [])
            out.push({ action: a, target: r.id, inStack: true, from: r.type });
        for (const ref of REFERENCES) {
            if (ref.type !== "*" && ref.type !== r.type) continue;
            for (const id of ref
                .ids(r.inputs || {})
                .filter((x) => typeof x === "string" && x.startsWith("/subscriptions/"))) {
                for (const action of ref.actions(id))
                    out.push({ action, target: id, inStack: ids.has(id.toLowerCase()), from: r.type });
            }
        }
    }
    return out;
}

module.exports = { requiredActions, REFERENCES, POLLING, VERBS, OWN_ACTIONS };
