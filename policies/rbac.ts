/**
 * Rule 19: least privilege on every scope of the landing zone. A role assignment on the account (or a deployment or
 * content filter under it), the audit workspace (or its tables), the Key Vault (or its key), the resource group or
 * anything above it may grant only the roles the platform grants on that kind of scope, never Owner, Contributor,
 * User Access Administrator or another role-granting or key-reading role, and only to groups or service principals.
 * Assignments on any other resource of the stack are held to the same denied roles and principal types.
 */
import { PolicyConfigSchema, PolicyResource } from "@pulumi/policy";
import { allowedRolesByScope, builtInRoles, forbiddenRoles, RoleScopeKind, types } from "../catalogue/azure";
import { cannotKnow, describe, known, peek, show, unknown } from "./core";
import { accountTypes, canonicalType, deploymentTypes, StackIndex } from "./stack-index";
import { stackRule } from "./stack-rule";

/** Stack resources by the kind of scope an assignment on them is: a child counts as its parent's scope. */
const scopeKindOfType = new Map<string, RoleScopeKind>([
    ...[...accountTypes, ...deploymentTypes, types.raiPolicy, types.raiBlocklist, types.raiBlocklistItem].map((t) => [t, "account"] as const),
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

/**
 * The kinds of scope an assignment is on; empty when it is outside the landing zone. A known id is looked up in the
 * stack, then matched as an ARM id; an unknown one (preview) is judged by the resources it was derived from, the most
 * specific of them (an id built from the resource group and the account is the account's).
 */
function scopeKinds(index: StackIndex, ra: PolicyResource): ScopeKind[] {
    const value = peek(ra.props, "scope");
    if (typeof value === "string" && value !== "") {
        const inStack = index.byId.get(value.toLowerCase());
        if (inStack) return [kindOf(inStack)];
        return externalScopePatterns.filter(([, re]) => re.test(value)).slice(0, 1).map(([kind]) => kind);
    }
    const derivedFrom = [...new Set((ra.propertyDependencies.scope ?? []).map(kindOf))];
    if (derivedFrom.length > 0) {
        const specific = derivedFrom.filter((k) => k !== "container");
        return specific.length > 0 ? specific : derivedFrom;
    }
    if (value === unknown) cannotKnow(`${describe(ra)}: the target of scope`);
    return [];
}

interface RbacConfig {
    allowedAccountRoleIds: string[];
    allowedWorkspaceRoleIds: string[];
    allowedKeyVaultRoleIds: string[];
    allowedContainerRoleIds: string[];
    allowedPrincipalTypes: string[];
}

const roleList = (kind: RoleScopeKind, what: string): PolicyConfigSchema["properties"][string] => ({ type: "array", items: { type: "string" }, description: what, default: roleIds(allowedRolesByScope[kind]) });

export const roleAssignments = stackRule<RbacConfig>({
    name: "azure-openai-role-assignment-allow-least-privilege",
    description: "Role assignments on any scope of the landing zone (account, deployments, audit workspace, Key Vault and key, resource group and above) must use only the roles the platform grants on that scope and go to groups or service principals, never to individual users.",
    severity: "high",
    concerns: [types.roleAssignment],
    anchors: { mcsb: "PA-7" },
    configSchema: {
        properties: {
            allowedAccountRoleIds: roleList("account", "Role definition ids allowed on an account and its children."),
            allowedWorkspaceRoleIds: roleList("workspace", "Role definition ids allowed on the audit workspace and its tables."),
            allowedKeyVaultRoleIds: roleList("keyVault", "Role definition ids allowed on the Key Vault and its keys."),
            allowedContainerRoleIds: roleList("container", "Role definition ids allowed on a resource group, subscription or management group."),
            allowedPrincipalTypes: { type: "array", items: { type: "string", enum: ["Group", "ServicePrincipal", "User", "ForeignGroup", "Device"] }, default: ["Group", "ServicePrincipal"] },
        },
    },
    remediationSteps: "Grant Cognitive Services OpenAI User/Contributor or Reader on the account, Log Analytics Reader on the audit workspace, Key Vault Crypto Service Encryption User on the key (to the account's identity only), each to an Entra ID group (principalType \"Group\") or a managed identity (\"ServicePrincipal\") through the platform's components; grant nothing on the resource group or above, and remove Owner, Contributor, User Access Administrator and RBAC Administrator grants.",
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
            const roleId = typeof definition === "string" ? definition.split("/").pop()?.toLowerCase() ?? "" : "";
            const roleName = roleNameById.get(roleId) ?? "a custom or unlisted role";
            if (forbidden.has(roleId)) {
                problem(ra, "roleDefinitionId", `grants ${roleName} (${roleId}) on ${on}, which can grant access or read keys`, "grant a least-privilege data-plane role instead");
            } else {
                for (const kind of kinds) {
                    if (kind === "other") continue;
                    const ids = allowed[kind].map((r) => r.toLowerCase());
                    if (ids.includes(roleId)) continue;
                    const fix = ids.length > 0 ? `grant one of ${ids.map((id) => roleNameById.get(id) ?? id).join(", ")}` : "grant roles on the account, workspace or key instead, never on the resource group or above";
                    problem(ra, "roleDefinitionId", `is ${show(definition)} (${roleName}), not a role the platform grants on ${scopeLabels[kind]}`, fix);
                }
            }
            const principalType = known(ra.props, "principalType");
            if (typeof principalType !== "string" || !config.allowedPrincipalTypes.includes(principalType)) {
                problem(ra, "principalType", `is ${show(principalType)}${principalType === "User" ? ": roles go to groups, not individual users" : ""}`, `grant to a ${config.allowedPrincipalTypes.join(" or ")} and set principalType explicitly`);
            }
        }
    },
});
