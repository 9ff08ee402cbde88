// Azure Resource Manager ids as data: the resource type an id names, and whether one id lies under another.
// Shared by the deploy pipeline (deletion-locks.js) and the tests that derive the deploy identity's permissions
// from what the stacks create. Node built-ins only.
//
// An ARM id is /subscriptions/{s}[/resourceGroups/{rg}][/providers/{Namespace}/{type}/{name}[/{type}/{name}...]],
// and an extension resource repeats /providers/{Namespace}/{type}/{name} after the id of the resource it extends.
// The resource type of an id is the namespace of its last /providers/ segment followed by the type names after it
// (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules and the ARM REST conventions;
// the RBAC action of a request is that type followed by /read, /write or /delete, "Permission strings have the
// format {Company}.{ProviderName}/{resourceType}/{action}": azure-docs
// articles/role-based-access-control/permissions/ai-machine-learning.md, read 2026-11-27).
"use strict";

/** Splits an id into its path segments; throws on anything that is not an absolute ARM id. */
function segments(id) {
    if (typeof id !== "string" || !/^\/subscriptions\/[^/]+/i.test(id)) {
        throw new Error(`not an Azure resource id (expected /subscriptions/...): ${JSON.stringify(id)}`);
    }
    const parts = id.replace(/\/+$/, "").split("/").slice(1);
    if (parts.some((p) => p === "")) throw new Error(`malformed Azure resource id (empty segment): ${id}`);
    return parts;
}

/**
 * The ARM resource type an id names, e.g. Microsoft.CognitiveServices/accounts/deployments for a deployment,
 * Microsoft.Insights/diagnosticSettings for a diagnostic setting on any resource, and
 * Microsoft.Resources/subscriptions/resourceGroups for a resource group.
 */
function armTypeOf(id) {
    const parts = segments(id);
    const lastProviders = parts.map((p) => p.toLowerCase()).lastIndexOf("providers");
    if (lastProviders === -1) {
        if (parts.length === 2) return "Microsoft.Resources/subscriptions";
        if (parts.length === 4 && parts[2].toLowerCase() === "resourcegroups")
            return "Microsoft.Resources/subscriptions/resourceGroups";
        throw new Error(
            `Azure resource id without a provider segment that is neither a subscription nor a resource group: ${id}`,
        );
    }
    const rest = parts.slice(lastProviders + 1);
    if (rest.length < 3 || rest.length % 2 === 0) {
        throw new Error(
            `Azure resource id with an incomplete provider path (expected {Namespace}/{type}/{name}[/{type}/{name}...]): ${id}`,
        );
    }
    const types = rest.slice(1).filter((_, i) => i % 2 === 0);
    return [rest[0], ...types].join("/");
}

/** Ids compare without case, as ARM does. */
const normalize = (id) => segments(id).join("/").toLowerCase();

/** True when `id` is `scope` itself. */
function sameId(id, scope) {
    return normalize(id) === normalize(scope);
}

/** True when `id` lies strictly under `scope` (a child, or an extension resource on it or on a child). */
function isUnder(id, scope) {
    return normalize(id).startsWith(`${normalize(scope)}/`);
}

module.exports = { armTypeOf, isUnder, sameId };
