/**
 * The stack's architecture as a Mermaid flowchart: VNet -> private endpoint -> account -> deployments, the DNS
 * zones the endpoint registers in, the audit workspace, the budget and who holds which role where.
 * Links come from property dependencies (known in preview) and literal ids.
 */
import { builtInRoles, types } from "../../catalogue/azure";
import { ResourceEntry, StackReport } from "./model";
import { secretMarker, unknownMarker, valueAt } from "../values";

const shown: Record<string, string> = {
    [types.account]: "OpenAI account",
    [types.deployment]: "Deployment",
    [types.privateEndpoint]: "Private endpoint",
    [types.privateZone]: "Private DNS zone",
    [types.workspace]: "Log Analytics workspace",
    [types.budget]: "Budget",
    [types.userAssignedIdentity]: "Managed identity",
    [types.vault]: "Key Vault",
    [types.resourceGroup]: "Resource group",
    [types.raiPolicy]: "Content filter",
    [types.actionGroup]: "Action group",
    [types.vaultKey]: "Key",
};

const roleNames = Object.fromEntries(
    Object.entries(builtInRoles).map(([name, id]) => [
        id,
        name
            .replace(/([A-Z])/g, " $1")
            .replace(/^./, (c) => c.toUpperCase())
            .replace("Open Ai", "OpenAI"),
    ]),
);

/** Mermaid-safe label text: quotes and markup are escaped, length bounded. */
export function label(text: string): string {
    const t = text.length > 60 ? `${text.slice(0, 59)}…` : text;
    return t
        .replace(/&/g, "&amp;")
        .replace(/"/g, "#quot;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/[[\]{}|]/g, " ");
}

const str = (v: unknown): string | undefined =>
    typeof v === "string" && v !== unknownMarker && v !== secretMarker ? v : undefined;
const lastSegment = (id: string) => id.split("/").filter(Boolean).pop() ?? id;

export function renderMermaid(s: StackReport): string {
    const ids = new Map<string, string>();
    const nodes: string[] = [];
    const edges = new Set<string>();
    const byUrn = new Map(s.resources.map((r) => [r.urn, r]));
    const node = (key: string, text: string, external = false): string => {
        let id = ids.get(key);
        if (!id) {
            id = `n${ids.size + 1}`;
            ids.set(key, id);
            nodes.push(external ? `    ${id}(["${label(text)}"])` : `    ${id}["${label(text)}"]`);
        }
        return id;
    };
    const resourceNode = (r: ResourceEntry) => node(r.urn, `${shown[r.type] ?? r.type.split(":").pop()}: ${r.name}`);
    const edge = (from: string, to: string, text?: string, dotted = false) => {
        if (from !== to) edges.add(`    ${from} ${dotted ? "-.->" : "-->"}${text ? `|"${label(text)}"|` : ""} ${to}`);
    };
    const depsOf = (r: ResourceEntry, key: string): ResourceEntry[] =>
        (r.propertyDependencies[key] ?? []).map((u) => byUrn.get(u)).filter((x): x is ResourceEntry => Boolean(x));

    for (const r of s.resources.filter((x) => shown[x.type])) resourceNode(r);

    for (const pe of s.resources.filter((r) => r.type === types.privateEndpoint)) {
        const subnet = str(valueAt(pe.inputs, "subnet.id"));
        if (subnet) {
            const vnet = subnet.split("/subnets/")[0];
            edge(node(`vnet:${vnet}`, `VNet: ${lastSegment(vnet)} / ${lastSegment(subnet)}`, true), resourceNode(pe));
        }
        for (const target of depsOf(pe, "privateLinkServiceConnections"))
            edge(resourceNode(pe), resourceNode(target), "private link");
        // DNS zone groups are children of (or depend on) their endpoint.
        for (const group of s.resources.filter(
            (g) =>
                g.type === types.privateDnsZoneGroup &&
                (g.parent === pe.urn ||
                    g.dependencies.includes(pe.urn) ||
                    Object.values(g.propertyDependencies).some((urns) => urns.includes(pe.urn))),
        )) {
            const configs = valueAt(group.inputs, "privateDnsZoneConfigs");
            for (const c of Array.isArray(configs) ? configs : []) {
                const zoneId = str(valueAt(c, "privateDnsZoneId"));
                if (zoneId)
                    edge(
                        resourceNode(pe),
                        node(`zone:${zoneId.toLowerCase()}`, `DNS zone: ${lastSegment(zoneId)}`, true),
                        "A record",
                        true,
                    );
            }
            for (const zone of depsOf(group, "privateDnsZoneConfigs"))
                edge(resourceNode(pe), resourceNode(zone), "A record", true);
        }
    }
    for (const link of s.resources.filter((r) => r.type === types.virtualNetworkLink)) {
        const vnet = str(valueAt(link.inputs, "virtualNetwork.id"));
        for (const zone of depsOf(link, "privateZoneName"))
            if (vnet)
                edge(resourceNode(zone), node(`vnet:${vnet}`, `VNet: ${lastSegment(vnet)}`, true), "linked", true);
    }
    for (const d of s.resources.filter((r) => r.type === types.deployment)) {
        const model = str(valueAt(d.inputs, "properties.model.name"));
        const sku = str(valueAt(d.inputs, "sku.name"));
        const id = node(d.urn, `Deployment: ${d.name}${model ? ` (${model}${sku ? `, ${sku}` : ""})` : ""}`);
        for (const acct of depsOf(d, "accountName")) edge(resourceNode(acct), id);
        // The filter is named in the deployment (a literal name or an output of the filter).
        const filterName = str(valueAt(d.inputs, "properties.raiPolicyName"))?.toLowerCase();
        const filters = s.resources.filter(
            (x) =>
                x.type === types.raiPolicy &&
                (depsOf(d, "properties").includes(x) ||
                    (filterName && str(x.inputs.raiPolicyName)?.toLowerCase() === filterName)),
        );
        for (const filter of filters) edge(id, resourceNode(filter), "content filter", true);
    }
    for (const acct of s.resources.filter((r) => r.type === types.account)) {
        for (const key of depsOf(acct, "properties").filter((x) => x.type === types.vaultKey || x.type === types.vault))
            edge(resourceNode(key), resourceNode(acct), "encrypts", true);
    }
    for (const diag of s.resources.filter((r) => r.type === types.diagnosticSetting)) {
        for (const src of depsOf(diag, "resourceUri"))
            for (const ws of depsOf(diag, "workspaceId")) edge(resourceNode(src), resourceNode(ws), "diagnostic logs");
    }
    for (const b of s.resources.filter((r) => r.type === types.budget)) {
        const amount = valueAt(b.inputs, "amount");
        const grain = str(valueAt(b.inputs, "timeGrain"));
        const id = node(
            b.urn,
            `Budget: ${b.name}${amount !== undefined ? ` (${String(amount)}${grain ? ` ${grain}` : ""})` : ""}`,
        );
        for (const scope of depsOf(b, "scope")) edge(id, resourceNode(scope), "watches", true);
    }
    for (const ra of s.resources.filter((r) => r.type === types.roleAssignment)) {
        const roleId = lastSegment(str(valueAt(ra.inputs, "roleDefinitionId")) ?? "");
        const role = roleNames[roleId] ?? (roleId ? `role ${roleId}` : "role (known after apply)");
        const principalType = str(valueAt(ra.inputs, "principalType")) ?? "Principal";
        const identity = depsOf(ra, "principalId")[0];
        const principalId = str(valueAt(ra.inputs, "principalId"));
        const who = identity
            ? resourceNode(identity)
            : node(
                  `principal:${principalId ?? ra.urn}`,
                  principalId?.startsWith("group '") ? principalId : `${principalType}: ${principalId ?? ra.name}`,
                  true,
              );
        const scopes = depsOf(ra, "scope");
        const scopeId = str(valueAt(ra.inputs, "scope"));
        const target = scopes[0]
            ? resourceNode(scopes[0])
            : node(
                  `scope:${scopeId ?? ra.urn}`,
                  `Scope: ${scopeId ? lastSegment(scopeId) : "(known after apply)"}`,
                  true,
              );
        edge(who, target, role);
    }
    // A drawn resource no specific link reached is linked through its property dependencies on, or of, other drawn
    // resources (the resource group only when nothing else links it), so the diagram leaves nothing floating.
    const linked = new Set(
        [...edges].flatMap((e) =>
            e
                .trim()
                .split(/\s+/)
                .filter((t) => /^n\d+$/.test(t)),
        ),
    );
    const drawn = s.resources.filter((r) => shown[r.type]);
    for (const r of drawn) {
        const id = resourceNode(r);
        if (linked.has(id)) continue;
        const on = (x: ResourceEntry) =>
            Object.entries(x.propertyDependencies)
                .flatMap(([key, urns]) => urns.map((u) => [key, byUrn.get(u)] as const))
                .filter(([, t]) => t && shown[t.type]) as [string, ResourceEntry][];
        const links = [
            ...on(r).map(([key, t]) => [t, r, key] as const),
            ...drawn.flatMap((x) =>
                on(x)
                    .filter(([, t]) => t === r)
                    .map(([key]) => [r, x, key] as const),
            ),
        ];
        const useful = links.filter(
            ([from, to]) => from.type !== types.resourceGroup && to.type !== types.resourceGroup,
        );
        for (const [from, to, key] of useful.length ? useful : links)
            edge(resourceNode(from), resourceNode(to), key, true);
    }
    return ["flowchart LR", ...nodes, ...[...edges].sort()].join("\n");
}
