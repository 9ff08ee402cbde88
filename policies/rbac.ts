/**
 * Least privilege on every scope of the landing zone. A role assignment on the account (or a deployment or
 * content filter under it), the audit workspace (or its tables), the Key Vault (or its key), the resource group or
 * anything above it may grant only the roles the platform grants on that kind of scope, never Owner, Contributor,
 * User Access Administrator or another role-granting or key-reading role, and only to groups or service principals.
 * Assignments on any other resource of the stack are held to the same denied roles and principal types. A vault on
 * legacy access policies (what Azure OpenAI's customer-managed keys require) grants by access policy instead: each
 * may give only an account's identity only the key permissions unwrapping needs.
 */
import { PolicyConfigSchema, PolicyResource } from "@pulumi/policy";
import {
    allowedRolesByScope,
    builtInRoles,
    cmkKeyPermissions,
    forbiddenRoles,
    RoleScopeKind,
    types,
} from "../catalogue/azure";
import { asArray, cannotKnow, describe, isObject, known, peek, show, unknown } from "./core";
import { accountTypes, canonicalType, deploymentTypes, StackIndex } from "./stack-index";
import { StackProblem, stackRule } from "./stack-rule";

/** Stack resources by the kind of scope an assignment on them is: a child counts as its parent's scope. */
const scopeKindOfType = new Map<string, RoleScopeKind>([
    ...[...accountTypes, ...deploymentTypes, types.raiPolicy, types.raiBlocklist, types.raiBlocklistItem].map(
        (t) => [t, "account"] as const,
    ),
    ...[types.workspace, types.workspaceTable, types.savedSearch].map((t) => [t, "workspace"] as const),
    ...[types.vault, types.vaultKey].map((t) => [t, "keyVault"] as const),
    [types.resourceGroup, "container"] as const,
]);

/** Scopes outside the stack, by id (ARM ids are case-insensitive). Resource scopes first: their ids contain a resource group. */
const externalScopePatterns: [RoleScopeKind, RegExp][] = [
    ["account", /\/providers\/microsoft\.cognitiveservices\/accounts\/[^/]+(\/.*)?$/i],
    ["workspace", /\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+(\/.*)?$/i],
    ["keyVault", /\/providers\/microsoft\.keyvault\/(vaults|managedhsms)\/[^/]+(\/.*)?$/i],
    ["container", /^\/subscriptions\/[^/]+(\/resourcegroups\/[^/]+)?\/?$/i],
    ["container", /^\/providers\/microsoft\.management\/managementgroups\/[^/]+\/?$/i],
    ["container", /^\/$/],
];

/** `other`: a resource of the stack that is none of the kinds above (denied roles and principal types still apply). */
type ScopeKind = RoleScopeKind | "other";

const scopeLabels: Record<ScopeKind, string> = {
    account: "the Azure OpenAI account",
    workspace: "the audit workspace",
    keyVault: "the Key Vault",
    container: "a resource group, subscription or management group",
    other: "a resource of the landing zone",
};

const roleNameById = new Map<string, string>(Object.entries(builtInRoles).map(([name, id]) => [id, name]));
const roleIds = (roles: readonly string[]) => roles.map((r) => builtInRoles[r as keyof typeof builtInRoles]);

function kindOf(r: PolicyResource): ScopeKind {
    return scopeKindOfType.get(canonicalType(r.type)) ?? "other";
}

/** The stack's distinct canonical types, once per index (every role assignment asks; a fleet has thousands). */
const typesByIndex = new WeakMap<StackIndex, string[]>();
function typesIn(index: StackIndex): string[] {
    let types = typesByIndex.get(index);
    if (!types) {
        types = [...new Set(index.resources.map((r) => canonicalType(r.type)))];
        typesByIndex.set(index, types);
    }
    return types;
}

/**
 * The kinds of scope an assignment is on; empty when it is outside the landing zone. The scope is followed as the
 * stack index follows an extension resource's (by URN in a preview, by the known id, else by the assignment's own id);
 * an id outside the stack is matched as an ARM id. In a preview, an id derived from several resources is the most
 * specific one's (an id built from the resource group and the account is the account's).
 */
function scopeKinds(index: StackIndex, ra: PolicyResource): ScopeKind[] {
    const everyType = typesIn(index);
    const link = index.scopeOf(ra, "scope", everyType);
    if (link.kind === "missing") return [];
    if (link.kind === "external")
        return externalScopePatterns
            .filter(([, re]) => re.test(link.id))
            .slice(0, 1)
            .map(([kind]) => kind);
    const kinds = [...new Set(link.resources.map(kindOf))];
    const specific = kinds.filter((k) => k !== "container");
    return specific.length > 0 ? specific : kinds;
}

/** What an access policy may grant, on the vault's other permission lists: nothing. */
const otherPermissions = ["secrets", "certificates", "storage"];

/**
 * One access policy entry (an AccessPolicy resource's `policy`, or an item of a vault's `properties.accessPolicies`):
 * only key permissions, only those allowed, only to the identity of an account of the stack (linked by URN in a
 * preview, by its known principal id otherwise).
 */
function judgeAccessPolicy(
    index: StackIndex,
    at: PolicyResource,
    path: string,
    entry: unknown,
    derivedFrom: PolicyResource[],
    allowedKeys: string[],
    problem: StackProblem,
): void {
    if (!isObject(entry)) return;
    const keys = peek(entry, "permissions", "keys");
    if (keys === unknown) cannotKnow(`${describe(at)}: ${path}.permissions.keys`);
    const extra = asArray(keys)
        .map(String)
        .filter((k) => !allowedKeys.some((a) => a.toLowerCase() === k.toLowerCase()));
    if (extra.length > 0)
        problem(
            at,
            `${path}.permissions.keys`,
            `grant ${extra.join(", ")} beyond unwrapping the key`,
            `grant only ${allowedKeys.join(", ")}`,
        );
    for (const list of otherPermissions) {
        // In a preview the outputs carry as unknown what the program's inputs did not set: nothing granted.
        const granted = peek(entry, "permissions", list);
        if (granted !== unknown && asArray(granted).length > 0)
            problem(
                at,
                `${path}.permissions.${list}`,
                `grant ${asArray(granted).join(", ")}`,
                `grant no ${list} permission on the landing zone's vault`,
            );
    }
    const objectId = peek(entry, "objectId");
    const toAccount =
        derivedFrom.some((d) => accountTypes.includes(canonicalType(d.type))) ||
        (typeof objectId === "string" &&
            index.of(...accountTypes).some((a) => peek(a.props, "identity", "principalId") === objectId));
    if (toAccount) return;
    if (objectId === unknown && derivedFrom.length === 0) cannotKnow(`${describe(at)}: ${path}.objectId`);
    problem(
        at,
        `${path}.objectId`,
        `is ${objectId === unknown ? "derived from no Azure OpenAI account" : show(objectId)}, not the identity of an Azure OpenAI account of this stack`,
        "give vault access to the account's system identity only (people and pipelines get the platform's roles, never vault access)",
    );
}

interface RbacConfig {
    allowedAccountRoleIds: string[];
    allowedWorkspaceRoleIds: string[];
    allowedKeyVaultRoleIds: string[];
    allowedContainerRoleIds: string[];
    allowedPrincipalTypes: string[];
    allowedKeyVaultKeyPermissions: string[];
}

const roleList = (kind: RoleScopeKind, what: string): PolicyConfigSchema["properties"][string] => ({
    type: "array",
    items: { type: "string" },
    description: what,
    default: roleIds(allowedRolesByScope[kind]),
});

export const roleAssignments = stackRule<RbacConfig>({
    name: "azure-openai-role-assignment-allow-least-privilege",
    description:
        "Role assignments on any scope of the landing zone (account, deployments, audit workspace, Key Vault and key, resource group and above) must use only the roles the platform grants on that scope and go to groups or service principals, never to individual users; Key Vault access policies may give only an account's identity only the key permissions it needs.",
    severity: "high",
    concerns: [types.roleAssignment, types.vaultAccessPolicy, types.vault],
    anchors: { mcsb: "PA-7" },
    configSchema: {
        properties: {
            allowedAccountRoleIds: roleList("account", "Role definition ids allowed on an account and its children."),
            allowedWorkspaceRoleIds: roleList(
                "workspace",
                "Role definition ids allowed on the audit workspace and its tables.",
            ),
            allowedKeyVaultRoleIds: roleList("keyVault", "Role definition ids allowed on the Key Vault and its keys."),
            allowedContainerRoleIds: roleList(
                "container",
                "Role definition ids allowed on a resource group, subscription or management group.",
            ),
            allowedPrincipalTypes: {
                type: "array",
                items: { type: "string", enum: ["Group", "ServicePrincipal", "User", "ForeignGroup", "Device"] },
                default: ["Group", "ServicePrincipal"],
            },
            allowedKeyVaultKeyPermissions: {
                type: "array",
                items: { type: "string" },
                description: "Key permissions a vault access policy may give an account's identity.",
                default: [...cmkKeyPermissions],
            },
        },
    },
    remediationSteps:
        'Grant Cognitive Services OpenAI User/Contributor or Reader on the account, Log Analytics Reader on the audit workspace, Key Vault Crypto Service Encryption User on the key (to the account\'s identity only), each to an Entra ID group (principalType "Group") or a managed identity ("ServicePrincipal") through the platform\'s components; grant nothing on the resource group or above, and remove Owner, Contributor, User Access Administrator and RBAC Administrator grants. On a vault with access policies, give only the account\'s system identity get, wrapKey and unwrapKey on keys (the OpenAiAccount component does), and nothing else to anyone.',
    check: (index, config, problem) => {
        const forbidden = new Set<string>(roleIds(forbiddenRoles));
        const allowed: Record<RoleScopeKind, string[]> = {
            account: config.allowedAccountRoleIds,
            workspace: config.allowedWorkspaceRoleIds,
            keyVault: config.allowedKeyVaultRoleIds,
            container: config.allowedContainerRoleIds,
        };
        for (const ra of index.of(types.roleAssignment)) {
            const kinds = scopeKinds(index, ra);
            if (kinds.length === 0) continue;
            const on = kinds.map((k) => scopeLabels[k]).join(" and ");
            const definition = known(ra.props, "roleDefinitionId");
            const roleId = typeof definition === "string" ? (definition.split("/").pop()?.toLowerCase() ?? "") : "";
            const roleName = roleNameById.get(roleId) ?? "a custom or unlisted role";
            if (forbidden.has(roleId)) {
                problem(
                    ra,
                    "roleDefinitionId",
                    `grants ${roleName} (${roleId}) on ${on}, which can grant access or read keys`,
                    "grant a least-privilege data-plane role instead",
                );
            } else {
                for (const kind of kinds) {
                    if (kind === "other") continue;
                    const ids = allowed[kind].map((r) => r.toLowerCase());
                    if (ids.includes(roleId)) continue;
                    const fix =
                        ids.length > 0
                            ? `grant one of ${ids.map((id) => roleNameById.get(id) ?? id).join(", ")}`
                            : "grant roles on the account, workspace or key instead, never on the resource group or above";
                    problem(
                        ra,
                        "roleDefinitionId",
                        `is ${show(definition)} (${roleName}), not a role the platform grants on ${scopeLabels[kind]}`,
                        fix,
                    );
                }
            }
            const principalType = known(ra.props, "principalType");
            if (typeof principalType !== "string" || !config.allowedPrincipalTypes.includes(principalType)) {
                problem(
                    ra,
                    "principalType",
                    `is ${show(principalType)}${principalType === "User" ? ": roles go to groups, not individual users" : ""}`,
                    `grant to a ${config.allowedPrincipalTypes.join(" or ")} and set principalType explicitly`,
                );
            }
        }
        for (const ap of index.of(types.vaultAccessPolicy)) {
            judgeAccessPolicy(
                index,
                ap,
                "policy",
                known(ap.props, "policy"),
                ap.propertyDependencies.policy ?? [],
                config.allowedKeyVaultKeyPermissions,
                problem,
            );
        }
        for (const vault of index.of(types.vault)) {
            const inline = peek(vault.props, "properties", "accessPolicies");
            if (inline === unknown) cannotKnow(`${describe(vault)}: properties.accessPolicies`);
            asArray(inline).forEach((entry, i) =>
                judgeAccessPolicy(
                    index,
                    vault,
                    `properties.accessPolicies[${i}]`,
                    entry,
                    vault.propertyDependencies.properties ?? [],
                    config.allowedKeyVaultKeyPermissions,
                    problem,
                ),
            );
        }
    },
});
