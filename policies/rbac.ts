/**
 * Rule 19: role hygiene on the account and its workspace. Only the platform's roles, never Owner, Contributor,
 * User Access Administrator (or other role-granting roles), and only to groups or service principals.
 */
import { allowedAccountRoles, builtInRoles, forbiddenRoles, types } from "../catalogue/azure";
import { known, show } from "./core";
import { accountTypes } from "./stack-index";
import { stackRule } from "./stack-rule";

const protectedScopes = [...accountTypes, types.workspace];
const externalScopePattern = /\/providers\/microsoft\.(cognitiveservices\/accounts|operationalinsights\/workspaces)\/[^/]+$/i;
const roleNameById = new Map<string, string>(Object.entries(builtInRoles).map(([name, id]) => [id, name]));

interface RbacConfig { allowedRoleIds: string[]; allowedPrincipalTypes: string[] }
export const roleAssignments = stackRule<RbacConfig>({
    name: "azure-openai-role-assignment-allow-least-privilege",
    description: "Role assignments on an Azure OpenAI account or its audit workspace must use only the platform's allowed roles and be granted to groups or service principals, never to individual users.",
    severity: "high",
    concerns: [types.roleAssignment],
    anchors: { mcsb: "PA-7" },
    configSchema: {
        properties: {
            allowedRoleIds: { type: "array", items: { type: "string" }, default: allowedAccountRoles.map((r) => builtInRoles[r]) },
            allowedPrincipalTypes: { type: "array", items: { type: "string", enum: ["Group", "ServicePrincipal", "User", "ForeignGroup", "Device"] }, default: ["Group", "ServicePrincipal"] },
        },
    },
    remediationSteps: "Grant Cognitive Services OpenAI User/Contributor, Reader or Log Analytics Reader to an Entra ID group (principalType \"Group\") or a managed identity (\"ServicePrincipal\") through the AccessControl component; remove Owner, Contributor and User Access Administrator grants.",
    check: (index, config, problem) => {
        const forbidden = new Set<string>(forbiddenRoles.map((r) => builtInRoles[r]));
        for (const ra of index.of(types.roleAssignment)) {
            const scope = index.scopeOf(ra, "scope", protectedScopes);
            const onProtected = scope.kind === "resources" || (scope.kind === "external" && externalScopePattern.test(scope.id));
            if (!onProtected) continue;
            const definition = known(ra.props, "roleDefinitionId");
            const roleId = typeof definition === "string" ? definition.split("/").pop()?.toLowerCase() ?? "" : "";
            const roleName = roleNameById.get(roleId) ?? "a custom or unlisted role";
            if (forbidden.has(roleId)) problem(ra, "roleDefinitionId", `grants ${roleName} (${roleId}), which can grant access or read keys`, "grant a least-privilege data-plane role instead");
            else if (!config.allowedRoleIds.map((r) => r.toLowerCase()).includes(roleId)) problem(ra, "roleDefinitionId", `is ${show(definition)} (${roleName}), not an allowed role`, `grant one of ${config.allowedRoleIds.map((id) => roleNameById.get(id) ?? id).join(", ")}`);
            const principalType = known(ra.props, "principalType");
            if (typeof principalType !== "string" || !config.allowedPrincipalTypes.includes(principalType)) {
                problem(ra, "principalType", `is ${show(principalType)}${principalType === "User" ? ": roles go to groups, not individual users" : ""}`, `grant to a ${config.allowedPrincipalTypes.join(" or ")} and set principalType explicitly`);
            }
        }
    },
});
