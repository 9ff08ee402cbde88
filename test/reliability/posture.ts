/**
 * The security posture of planned stacks, small enough to review as a snapshot: for each resource type that carries
 * a security setting, the distinct sets of security-relevant inputs the stacks plan, with what a stack's config
 * chooses (names, ids, hosts, emails, models, sizes, retention days) replaced by what it is. A stack whose posture matches
 * one already recorded adds nothing, so adding a stack changes the snapshot only when it brings a new posture,
 * which is what a reviewer should see.
 */
import { builtInRoles, types } from "../../catalogue/azure";
import type { PlannedResource } from "../../plan/mock-runtime";

/** Types whose inputs hold a security setting. */
const securityTypes: string[] = [
    types.account,
    types.deployment,
    types.raiPolicy,
    types.raiBlocklist,
    types.raiBlocklistItem,
    types.privateEndpoint,
    types.privateDnsZoneGroup,
    types.virtualNetworkLink,
    types.diagnosticSetting,
    types.workspace,
    types.workspaceTable,
    types.roleAssignment,
    types.managementLock,
    types.budget,
    types.vault,
    types.vaultKey,
];
/** Inputs that locate or describe a resource, not how it is secured. */
const ignored = new Set([
    "location",
    "tags",
    "resourceGroupName",
    "description",
    "notes",
    "displayName",
    "tenantId",
    "subnet",
    "userAssignedIdentities",
    "identityClientId",
    "keyVersion",
    "azureApiVersion",
]);

const roleNames = new Map<string, string>(Object.entries(builtInRoles).map(([name, id]) => [id, name]));
const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Inputs the stack's config chooses, by resource type and path (`[]` for a list item): shown as `<from config>`. */
const configChosen: Record<string, string[]> = {
    [types.deployment]: ["properties.model", "sku.name", "sku.capacity"],
    [types.budget]: ["amount", "timePeriod.startDate"],
    [types.workspace]: ["retentionInDays"],
    [types.workspaceTable]: ["retentionInDays", "totalRetentionInDays"],
};
/** Paths whose `name` is a resource's own name, not a setting (a filter's or a SKU's `name` is a setting). */
const nameKeys = new Set(["name", "privateDnsZoneConfigs[].name", "privateLinkServiceConnections[].name"]);

function abstractString(path: string, v: string): string {
    const key = path.split(".").pop() ?? "";
    if (v === unknownSentinel) return "<known after apply>";
    if (key === "roleDefinitionId") return `<role ${roleNames.get(v.split("/").pop() ?? "") ?? "unlisted"}>`;
    const provider = /\/providers\/([^/]+\/[^/]+)\/[^/]+(?:\/([^/]+)\/[^/]+)?$/i.exec(v);
    if (v.startsWith("/subscriptions/") && provider)
        return `<id of ${provider[1]}${provider[2] ? `/${provider[2]}` : ""}>`;
    if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(v)) return "<id of a resource group>";
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return "<guid>";
    if (key === "contactEmails[]" || key === "emailAddress") return "<email>";
    if ((/Name$/.test(key) && key !== "basePolicyName") || nameKeys.has(path) || key === "customSubDomainName")
        return "<name>";
    if (/^https?:\/\/|\.(azure\.(com|net)|windows\.net)\/?$/.test(v)) return "<host>";
    return v;
}

function abstract(type: string, path: string, v: unknown): unknown {
    if (configChosen[type]?.includes(path)) return "<from config>";
    if (typeof v === "string") return abstractString(path, v);
    if (Array.isArray(v)) {
        // Lists the config sizes (hosts, emails, prefixes) collapse to their distinct abstract members.
        const items = v.map((x) => abstract(type, `${path}[]`, x));
        return items.every((x) => typeof x === "string") ? [...new Set(items as string[])] : items;
    }
    if (typeof v === "object" && v !== null) {
        return Object.fromEntries(
            Object.entries(v)
                .filter(([k]) => !ignored.has(k))
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([k, x]) => [k, abstract(type, path ? `${path}.${k}` : k, x)]),
        );
    }
    return v;
}

const shortType = (type: string) => type.replace(/^azure-native:/, "");

/** Each security type of the plans with the distinct postures its resources take (inputs abstracted, and `protect`). */
export function securityPosture(resources: PlannedResource[]): Record<string, string[]> {
    const out: Record<string, Set<string>> = {};
    for (const r of resources.filter((x) => securityTypes.includes(x.type))) {
        (out[shortType(r.type)] ??= new Set()).add(
            JSON.stringify({ protect: r.protect, ...(abstract(r.type, "", r.inputs) as object) }),
        );
    }
    return Object.fromEntries(
        Object.keys(out)
            .sort()
            .map((t) => [t, [...out[t]].sort()]),
    );
}
