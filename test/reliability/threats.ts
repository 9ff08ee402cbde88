/**
 * The threat corpus: what an attacker or a careless engineer does to a landing zone, written from the threat side
 * and not from the pack's own metadata. Each entry names the policy that must catch it; the suite
 * (threat-corpus.test.ts) applies it to the recorded plan of a committed stack and proves that this policy is among
 * the mandatory findings the weakened plan raises, in preview and in update. The region and tag threats are
 * instantiated for every resource type the landing zone's plans place in a region or tag (`planThreats`), whatever
 * the pack declares it judges, so a type no rule covers shows up as a miss, not as an omission.
 */
import { builtInRoles, privateDnsZones, types } from "../../catalogue/azure";
import { gatewayTypes } from "../../catalogue/gateway";
import { getProfile, profileIds } from "../../catalogue/profiles";
import type { PlannedResource } from "../../plan/mock-runtime";
import { added, drop, foreignRegion, Obj, ofType, Operator, props, refersTo, StackContext } from "./mutants";

/** The kinds of move, as the docs group them. */
export const moves = [
    "open it to the network",
    "add a key or drop the identity",
    "widen a role",
    "move data or run another model",
    "silence the logs",
    "weaken the content filter",
    "remove deletion protection",
    "overspend unnoticed",
    "untag or mislabel",
    "bypass the pack",
] as const;
export type Move = (typeof moves)[number];

export interface Threat extends Operator {
    move: Move;
    /** The policy that must be among the mandatory findings the threat raises, in preview and update. */
    caughtBy: string;
}

const armTemplateDeployment = "azure-native:resources:Deployment";
const first = (type: string) => (rs: PlannedResource[]) => rs.find((r) => r.type === type);
const account = first(types.account);
const accountEndpoint = (rs: PlannedResource[]) =>
    rs
        .filter(
            (r) =>
                r.type === types.privateEndpoint &&
                JSON.stringify(r.inputs.privateLinkServiceConnections ?? "").includes('"account"'),
        )
        .slice(0, 1);
const accountZoneGroup = (rs: PlannedResource[]) =>
    rs
        .filter(
            (r) => r.type === types.privateDnsZoneGroup && JSON.stringify(r.inputs).includes(privateDnsZones.openai),
        )
        .slice(0, 1);
const accountDiagnostics = (rs: PlannedResource[]) => {
    const a = account(rs);
    return rs
        .filter((r) => r.type === types.diagnosticSetting && a !== undefined && refersTo(r, "resourceUri", a))
        .slice(0, 1);
};
const roleAssignments = (rs: PlannedResource[]) => rs.filter((r) => r.type === types.roleAssignment);
const withRole = (roleId: string) => (t: PlannedResource) => {
    t.inputs.roleDefinitionId = String(t.inputs.roleDefinitionId).replace(/[0-9a-f-]{36}$/, roleId);
};
const roleDefinition = (rs: PlannedResource[], roleId: string) =>
    String(
        roleAssignments(rs)[0]?.inputs.roleDefinitionId ??
            "/subscriptions/00000000-0000-4000-8000-000000000001/providers/Microsoft.Authorization/roleDefinitions/x",
    ).replace(/[0-9a-f-]{36}$/, roleId);
const filters = (t: PlannedResource) => props(t).contentFilters as Obj[];

/**
 * Production stacks protect the account, workspace and vault and lock them with CanNotDelete: either stops a mistaken
 * destroy, so taking protection away means both.
 */
function unprotect(t: PlannedResource, rs: PlannedResource[]): PlannedResource[] {
    t.protect = false;
    return rs.filter((r) => !(r.type === types.managementLock && refersTo(r, "scope", t)));
}

/** A new role assignment at the scope of `target`, to a group (the widening is the role alone). */
const grantAt = (roleId: string, name: string) => (target: PlannedResource, rs: PlannedResource[]) => [
    ...rs,
    added(
        rs,
        types.roleAssignment,
        name,
        {
            principalId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            principalType: "Group",
            roleDefinitionId: roleDefinition(rs, roleId),
        },
        { scope: target },
    ),
];

/** Every scope the landing zone creates, by the resource that is the scope. */
const scopes: [string, string][] = [
    ["the account", types.account],
    ["a model deployment", types.deployment],
    ["the audit workspace", types.workspace],
    ["the CMK vault", types.vault],
    ["the CMK key", types.vaultKey],
    ["the resource group", types.resourceGroup],
];

/** A classic-provider (`@pulumi/azure`) twin of the account, private and keyless except for `weak`. */
const classicTwin = (name: string, weak: Obj) => (a: PlannedResource, rs: PlannedResource[], ctx: StackContext) => [
    ...rs,
    added(rs, types.classicAccount, name, {
        name,
        kind: "OpenAI",
        skuName: "S0",
        location: a.inputs.location,
        resourceGroupName: a.inputs.resourceGroupName,
        tags: a.inputs.tags,
        identity: { type: "SystemAssigned" },
        customSubdomainName: `${name}-${ctx.stack}`,
        publicNetworkAccessEnabled: false,
        localAuthEnabled: false,
        networkAcls: { defaultAction: "Deny", ipRules: [], virtualNetworkRules: [] },
        outboundNetworkAccessRestricted: true,
        fqdns: ["example.search.windows.net"],
        ...weak,
    }),
];

const network: Threat[] = [
    {
        move: "open it to the network",
        caughtBy: "azure-openai-account-disallow-public-network-access",
        id: "public network access switched on",
        type: types.account,
        input: "properties.publicNetworkAccess",
        apply: (t) => {
            props(t).publicNetworkAccess = "Enabled";
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-account-disallow-public-network-access",
        id: "public network access left to Azure's default (Enabled)",
        type: types.account,
        input: "properties.publicNetworkAccess",
        apply: (t) => {
            delete props(t).publicNetworkAccess;
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-account-enforce-network-acl-deny",
        id: "network ACL default action Allow",
        type: types.account,
        input: "properties.networkAcls.defaultAction",
        apply: (t) => {
            (props(t).networkAcls as Obj).defaultAction = "Allow";
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-account-enforce-network-acl-deny",
        id: "an IP rule for the whole internet (0.0.0.0/0)",
        type: types.account,
        input: "properties.networkAcls.ipRules",
        apply: (t) => {
            (props(t).networkAcls as Obj).ipRules = [{ value: "0.0.0.0/0" }];
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-account-enforce-network-acl-deny",
        id: "a virtual network rule for another subnet",
        type: types.account,
        input: "properties.networkAcls.virtualNetworkRules",
        apply: (t) => {
            (props(t).networkAcls as Obj).virtualNetworkRules = [
                {
                    id: "/subscriptions/00000000-0000-4000-8000-000000000009/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/other/subnets/s",
                },
            ];
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-account-enforce-network-acl-deny",
        id: "network ACL removed",
        type: types.account,
        input: "properties.networkAcls",
        apply: (t) => {
            delete props(t).networkAcls;
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-account-restrict-outbound-access",
        id: "outbound access unrestricted (exfiltration path)",
        type: types.account,
        input: "properties.restrictOutboundNetworkAccess",
        apply: (t) => {
            props(t).restrictOutboundNetworkAccess = false;
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-account-require-private-endpoint",
        id: "private endpoint removed",
        type: types.privateEndpoint,
        input: "privateEndpoint",
        targets: accountEndpoint,
        apply: (t, rs) => drop(t, rs),
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-account-require-private-endpoint",
        id: "private endpoint to another sub-resource",
        type: types.privateEndpoint,
        input: "privateLinkServiceConnections[0].groupIds",
        targets: accountEndpoint,
        apply: (t) => {
            (t.inputs.privateLinkServiceConnections as Obj[])[0].groupIds = ["vault"];
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-account-require-private-endpoint",
        id: "private endpoint left waiting for manual approval",
        type: types.privateEndpoint,
        input: "manualPrivateLinkServiceConnections",
        targets: accountEndpoint,
        apply: (t) => {
            t.inputs.manualPrivateLinkServiceConnections = t.inputs.privateLinkServiceConnections;
            delete t.inputs.privateLinkServiceConnections;
            t.propertyDependencies.manualPrivateLinkServiceConnections =
                t.propertyDependencies.privateLinkServiceConnections ?? [];
            delete t.propertyDependencies.privateLinkServiceConnections;
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-private-endpoint-configure-dns-zone-group",
        id: "DNS zone group removed (clients resolve the public address)",
        type: types.privateDnsZoneGroup,
        input: "privateEndpoint.privateDnsZoneIds",
        targets: accountZoneGroup,
        apply: (t, rs) => drop(t, rs),
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-private-endpoint-configure-dns-zone-group",
        id: "DNS zone group without the openai zone",
        type: types.privateDnsZoneGroup,
        input: "privateDnsZoneConfigs",
        targets: accountZoneGroup,
        apply: (t) => {
            t.inputs.privateDnsZoneConfigs = (t.inputs.privateDnsZoneConfigs as Obj[]).filter(
                (z) => !JSON.stringify(z).includes(privateDnsZones.openai),
            );
            delete t.propertyDependencies.privateDnsZoneConfigs;
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-private-dns-zone-require-vnet-link",
        id: "a private zone's virtual network link removed",
        type: types.virtualNetworkLink,
        input: "dns (created zones)",
        apply: (t, rs) => drop(t, rs),
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-private-dns-zone-require-vnet-link",
        id: "a private zone's link pointing at no virtual network",
        type: types.virtualNetworkLink,
        input: "virtualNetwork.id",
        apply: (t) => {
            delete t.inputs.virtualNetwork;
        },
    },
];

const identity: Threat[] = [
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-account-disallow-local-auth",
        id: "API keys switched on (local auth)",
        type: types.account,
        input: "properties.disableLocalAuth",
        apply: (t) => {
            props(t).disableLocalAuth = false;
        },
    },
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-account-disallow-local-auth",
        id: "disableLocalAuth left out (Azure's default keeps keys usable)",
        type: types.account,
        input: "properties.disableLocalAuth",
        apply: (t) => {
            delete props(t).disableLocalAuth;
        },
    },
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-account-enable-managed-identity",
        id: "managed identity removed",
        type: types.account,
        input: "identity",
        apply: (t) => {
            delete t.inputs.identity;
        },
    },
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-account-enable-managed-identity",
        id: "identity type None",
        type: types.account,
        input: "identity.type",
        apply: (t) => {
            t.inputs.identity = { type: "None" };
        },
    },
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-account-configure-custom-subdomain",
        id: "custom subdomain removed (Entra ID auth needs it)",
        type: types.account,
        input: "properties.customSubDomainName",
        apply: (t) => {
            delete props(t).customSubDomainName;
        },
    },
];

/** Every role assignment of the stack at once; each must draw its own finding. */
const everyAssignment = (id: string, input: string, apply: (t: PlannedResource) => void): Threat => ({
    move: "widen a role",
    caughtBy: "azure-openai-role-assignment-allow-least-privilege",
    id,
    type: types.roleAssignment,
    input,
    targets: roleAssignments,
    together: true,
    apply,
});

const access: Threat[] = [
    everyAssignment("an assignment widened to Owner", "roleAssignments.roleDefinitionId", withRole(builtInRoles.owner)),
    everyAssignment(
        "an assignment widened to Contributor",
        "roleAssignments.roleDefinitionId",
        withRole(builtInRoles.contributor),
    ),
    everyAssignment(
        "an assignment widened to User Access Administrator",
        "roleAssignments.roleDefinitionId",
        withRole(builtInRoles.userAccessAdministrator),
    ),
    everyAssignment(
        "an assignment widened to Role Based Access Control Administrator",
        "roleAssignments.roleDefinitionId",
        withRole(builtInRoles.roleBasedAccessControlAdministrator),
    ),
    everyAssignment(
        "an assignment widened to Cognitive Services Contributor (lists the keys)",
        "roleAssignments.roleDefinitionId",
        withRole(builtInRoles.cognitiveServicesContributor),
    ),
    everyAssignment("an assignment handed to a user", "roleAssignments.principalType", (t) => {
        t.inputs.principalType = "User";
    }),
    everyAssignment("an assignment's principalType left out", "roleAssignments.principalType", (t) => {
        delete t.inputs.principalType;
    }),
    ...scopes.map(([where, type]): Threat => ({
        move: "widen a role",
        caughtBy: "azure-openai-role-assignment-allow-least-privilege",
        id: `Owner granted to a group on ${where}`,
        type,
        input: "(new role assignment)",
        apply: grantAt(builtInRoles.owner, "stray-owner"),
    })),
    ...scopes.map(([where, type]): Threat => ({
        move: "widen a role",
        caughtBy: "azure-openai-role-assignment-allow-least-privilege",
        id: `User Access Administrator granted to a group on ${where}`,
        type,
        input: "(new role assignment)",
        apply: grantAt(builtInRoles.userAccessAdministrator, "stray-uaa"),
    })),
    {
        move: "widen a role",
        caughtBy: "azure-openai-role-assignment-allow-least-privilege",
        id: "Key Vault Crypto Officer granted on the CMK vault (manages and deletes keys)",
        type: types.vault,
        input: "(new role assignment)",
        apply: grantAt(builtInRoles.keyVaultCryptoOfficer, "stray-crypto-officer"),
    },
    {
        move: "widen a role",
        caughtBy: "azure-openai-role-assignment-allow-least-privilege",
        id: "Reader granted on the resource group (reaches everything in it)",
        type: types.resourceGroup,
        input: "(new role assignment)",
        apply: grantAt(builtInRoles.reader, "stray-rg-reader"),
    },
];

const firstAccessPolicy = (rs: PlannedResource[]) => rs.filter((r) => r.type === types.vaultAccessPolicy).slice(0, 1);
const permissions = (t: PlannedResource) => ((t.inputs.policy as Obj).permissions ??= {}) as Obj;
const stranger = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** The CMK vault grants by legacy access policy (what Azure OpenAI requires): the same least privilege holds there. */
const vaultAccess: Threat[] = [
    {
        move: "widen a role",
        caughtBy: "azure-openai-role-assignment-allow-least-privilege",
        id: "the account identity's vault access widened to every key permission (delete, purge, ...)",
        type: types.vaultAccessPolicy,
        input: "policy.permissions.keys",
        targets: firstAccessPolicy,
        apply: (t) => {
            permissions(t).keys = ["all"];
        },
    },
    {
        move: "widen a role",
        caughtBy: "azure-openai-role-assignment-allow-least-privilege",
        id: "the account's identity given the vault's secrets",
        type: types.vaultAccessPolicy,
        input: "policy.permissions.secrets",
        targets: firstAccessPolicy,
        apply: (t) => {
            permissions(t).secrets = ["get", "list"];
        },
    },
    {
        move: "widen a role",
        caughtBy: "azure-openai-role-assignment-allow-least-privilege",
        id: "vault access given to another principal",
        type: types.vault,
        input: "(new access policy)",
        apply: (v, rs) => {
            const policy = added(rs, types.vaultAccessPolicy, "stray-access", {
                resourceGroupName: v.inputs.resourceGroupName,
                vaultName: v.inputs.vaultName,
                policy: {
                    tenantId: props(v).tenantId,
                    objectId: stranger,
                    permissions: { keys: ["get", "wrapKey", "unwrapKey"] },
                },
            });
            policy.propertyDependencies.vaultName = [v.urn];
            return [...rs, policy];
        },
    },
    {
        move: "widen a role",
        caughtBy: "azure-openai-role-assignment-allow-least-privilege",
        id: "a user given every permission in the vault's own access-policy list",
        type: types.vault,
        input: "properties.accessPolicies",
        apply: (v) => {
            props(v).accessPolicies = [
                {
                    tenantId: props(v).tenantId,
                    objectId: stranger,
                    permissions: { keys: ["all"], secrets: ["all"], certificates: ["all"] },
                },
            ];
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-account-enforce-customer-managed-key",
        id: "the CMK vault switched to RBAC authorization (Azure OpenAI cannot use the key)",
        type: types.vault,
        input: "properties.enableRbacAuthorization",
        apply: (v) => {
            props(v).enableRbacAuthorization = true;
        },
    },
    {
        move: "remove deletion protection",
        caughtBy: "azure-openai-account-enforce-customer-managed-key",
        id: "purge protection switched off on the CMK vault (the key can be destroyed for good)",
        type: types.vault,
        input: "properties.enablePurgeProtection",
        apply: (v) => {
            props(v).enablePurgeProtection = false;
        },
    },
];

const residency: Threat[] = [
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-deployment-enforce-data-residency-sku",
        id: "a deployment on a Global SKU (prompts processed anywhere)",
        type: types.deployment,
        input: "deployments[].sku",
        apply: (t) => {
            (t.inputs.sku as Obj).name = "GlobalStandard";
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-deployment-enforce-data-residency-sku",
        id: "a deployment on a data-zone SKU where the profile has no data zone",
        type: types.deployment,
        input: "deployments[].sku",
        when: (c) => !getProfile(c.profile).allowedDeploymentSkus.includes("DataZoneStandard"),
        apply: (t) => {
            (t.inputs.sku as Obj).name = "DataZoneStandard";
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-account-enforce-customer-managed-key",
        id: "customer-managed key removed where the profile requires it",
        type: types.account,
        input: "properties.encryption",
        when: (c) => getProfile(c.profile).customerManagedKeyRequired,
        apply: (t) => {
            delete props(t).encryption;
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-account-enforce-customer-managed-key",
        id: "encryption switched to Microsoft-managed keys where the profile requires a customer-managed key",
        type: types.account,
        input: "properties.encryption.keySource",
        when: (c) => getProfile(c.profile).customerManagedKeyRequired,
        apply: (t) => {
            props(t).encryption = { keySource: "Microsoft.CognitiveServices" };
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-account-enforce-customer-managed-key",
        id: "customer-managed key without its vault URI",
        type: types.account,
        input: "properties.encryption.keyVaultProperties.keyVaultUri",
        when: (c) => getProfile(c.profile).customerManagedKeyRequired,
        apply: (t) => {
            delete ((props(t).encryption as Obj).keyVaultProperties as Obj).keyVaultUri;
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-deployment-allow-approved-models",
        id: "an unapproved model deployed",
        type: types.deployment,
        input: "deployments[].model",
        apply: (t) => {
            (props(t).model as Obj).name = "gpt-35-turbo";
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-deployment-allow-approved-models",
        id: "the model version left unpinned",
        type: types.deployment,
        input: "deployments[].version",
        apply: (t) => {
            delete (props(t).model as Obj).version;
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-account-allow-kind",
        id: "the account's kind changed to CognitiveServices (another service under the same baseline)",
        type: types.account,
        input: "kind",
        apply: (t) => {
            t.inputs.kind = "CognitiveServices";
        },
    },
];

const logging: Threat[] = [
    {
        move: "silence the logs",
        caughtBy: "azure-openai-account-enable-audit-diagnostics",
        id: "the account's diagnostic setting removed",
        type: types.diagnosticSetting,
        input: "diagnosticSettings",
        targets: accountDiagnostics,
        apply: (t, rs) => drop(t, rs),
    },
    {
        move: "silence the logs",
        caughtBy: "azure-openai-account-enable-audit-diagnostics",
        id: "diagnostic setting reduced to the Trace category",
        type: types.diagnosticSetting,
        input: "diagnosticSettings.logs",
        targets: accountDiagnostics,
        apply: (t) => {
            t.inputs.logs = [{ category: "Trace", enabled: true }];
        },
    },
    {
        move: "silence the logs",
        caughtBy: "azure-openai-account-enable-audit-diagnostics",
        id: "every diagnostic log disabled",
        type: types.diagnosticSetting,
        input: "diagnosticSettings.logs[].enabled",
        targets: accountDiagnostics,
        apply: (t) => {
            t.inputs.logs = (t.inputs.logs as Obj[]).map((l) => ({ ...l, enabled: false }));
        },
    },
    {
        move: "silence the logs",
        caughtBy: "azure-openai-account-enable-audit-diagnostics",
        id: "diagnostic metrics removed",
        type: types.diagnosticSetting,
        input: "diagnosticSettings.metrics",
        targets: accountDiagnostics,
        apply: (t) => {
            t.inputs.metrics = [];
        },
    },
    {
        move: "silence the logs",
        caughtBy: "azure-openai-account-enable-audit-diagnostics",
        id: "audit logs sent to a storage account instead of the workspace",
        type: types.diagnosticSetting,
        input: "diagnosticSettings.workspaceId",
        targets: accountDiagnostics,
        apply: (t) => {
            delete t.inputs.workspaceId;
            delete t.propertyDependencies.workspaceId;
            t.inputs.storageAccountId =
                "/subscriptions/00000000-0000-4000-8000-000000000009/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/elsewhere";
        },
    },
    {
        move: "silence the logs",
        caughtBy: "azure-openai-workspace-configure-retention",
        id: "workspace retention lowered to 30 days",
        type: types.workspace,
        input: "retention.interactiveDays",
        apply: (t) => {
            t.inputs.retentionInDays = 30;
        },
    },
    {
        move: "silence the logs",
        caughtBy: "azure-openai-workspace-configure-retention",
        id: "an audit table's total retention lowered to 30 days",
        type: types.workspaceTable,
        input: "retention.totalDays",
        apply: (t) => {
            t.inputs.totalRetentionInDays = 30;
        },
    },
    {
        move: "silence the logs",
        caughtBy: "azure-openai-workspace-configure-retention",
        id: "the audit tables removed (the workspace keeps logs only its interactive days)",
        type: types.workspace,
        input: "retention.totalDays",
        targets: (rs, c) =>
            rs
                .filter(
                    (r) =>
                        r.type === types.workspace &&
                        Number(r.inputs.retentionInDays) < getProfile(c.profile).minimumLogRetention.totalDays,
                )
                .slice(0, 1),
        apply: (_t, rs) => rs.filter((r) => r.type !== types.workspaceTable),
    },
];

const filter: Threat[] = [
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "a deployment with no content filter",
        type: types.deployment,
        input: "properties.raiPolicyName",
        apply: (t) => {
            delete props(t).raiPolicyName;
            delete t.propertyDependencies.properties;
        },
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "a deployment bound to Azure's default filter (no DLP blocklist)",
        type: types.deployment,
        input: "properties.raiPolicyName",
        apply: (t) => {
            props(t).raiPolicyName = "Microsoft.DefaultV2";
            delete t.propertyDependencies.properties;
        },
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "harm filters raised to High",
        type: types.raiPolicy,
        input: "contentFilter.blockingThreshold",
        apply: (t) => {
            props(t).contentFilters = filters(t).map((f) =>
                f.severityThreshold ? { ...f, severityThreshold: "High" } : f,
            );
        },
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "filters annotate instead of blocking",
        type: types.raiPolicy,
        input: "contentFilter",
        apply: (t) => {
            props(t).contentFilters = filters(t).map((f) => ({ ...f, blocking: false }));
        },
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "the violence filter disabled",
        type: types.raiPolicy,
        input: "contentFilter",
        apply: (t) => {
            props(t).contentFilters = filters(t).map((f) =>
                String(f.name) === "Violence" ? { ...f, enabled: false } : f,
            );
        },
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "jailbreak detection removed",
        type: types.raiPolicy,
        input: "contentFilter",
        apply: (t) => {
            props(t).contentFilters = filters(t).filter((f) => String(f.name) !== "Jailbreak");
        },
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "protected-material (text) detection disabled",
        type: types.raiPolicy,
        input: "contentFilter",
        apply: (t) => {
            props(t).contentFilters = filters(t).map((f) =>
                String(f.name) === "Protected Material Text" ? { ...f, enabled: false } : f,
            );
        },
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "streaming filter mode Deferred (content reaches the caller first)",
        type: types.raiPolicy,
        input: "properties.mode",
        apply: (t) => {
            props(t).mode = "Deferred";
        },
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "streaming filter mode Asynchronous_filter",
        type: types.raiPolicy,
        input: "properties.mode",
        apply: (t) => {
            props(t).mode = "Asynchronous_filter";
        },
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "the DLP blocklist detached from the filter",
        type: types.raiPolicy,
        input: "contentFilter.dlpPatterns",
        apply: (t) => {
            props(t).customBlocklists = [];
        },
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "the DLP blocklist no longer blocking",
        type: types.raiPolicy,
        input: "contentFilter.dlpPatterns",
        apply: (t) => {
            props(t).customBlocklists = (props(t).customBlocklists as Obj[]).map((b) => ({ ...b, blocking: false }));
        },
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "the DLP blocklist deleted",
        type: types.raiBlocklist,
        input: "contentFilter.dlpPatterns",
        apply: (t, rs) => drop(t, rs),
    },
    {
        move: "weaken the content filter",
        caughtBy: "azure-openai-deployment-enforce-content-filter",
        id: "every DLP pattern removed from the blocklist",
        type: types.raiBlocklistItem,
        input: "contentFilter.dlpPatterns",
        apply: (_t, rs) => rs.filter((r) => r.type !== types.raiBlocklistItem),
    },
];

const protection: Threat[] = [types.account, types.workspace, types.vault].map((type): Threat => ({
    move: "remove deletion protection",
    caughtBy: "azure-openai-production-require-deletion-protection",
    id: "protect off and the CanNotDelete lock dropped in production",
    type,
    input: "protect + lock",
    when: (c) => c.prod,
    apply: (t, rs) => unprotect(t, rs),
}));

const cost: Threat[] = [
    {
        move: "overspend unnoticed",
        caughtBy: "azure-openai-deployment-limit-worst-case-spend",
        id: "deployment capacity far over the daily spend limit",
        type: types.deployment,
        input: "deployments[].capacity",
        apply: (t) => {
            (t.inputs.sku as Obj).capacity = 100000;
        },
    },
    {
        move: "overspend unnoticed",
        caughtBy: "azure-openai-budget-require-notifications",
        id: "the budget deleted",
        type: types.budget,
        input: "budget",
        apply: (t, rs) => drop(t, rs),
    },
    {
        move: "overspend unnoticed",
        caughtBy: "azure-openai-budget-require-notifications",
        id: "the budget's notifications removed",
        type: types.budget,
        input: "budget.contactEmails",
        apply: (t) => {
            t.inputs.notifications = {};
        },
    },
    {
        move: "overspend unnoticed",
        caughtBy: "azure-openai-budget-require-notifications",
        id: "the budget's forecast notifications disabled",
        type: types.budget,
        input: "budget.notifications",
        apply: (t) => {
            t.inputs.notifications = Object.fromEntries(
                Object.entries(t.inputs.notifications as Obj).map(([k, n]) => [
                    k,
                    (n as Obj).thresholdType === "Forecasted" ? { ...(n as Obj), enabled: false } : n,
                ]),
            );
        },
    },
    {
        move: "overspend unnoticed",
        caughtBy: "azure-openai-budget-require-notifications",
        id: "the budget moved to another resource group",
        type: types.budget,
        input: "budget.scope",
        apply: (t) => {
            t.inputs.scope = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-somewhere-else";
            delete t.propertyDependencies.scope;
        },
    },
];

/** The tag rule judges every tagged type alike: a required tag removed is instantiated per type (planThreats). */
const labels: Threat[] = [types.account, types.deployment, types.vault].map((type): Threat => ({
    move: "untag or mislabel",
    caughtBy: "azure-openai-resource-require-tags",
    id: "labelled with another profile's compliance-profile tag",
    type,
    input: "tags.compliance-profile",
    apply: (t, _rs, c) => {
        (t.inputs.tags as Obj)["compliance-profile"] = profileIds.find((p) => p !== c.profile);
    },
}));

const bypass: Threat[] = [
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-account-disallow-public-network-access",
        id: "a classic-provider twin account open to the internet",
        type: types.classicAccount,
        input: "(bypass)",
        targets: ofType(types.account),
        apply: classicTwin("shadow-public", { publicNetworkAccessEnabled: true }),
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-account-disallow-local-auth",
        id: "a classic-provider twin account with API keys",
        type: types.classicAccount,
        input: "(bypass)",
        targets: ofType(types.account),
        apply: classicTwin("shadow-keys", { localAuthEnabled: true }),
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-deployment-enforce-data-residency-sku",
        id: "a classic-provider deployment on a Global SKU",
        type: types.classicDeployment,
        input: "(bypass)",
        targets: ofType(types.deployment),
        apply: (d, rs) => [
            ...rs,
            added(
                rs,
                types.classicDeployment,
                "shadow-classic-deployment",
                {
                    name: "shadow-classic-deployment",
                    model: { format: "OpenAI", name: "gpt-4o", version: "2024-11-20" },
                    sku: { name: "GlobalStandard", capacity: 1 },
                    raiPolicyName: (d.inputs.properties as Obj | undefined)?.raiPolicyName,
                },
                { cognitiveAccountId: account(rs)! },
            ),
        ],
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-generic-resource-disallow-cognitive-services",
        id: "a generic azure-native resource creating a Cognitive Services account",
        type: types.genericResource,
        input: "(bypass)",
        targets: ofType(types.account),
        apply: (a, rs) => [
            ...rs,
            added(rs, types.genericResource, "shadow-generic", {
                resourceProviderNamespace: "Microsoft.CognitiveServices",
                resourceType: "accounts",
                resourceName: "shadow-generic",
                parentResourcePath: "",
                apiVersion: "2024-10-01",
                kind: "OpenAI",
                location: a.inputs.location,
                resourceGroupName: a.inputs.resourceGroupName,
                properties: { publicNetworkAccess: "Enabled" },
                sku: { name: "S0" },
                tags: a.inputs.tags,
            }),
        ],
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-generic-resource-disallow-cognitive-services",
        id: "the same generic resource with the namespace in lower case",
        type: types.genericResource,
        input: "(bypass)",
        targets: ofType(types.account),
        apply: (a, rs) => [
            ...rs,
            added(rs, types.genericResource, "shadow-generic-lower", {
                resourceProviderNamespace: "microsoft.cognitiveservices",
                resourceType: "accounts",
                resourceName: "shadow-generic-lower",
                parentResourcePath: "",
                apiVersion: "2024-10-01",
                location: a.inputs.location,
                resourceGroupName: a.inputs.resourceGroupName,
                properties: {},
            }),
        ],
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-generic-resource-disallow-cognitive-services",
        id: "an ARM template deployment creating an account",
        type: armTemplateDeployment,
        input: "(bypass)",
        targets: ofType(types.account),
        apply: (a, rs) => [
            ...rs,
            added(rs, armTemplateDeployment, "shadow-arm", {
                resourceGroupName: a.inputs.resourceGroupName,
                properties: {
                    mode: "Incremental",
                    template: {
                        $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                        contentVersion: "1.0.0.0",
                        resources: [
                            {
                                type: "Microsoft.CognitiveServices/accounts",
                                apiVersion: "2024-10-01",
                                name: "shadow-arm",
                                location: a.inputs.location,
                                kind: "OpenAI",
                                sku: { name: "S0" },
                                properties: { publicNetworkAccess: "Enabled" },
                            },
                        ],
                    },
                },
            }),
        ],
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-generic-resource-disallow-cognitive-services",
        id: "an ARM template hiding the account in a nested deployment",
        type: armTemplateDeployment,
        input: "(bypass)",
        targets: ofType(types.account),
        apply: (a, rs) => [
            ...rs,
            added(rs, armTemplateDeployment, "shadow-arm-nested", {
                resourceGroupName: a.inputs.resourceGroupName,
                properties: {
                    mode: "Incremental",
                    template: {
                        contentVersion: "1.0.0.0",
                        resources: [
                            {
                                type: "Microsoft.Resources/deployments",
                                apiVersion: "2022-09-01",
                                name: "inner",
                                properties: {
                                    mode: "Incremental",
                                    template: {
                                        resources: [
                                            {
                                                type: "Microsoft.CognitiveServices/accounts/deployments",
                                                apiVersion: "2024-10-01",
                                                name: "acct/global",
                                                sku: { name: "GlobalStandard", capacity: 1 },
                                            },
                                        ],
                                    },
                                },
                            },
                        ],
                    },
                },
            }),
        ],
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-account-require-private-endpoint",
        id: "a second native account with neither endpoint nor logs",
        type: types.account,
        input: "(bypass)",
        targets: ofType(types.account),
        apply: (a, rs) => {
            const twin = added(rs, types.account, "shadow-native", structuredClone(a.inputs));
            twin.inputs.accountName = "shadow-native";
            // Where the account's properties are unknown (a CMK account's preview), the twin's are too.
            if (typeof twin.inputs.properties === "object") props(twin).customSubDomainName = "shadow-native";
            return [...rs, twin];
        },
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-account-disallow-public-network-access",
        id: "an account under an explicit API-version type token, open to the internet",
        type: "azure-native:cognitiveservices/v20250601:Account",
        input: "(bypass)",
        targets: ofType(types.account),
        apply: (a, rs) => {
            const twin = added(
                rs,
                "azure-native:cognitiveservices/v20250601:Account",
                "shadow-versioned",
                structuredClone(a.inputs),
            );
            twin.inputs.accountName = "shadow-versioned";
            // Where the account's properties are unknown (a CMK account's preview), the twin's are too: update judges them.
            if (typeof twin.inputs.properties === "object") props(twin).publicNetworkAccess = "Enabled";
            return [...rs, twin];
        },
    },
];

/**
 * The AI gateway's policy document without the elements whose opening tag holds `needle` (the generated document has
 * one tag per line; an element that is not self-closing is removed up to its closing tag).
 */
const policyWithout = (needle: string) => (t: PlannedResource) => {
    const out: string[] = [];
    let closing: string | undefined;
    for (const line of String(t.inputs.value).split("\n")) {
        if (closing) {
            if (line.trim() === closing) closing = undefined;
            continue;
        }
        if (!line.includes(needle)) out.push(line);
        else if (!line.trim().endsWith("/>")) closing = `</${/<([a-z-]+)/.exec(line)?.[1]}>`;
    }
    t.inputs.value = out.join("\n");
};
const gatewayService = ofType(gatewayTypes.service);
/** A resource added on the gateway, linked to it by URN as the SDK links a `serviceName: service.name` input. */
const onGateway = (type: string, name: string, inputs: Obj) => (service: PlannedResource, rs: PlannedResource[]) => [
    ...rs,
    added(rs, type, name, { resourceGroupName: service.inputs.resourceGroupName, ...inputs }, { serviceName: service }),
];
const gatewayDiagnostics = (rs: PlannedResource[]) => {
    const svc = gatewayService(rs)[0];
    return rs
        .filter((r) => r.type === types.diagnosticSetting && svc !== undefined && refersTo(r, "resourceUri", svc))
        .slice(0, 1);
};

const gateway: Threat[] = [
    {
        move: "open it to the network",
        caughtBy: "azure-openai-gateway-disallow-public-network-access",
        id: "the gateway's public network access on",
        type: gatewayTypes.service,
        input: "gateway.firstDeployment",
        apply: (t) => {
            t.inputs.publicNetworkAccess = "Enabled";
        },
    },
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-gateway-require-managed-identity-backend",
        id: "the gateway's managed identity removed",
        type: gatewayTypes.service,
        input: "identity",
        apply: (t) => {
            t.inputs.identity = { type: "None" };
        },
    },
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-gateway-require-entra-id-callers",
        id: "the gateway's API requires subscription keys",
        type: gatewayTypes.api,
        input: "subscriptionRequired",
        apply: (t) => {
            t.inputs.subscriptionRequired = true;
        },
    },
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-gateway-require-entra-id-callers",
        id: "a gateway subscription (an API key pair) added",
        type: gatewayTypes.subscription,
        input: "(bypass)",
        targets: gatewayService,
        apply: onGateway(gatewayTypes.subscription, "shadow-key", { displayName: "app key", scope: "/apis" }),
    },
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-gateway-require-entra-id-callers",
        id: "the gateway's Entra ID token validation removed",
        type: gatewayTypes.apiPolicy,
        input: "callers",
        apply: policyWithout("<validate-azure-ad-token"),
    },
    {
        move: "overspend unnoticed",
        caughtBy: "azure-openai-gateway-enforce-token-limits",
        id: "the gateway's token limits and quotas removed",
        type: gatewayTypes.apiPolicy,
        input: "gateway.limits",
        apply: policyWithout("<llm-token-limit"),
    },
    {
        move: "overspend unnoticed",
        caughtBy: "azure-openai-gateway-enforce-token-limits",
        id: "the gateway's per-request token cap removed",
        type: gatewayTypes.apiPolicy,
        input: "gateway.limits.perRequestTokens",
        apply: policyWithout('name="per-request-token-cap"'),
    },
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-gateway-require-managed-identity-backend",
        id: "the gateway's managed identity to the backend removed",
        type: gatewayTypes.apiPolicy,
        input: "authentication-managed-identity",
        apply: policyWithout("<authentication-managed-identity"),
    },
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-gateway-require-managed-identity-backend",
        id: "the gateway's backend called with an api-key",
        type: gatewayTypes.backend,
        input: "credentials",
        apply: (t) => {
            t.inputs.credentials = { header: { "api-key": ["{{openai-key}}"] } };
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-gateway-disallow-body-logging",
        id: "the gateway logs request bodies",
        type: gatewayTypes.diagnostic,
        input: "logBodies",
        apply: (t) => {
            ((t.inputs.frontend as Obj).request as Obj).body = { bytes: 8192 };
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-gateway-disallow-body-logging",
        id: "the gateway logs LLM prompts and completions",
        type: gatewayTypes.apiDiagnostic,
        input: "(bypass)",
        targets: gatewayService,
        apply: onGateway(gatewayTypes.apiDiagnostic, "shadow-llm-diagnostic", {
            apiId: "azure-openai",
            diagnosticId: "azuremonitor",
            loggerId: "/loggers/azuremonitor",
            largeLanguageModel: { logs: "enabled", requests: { messages: "all" }, responses: { messages: "all" } },
        }),
    },
    {
        move: "silence the logs",
        caughtBy: "azure-openai-gateway-enable-diagnostics",
        id: "the gateway's diagnostic setting removed",
        type: types.diagnosticSetting,
        input: "gateway diagnostics",
        targets: gatewayDiagnostics,
        apply: (t, rs) => drop(t, rs),
    },
];

const vaultDiagnostics = (rs: PlannedResource[]) => {
    const vault = rs.find((r) => r.type === types.vault);
    return rs
        .filter((r) => r.type === types.diagnosticSetting && vault !== undefined && refersTo(r, "resourceUri", vault))
        .slice(0, 1);
};
const tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const shadowVaultId =
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-shadow";

/** The CMK vault and key, judged on their own (the Key Vault family), and their classic-provider twins. */
const keyVault: Threat[] = [
    {
        move: "remove deletion protection",
        caughtBy: "azure-openai-key-vault-enable-purge-protection",
        id: "the vault's purge protection off",
        type: types.vault,
        input: "properties.enablePurgeProtection",
        apply: (t) => {
            props(t).enablePurgeProtection = false;
        },
    },
    {
        move: "remove deletion protection",
        caughtBy: "azure-openai-key-vault-enable-soft-delete",
        id: "the vault's soft delete off",
        type: types.vault,
        input: "properties.enableSoftDelete",
        apply: (t) => {
            props(t).enableSoftDelete = false;
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-key-vault-disallow-public-network-access",
        id: "the vault open to public networks",
        type: types.vault,
        input: "properties.publicNetworkAccess",
        apply: (t) => {
            props(t).publicNetworkAccess = "Enabled";
            (props(t).networkAcls as Obj).defaultAction = "Allow";
        },
    },
    {
        move: "widen a role",
        caughtBy: "azure-openai-key-vault-restrict-access-policies",
        id: "an inline access policy granting all key permissions",
        type: types.vault,
        input: "properties.accessPolicies",
        apply: (t) => {
            props(t).accessPolicies = [
                { tenantId: tenant, objectId: "4b1c6c3e-7f39-4e2a-9d1b-2a3c4d5e6f70", permissions: { keys: ["all"] } },
            ];
        },
    },
    {
        move: "silence the logs",
        caughtBy: "azure-openai-key-vault-enable-audit-diagnostics",
        id: "the vault's audit logs removed",
        type: types.diagnosticSetting,
        input: "diagnosticSettings (vault)",
        targets: vaultDiagnostics,
        apply: (t, rs) => drop(t, rs),
    },
    {
        move: "remove deletion protection",
        caughtBy: "azure-openai-key-vault-key-configure-rotation",
        id: "the key's rotation policy removed",
        type: types.vaultKey,
        input: "rotation",
        apply: (t) => {
            delete props(t).rotationPolicy;
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-key-vault-key-allow-key-type",
        id: "a software key where the profile requires HSM",
        type: types.vaultKey,
        input: "properties.kty",
        when: (c) => getProfile(c.profile).customerManagedKeyHsmRequired,
        apply: (t) => {
            props(t).kty = "RSA";
        },
    },
    {
        move: "widen a role",
        caughtBy: "azure-openai-key-vault-restrict-access-policies",
        id: "an access-policy resource granting all key and secret permissions",
        type: types.vaultAccessPolicy,
        input: "(bypass)",
        targets: ofType(types.vault),
        apply: (v, rs) => [
            ...rs,
            added(
                rs,
                types.vaultAccessPolicy,
                "shadow-access-policy",
                {
                    resourceGroupName: v.inputs.resourceGroupName,
                    policy: {
                        tenantId: tenant,
                        objectId: "4b1c6c3e-7f39-4e2a-9d1b-2a3c4d5e6f70",
                        permissions: { keys: ["all"], secrets: ["all"] },
                    },
                },
                { vaultName: v },
            ),
        ],
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-key-vault-enable-purge-protection",
        id: "a classic-provider vault without purge protection",
        type: types.classicVault,
        input: "(bypass)",
        targets: ofType(types.account),
        apply: (a, rs) => [
            ...rs,
            added(rs, types.classicVault, "shadow-classic-vault", {
                name: "shadow-classic-vault",
                resourceGroupName: a.inputs.resourceGroupName,
                location: a.inputs.location,
                tenantId: tenant,
                skuName: "premium",
                purgeProtectionEnabled: false,
                rbacAuthorizationEnabled: true,
                publicNetworkAccessEnabled: false,
                tags: a.inputs.tags,
            }),
        ],
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-key-vault-key-configure-rotation",
        id: "a classic-provider key without rotation",
        type: types.classicVaultKey,
        input: "(bypass)",
        targets: ofType(types.account),
        apply: (_a, rs) => [
            ...rs,
            added(rs, types.classicVaultKey, "shadow-classic-key", {
                name: "shadow-classic-key",
                keyVaultId: shadowVaultId,
                keyType: "RSA-HSM",
                keySize: 2048,
                keyOpts: ["wrapKey", "unwrapKey"],
            }),
        ],
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-key-vault-restrict-access-policies",
        id: "a classic-provider access policy granting Purge",
        type: types.classicVaultAccessPolicy,
        input: "(bypass)",
        targets: ofType(types.account),
        apply: (_a, rs) => [
            ...rs,
            added(rs, types.classicVaultAccessPolicy, "shadow-classic-access-policy", {
                keyVaultId: shadowVaultId,
                tenantId: tenant,
                objectId: "4b1c6c3e-7f39-4e2a-9d1b-2a3c4d5e6f70",
                keyPermissions: ["Get", "Purge"],
            }),
        ],
    },
];

/** The audit workspace's own settings (the Log Analytics family), Azure Monitor Private Link and Application Insights. */
const logAnalytics: Threat[] = [
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-workspace-disallow-local-auth",
        id: "the workspace's keys usable (local auth on)",
        type: types.workspace,
        input: "features.disableLocalAuth",
        apply: (t) => {
            (t.inputs.features as Obj).disableLocalAuth = false;
        },
    },
    {
        move: "move data or run another model",
        caughtBy: "azure-openai-workspace-restrict-replication",
        id: "the workspace replicating outside the profile",
        type: types.workspace,
        input: "replication (API 2025-02-01)",
        apply: (t, _rs, c) => {
            t.inputs.replication = { enabled: true, location: foreignRegion(c.profile) };
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-workspace-disallow-public-network-access",
        id: "the workspace queried from public networks",
        type: types.workspace,
        input: "publicNetworkAccessForQuery",
        when: (c) => getProfile(c.profile).monitorPrivateLinkRequired,
        apply: (t) => {
            t.inputs.publicNetworkAccessForQuery = "Enabled";
        },
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-workspace-require-private-link-scope",
        id: "the workspace left out of the private link scope",
        type: types.privateLinkScopedResource,
        input: "privateLink",
        when: (c) => getProfile(c.profile).monitorPrivateLinkRequired,
        apply: (t, rs) => drop(t, rs),
    },
    {
        move: "open it to the network",
        caughtBy: "azure-openai-monitor-private-link-scope-require-private-only",
        id: "the private link scope open for queries",
        type: types.privateLinkScope,
        input: "accessModeSettings.queryAccessMode",
        apply: (t) => {
            (t.inputs.accessModeSettings as Obj).queryAccessMode = "Open";
        },
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-workspace-disallow-local-auth",
        id: "a classic-provider workspace with local auth",
        type: types.classicWorkspace,
        input: "(bypass)",
        targets: ofType(types.workspace),
        apply: (w, rs) => [
            ...rs,
            added(rs, types.classicWorkspace, "shadow-classic-workspace", {
                name: "shadow-classic-workspace",
                resourceGroupName: w.inputs.resourceGroupName,
                location: w.inputs.location,
                sku: "PerGB2018",
                retentionInDays: 365,
                localAuthenticationEnabled: true,
                tags: w.inputs.tags,
            }),
        ],
    },
    {
        move: "add a key or drop the identity",
        caughtBy: "azure-openai-app-insights-disallow-local-auth",
        id: "Application Insights ingesting with its key (local auth on)",
        type: "azure-native:applicationinsights:Component",
        input: "disableLocalAuth",
        apply: (t) => {
            t.inputs.disableLocalAuth = false;
        },
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-app-insights-disallow-local-auth",
        id: "a classic-provider Application Insights with local auth",
        type: "azure:appinsights/insights:Insights",
        input: "(bypass)",
        targets: ofType(types.workspace),
        apply: (w, rs) => [
            ...rs,
            added(rs, "azure:appinsights/insights:Insights", "shadow-classic-insights", {
                name: "shadow-classic-insights",
                resourceGroupName: w.inputs.resourceGroupName,
                location: w.inputs.location,
                applicationType: "web",
                localAuthenticationEnabled: true,
                tags: w.inputs.tags,
            }),
        ],
    },
    {
        move: "bypass the pack",
        caughtBy: "azure-openai-monitor-private-link-scope-require-private-only",
        id: "a classic-provider private link scope open",
        type: types.classicPrivateLinkScope,
        input: "(bypass)",
        targets: ofType(types.workspace),
        apply: (w, rs) => [
            ...rs,
            added(rs, types.classicPrivateLinkScope, "shadow-classic-ampls", {
                name: "shadow-classic-ampls",
                resourceGroupName: w.inputs.resourceGroupName,
                ingestionAccessMode: "Open",
                queryAccessMode: "Open",
                tags: w.inputs.tags,
            }),
        ],
    },
];

/** The fixed corpus. */
export const threats: Threat[] = [
    ...network,
    ...identity,
    ...access,
    ...vaultAccess,
    ...residency,
    ...logging,
    ...filter,
    ...protection,
    ...cost,
    ...labels,
    ...bypass,
    ...gateway,
    ...keyVault,
    ...logAnalytics,
];

/** Threats instantiated per resource type the plans hold with a region (not global) or with tags, from the plans themselves. */
export function planThreats(planned: PlannedResource[]): Threat[] {
    const located = [
        ...new Set(
            planned
                .filter((r) => typeof r.inputs.location === "string" && r.inputs.location.toLowerCase() !== "global")
                .map((r) => r.type),
        ),
    ].sort();
    const tagged = [
        ...new Set(
            planned.filter((r) => typeof r.inputs.tags === "object" && r.inputs.tags !== null).map((r) => r.type),
        ),
    ].sort();
    const withInput = (type: string, input: "location" | "tags") => (rs: PlannedResource[]) =>
        rs
            .filter(
                (r) =>
                    r.type === type &&
                    (input === "tags"
                        ? typeof r.inputs.tags === "object"
                        : typeof r.inputs.location === "string" && r.inputs.location.toLowerCase() !== "global"),
            )
            .slice(0, 1);
    return [
        ...located.map((type): Threat => ({
            move: "move data or run another model",
            caughtBy: "azure-openai-resource-enforce-allowed-locations",
            id: "placed in a region outside the profile",
            type,
            input: "location",
            targets: withInput(type, "location"),
            apply: (t, _rs, c) => {
                t.inputs.location = foreignRegion(c.profile);
            },
        })),
        ...tagged.map((type): Threat => ({
            move: "untag or mislabel",
            caughtBy: "azure-openai-resource-require-tags",
            id: "a required tag removed",
            type,
            input: "tags.cost-center",
            targets: withInput(type, "tags"),
            apply: (t) => {
                delete (t.inputs.tags as Obj)["cost-center"];
            },
        })),
    ];
}
