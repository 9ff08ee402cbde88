/**
 * The Log Analytics family: where a workspace replicates its data, that it accepts only Entra ID authenticated
 * ingestion, and, where the profile requires it, that it is reached only through an Azure Monitor Private Link Scope
 * (AMPLS): no public ingestion or queries, the workspace scoped into an AMPLS with a private endpoint, and the AMPLS in
 * private-only mode. Retention stays in logging.ts with the account's audit diagnostics. Every resource rule judges
 * the azure-native workspace, its classic twin and a generic ARM resource of Microsoft.OperationalInsights/workspaces.
 */
import { PolicyResource } from "@pulumi/policy";
import { privateEndpointGroupIds, types } from "../catalogue/azure";
import { armTypeOfGeneric, asArray, isObject, known, peek, show } from "./core";
import { normalizeRegion, unionOfAllowedRegions } from "./location";
import { Problem, resourceRule } from "./rule";
import { StackIndex } from "./stack-index";
import { stackRule } from "./stack-rule";

const armWorkspace = "microsoft.operationalinsights/workspaces";
const armPrivateLinkScope = "microsoft.insights/privatelinkscopes";
export const workspaceTypes: readonly string[] = [types.workspace, types.classicWorkspace, types.genericResource];
const privateLinkScopeTypes: readonly string[] = [
    types.privateLinkScope,
    types.classicPrivateLinkScope,
    types.genericResource,
];

function skipGenericUnless(type: string, props: Record<string, unknown>, wanted: string): string | undefined {
    if (type !== types.genericResource) return undefined;
    const arm = armTypeOfGeneric(props);
    return arm?.toLowerCase() === wanted ? undefined : `generic resource of ${show(arm)}, not ${wanted}`;
}

/** Native workspace settings sit at the top level; a generic resource's in its ARM `properties`. */
/** The classic provider's switch (workspace and Application Insights alike): off, or left out beside `localAuthenticationDisabled: true`. */
function classicLocalAuthOff(props: Record<string, unknown>, problem: Problem): void {
    const enabled = known(props, "localAuthenticationEnabled");
    const disabled = known(props, "localAuthenticationDisabled");
    if (!(enabled === false || (enabled === undefined && disabled === true)))
        problem(
            "localAuthenticationEnabled",
            `is ${show(enabled)} (the classic provider defaults to true)`,
            "set localAuthenticationEnabled = false",
        );
}

const at = (type: string, ...path: string[]) => (type === types.genericResource ? ["properties", ...path] : path);

interface ReplicationConfig {
    allowedRegions: string[];
}
export const workspaceReplication = resourceRule<ReplicationConfig>({
    name: "azure-openai-workspace-restrict-replication",
    description:
        "A Log Analytics workspace that replicates its logs must replicate them only to a region the compliance profile allows.",
    severity: "high",
    concerns: [types.workspace, types.genericResource],
    anchors: { mcsb: "DP-1", psrule: "Azure.Log.ReplicaLocation" },
    configSchema: {
        properties: {
            allowedRegions: { type: "array", items: { type: "string" }, minItems: 1, default: unionOfAllowedRegions },
        },
    },
    remediationSteps:
        "Set replication.location to one of the profile's allowed regions (Azure pairs a workspace only with regions of its own region group), or turn replication off.",
    skip: (type, props) => skipGenericUnless(type, props, armWorkspace),
    check: (type, props, config, problem) => {
        const path = at(type, "replication");
        const enabled = known(props, ...path, "enabled");
        if (enabled !== true) return;
        const location = known(props, ...path, "location");
        const allowed = config.allowedRegions.map(normalizeRegion);
        if (typeof location !== "string" || !allowed.includes(normalizeRegion(location))) {
            problem(
                `${path.join(".")}.location`,
                `is ${show(location)}, outside the allowed regions, so logs would be kept there`,
                `replicate to one of ${config.allowedRegions.join(", ")}, or set replication.enabled to false`,
            );
        }
    },
});

export const workspaceLocalAuth = resourceRule({
    name: "azure-openai-workspace-disallow-local-auth",
    description:
        "Log Analytics workspaces must accept only Entra ID authenticated ingestion and queries, never the shared workspace keys.",
    severity: "critical",
    nonExemptable: true,
    concerns: workspaceTypes,
    anchors: { mcsb: "IM-1", azurePolicy: "e15effd4-2278-4c65-a0da-4d6f6d1890e2" },
    remediationSteps:
        "Set features.disableLocalAuth to true (classic provider: localAuthenticationEnabled = false); agents and the Logs Ingestion API then authenticate with Entra ID (the AuditLogging component does).",
    skip: (type, props) => skipGenericUnless(type, props, armWorkspace),
    check: (type, props, _c, problem) => {
        if (type === types.classicWorkspace) return classicLocalAuthOff(props, problem);
        const path = at(type, "features", "disableLocalAuth");
        const v = known(props, ...path);
        if (v !== true) problem(path.join("."), `is ${show(v)}, so the workspace keys stay usable`, "set it to true");
    },
});

interface PrivateAccessConfig {
    requirePrivateAccess: boolean;
}
// The no-config baseline is the strict one (as every rule's): each profile's generated config says whether it requires private access.
const privateAccessSchema = { properties: { requirePrivateAccess: { type: "boolean" as const, default: true } } };
const profileSkip = (config: PrivateAccessConfig) =>
    config.requirePrivateAccess
        ? undefined
        : "the compliance profile does not require private access to the audit workspace";

export const workspacePublicNetworkAccess = resourceRule<PrivateAccessConfig>({
    name: "azure-openai-workspace-disallow-public-network-access",
    description:
        "Where the compliance profile requires it, Log Analytics workspaces must refuse ingestion and queries from public networks.",
    severity: "high",
    nonExemptable: true,
    concerns: workspaceTypes,
    anchors: { mcsb: "NS-2", azurePolicy: "6c53d030-cc64-46f0-906d-2bc061cd1334" },
    configSchema: privateAccessSchema,
    remediationSteps:
        'Set publicNetworkAccessForIngestion and publicNetworkAccessForQuery to "Disabled" (classic provider: internetIngestionEnabled = false, internetQueryEnabled = false) and reach the workspace through an Azure Monitor Private Link Scope (the AuditLogging component does when the profile requires it).',
    skip: (type, props, config) => profileSkip(config) ?? skipGenericUnless(type, props, armWorkspace),
    check: (type, props, _c, problem) => {
        if (type === types.classicWorkspace) {
            for (const flag of ["internetIngestionEnabled", "internetQueryEnabled"]) {
                const v = known(props, flag);
                if (v !== false)
                    problem(flag, `is ${show(v)} (the classic provider defaults to true)`, `set ${flag} = false`);
            }
            return;
        }
        for (const flag of ["publicNetworkAccessForIngestion", "publicNetworkAccessForQuery"]) {
            const path = at(type, flag);
            const v = known(props, ...path);
            if (typeof v !== "string" || v.toLowerCase() !== "disabled")
                problem(path.join("."), `is ${show(v)} (Azure defaults to Enabled)`, 'set it to "Disabled"');
        }
    },
});

export const privateLinkScopeAccessMode = resourceRule({
    name: "azure-openai-monitor-private-link-scope-require-private-only",
    description:
        "Azure Monitor Private Link Scopes must run in private-only mode for ingestion and queries, so clients on the linked networks reach only the scoped workspaces and nothing else in Azure Monitor.",
    severity: "medium",
    concerns: privateLinkScopeTypes,
    anchors: { mcsb: "NS-2", azurePolicy: "a499fed8-bcc8-4195-b154-641f14743757" },
    remediationSteps:
        'Set accessModeSettings.ingestionAccessMode and queryAccessMode to "PrivateOnly" (classic provider: ingestionAccessMode, queryAccessMode).',
    skip: (type, props) => skipGenericUnless(type, props, armPrivateLinkScope),
    check: (type, props, _c, problem) => {
        const base =
            type === types.classicPrivateLinkScope
                ? []
                : type === types.genericResource
                  ? ["properties", "accessModeSettings"]
                  : ["accessModeSettings"];
        for (const mode of ["ingestionAccessMode", "queryAccessMode"]) {
            const v = known(props, ...base, mode);
            if (v !== "PrivateOnly")
                problem(
                    [...base, mode].join("."),
                    `is ${show(v)}${v === undefined ? " (Azure's default is Open)" : ""}`,
                    'set it to "PrivateOnly"',
                );
        }
    },
});

/** The AMPLS a scoped resource belongs to: by URN, parent, name or id (its `scopeName` is a URL path parameter). */
function scopeOf(index: StackIndex, sr: PolicyResource): PolicyResource[] | "external" {
    const link = index.ownerOf(sr, "scopeName", types.privateLinkScope);
    return link.kind === "resources" ? link.resources : link.kind === "external" ? "external" : [];
}

export const workspacePrivateLinkScope = stackRule<PrivateAccessConfig>({
    name: "azure-openai-workspace-require-private-link-scope",
    description:
        "Where the compliance profile requires it, every Log Analytics workspace must be scoped into an Azure Monitor Private Link Scope that has an auto-approved private endpoint (group `azuremonitor`).",
    severity: "high",
    concerns: [types.workspace],
    anchors: { mcsb: "NS-2", azurePolicy: "0fc55270-f8bf-4feb-b7b8-5e7e7eacc6a6" },
    configSchema: privateAccessSchema,
    remediationSteps:
        "Create a monitor.PrivateLinkScope (private-only access modes), a monitor.PrivateLinkScopedResource linking the workspace into it, and a network.PrivateEndpoint to the scope with groupIds [\"azuremonitor\"] and the five Azure Monitor private DNS zones (the AuditLogging component's privateLink does), or scope the workspace into the hub's AMPLS.",
    check: (index, config, problem, args) => {
        const skipped = profileSkip(config);
        if (skipped) args.notApplicable(skipped);
        // Scopes with an auto-approved private endpoint for `azuremonitor`.
        const withEndpoint = new Set<string>();
        for (const pe of index.of(types.privateEndpoint)) {
            for (const conn of asArray(peek(pe.props, "privateLinkServiceConnections")).filter(isObject)) {
                if (!asArray(peek(conn, "groupIds")).includes(privateEndpointGroupIds.azureMonitor)) continue;
                const link = index.link(
                    pe,
                    "privateLinkServiceConnections",
                    [types.privateLinkScope],
                    peek(conn, "privateLinkServiceId"),
                );
                if (link.kind === "resources") link.resources.forEach((s) => withEndpoint.add(s.urn));
            }
        }
        // Workspace URN → how it is scoped: "ok", or what is missing.
        const scopedBy = new Map<string, string>();
        for (const sr of index.of(types.privateLinkScopedResource)) {
            const ws = index.link(sr, "linkedResourceId", [types.workspace]);
            if (ws.kind !== "resources") continue;
            const scope = scopeOf(index, sr);
            // A scope outside the stack (a hub's AMPLS) is judged where it is declared.
            const verdict =
                scope === "external" || scope.some((s) => withEndpoint.has(s.urn))
                    ? "ok"
                    : `is scoped into ${scope.map((s) => s.name).join(", ") || "an unknown scope"}, which has no private endpoint with group id "azuremonitor"`;
            for (const w of ws.resources) if (scopedBy.get(w.urn) !== "ok") scopedBy.set(w.urn, verdict);
        }
        for (const ws of index.of(types.workspace)) {
            const v = scopedBy.get(ws.urn);
            if (v === "ok") continue;
            problem(
                ws,
                "private link scope",
                v ??
                    "is missing: no PrivateLinkScopedResource links the workspace to an Azure Monitor Private Link Scope",
                'scope the workspace into an AMPLS with a private endpoint (group "azuremonitor")',
            );
        }
    },
});

const armAppInsights = "microsoft.insights/components";
const appInsightsTypes: readonly string[] = [
    "azure-native:applicationinsights:Component",
    "azure:appinsights/insights:Insights",
    types.genericResource,
];

export const appInsightsLocalAuth = resourceRule({
    name: "azure-openai-app-insights-disallow-local-auth",
    description:
        "Application Insights components (the AI gateway's token metrics) must accept only Entra ID authenticated ingestion, never the instrumentation key alone.",
    severity: "high",
    concerns: appInsightsTypes,
    anchors: { mcsb: "IM-1", azurePolicy: "199d5677-e4d9-4264-9465-efe1839c06bd" },
    remediationSteps:
        "Set disableLocalAuth to true (classic provider: localAuthenticationEnabled = false) and grant publishers Monitoring Metrics Publisher (the AiGateway component does).",
    skip: (type, props) => skipGenericUnless(type, props, armAppInsights),
    check: (type, props, _c, problem) => {
        if (type === "azure:appinsights/insights:Insights") return classicLocalAuthOff(props, problem);
        // The ARM schema of microsoft.insights/components spells its properties in PascalCase.
        const path = type === types.genericResource ? ["properties", "DisableLocalAuth"] : ["disableLocalAuth"];
        const v = known(props, ...path);
        if (v !== true)
            problem(path.join("."), `is ${show(v)}, so the instrumentation key alone can ingest`, "set it to true");
    },
});

export const logAnalyticsPolicies = [
    workspaceReplication,
    workspaceLocalAuth,
    workspacePublicNetworkAccess,
    privateLinkScopeAccessMode,
    workspacePrivateLinkScope,
    appInsightsLocalAuth,
];
