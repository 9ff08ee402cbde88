/**
 * The audit trail of an Azure OpenAI account: a Log Analytics workspace in the stack's region (logs stay in the
 * geography) with the profile's retention on the workspace and its tables, the design's KQL usage query as saved
 * searches, and alert rules for what a security team watches. Retention lives here because diagnostic-setting
 * retention stopped working on 30 September 2025.
 */
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { azureMonitorPrivateDnsZones, privateEndpointGroupIds } from "../catalogue/azure";
import { LogRetention } from "../catalogue/profiles";
import { assignRoles, attachDiagnostics, attachLock, attachPrivateEndpoint, CommonArgs } from "./shared";

/** Tables the account's logs (AzureDiagnostics: every Cognitive Services category) and metrics land in. */
export const auditTables = ["AzureDiagnostics", "AzureMetrics"] as const;

/** Every Azure OpenAI log record in the workspace. Cognitive Services has no resource-specific tables: all categories go to AzureDiagnostics. */
const openAiLogs = `AzureDiagnostics
| where ResourceProvider == "MICROSOFT.COGNITIVESERVICES"`;

/** The design's usage query, verbatim. */
export const usageQuery = `// Query Azure OpenAI usage logs
${openAiLogs}
| where Category == "RequestResponse"
| project
    TimeGenerated,
    OperationName,
    CallerIPAddress,
    DurationMs,
    ResultSignature,
    properties_s
| order by TimeGenerated desc
| take 100`;

/**
 * The same question answered the way a resource-specific table would: the account named, the JSON properties
 * parsed into a dynamic column (drill into caller object id, deployment, API) instead of a raw string.
 */
export const usageQueryResourceSpecific = `${openAiLogs}
| where Category == "RequestResponse"
| extend Properties = parse_json(properties_s)
| project
    TimeGenerated,
    Account = Resource,
    OperationName,
    CallerIPAddress,
    DurationMs,
    ResultSignature,
    Properties
| order by TimeGenerated desc
| take 100`;

/** Rejected calls: keys or tokens being tried against the account. */
export const authFailuresQuery = `${openAiLogs}
| where ResultSignature in ("401", "403")`;

/** Throttled calls: a deployment's capacity is exhausted (or someone is draining it). */
export const throttlingQuery = `${openAiLogs}
| where ResultSignature == "429"`;

/**
 * Calls whose caller IP lies outside the expected client ranges. Azure masks the last octet of caller IPs in these
 * logs (`10.40.1.***`); it is read as `.0`, which is exact for prefixes of /24 or shorter.
 */
export function unexpectedCallerQuery(clientAddressPrefixes: string[]): string {
    return `${openAiLogs}
| where Category in ("RequestResponse", "Audit")
| where isnotempty(CallerIPAddress)
| extend CallerIp = replace_string(CallerIPAddress, "***", "0")
| where not(ipv4_is_in_any_range(CallerIp, dynamic(${JSON.stringify(clientAddressPrefixes)})))`;
}

/** How many events in an alert's window fire it. */
export interface AlertThresholds {
    /** 401/403 responses in 15 minutes (default 10). */
    authFailures?: number;
    /** 429 responses in 15 minutes (default 50). */
    throttledRequests?: number;
}

/**
 * Private access to the workspace through an Azure Monitor Private Link Scope (AMPLS): the workspace then refuses
 * public ingestion and queries. Either the stack creates the AMPLS (private-only access modes), a private endpoint to it
 * in `subnetId` and the five Azure Monitor zones (linked to `vnetId`, or the hub's by id), or it scopes the workspace
 * into the hub's existing AMPLS (`existingScopeId`; Microsoft's guidance is one AMPLS per DNS, so a hub that already
 * has one keeps it). The existing scope must be in the stack's subscription (the provider's).
 */
export type AuditPrivateLinkSpec =
    | {
          subnetId: pulumi.Input<string>;
          vnetId: pulumi.Input<string>;
          privateDnsZoneIds?: undefined;
          existingScopeId?: undefined;
      }
    | {
          subnetId: pulumi.Input<string>;
          privateDnsZoneIds: pulumi.Input<string>[];
          vnetId?: undefined;
          existingScopeId?: undefined;
      }
    | { existingScopeId: string; subnetId?: undefined; vnetId?: undefined; privateDnsZoneIds?: undefined };

const scopeIdPattern =
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/([^/]+)\/providers\/microsoft\.insights\/privateLinkScopes\/([^/]+)$/i;

export interface AuditLoggingArgs extends Omit<CommonArgs, "privateEndpoint"> {
    /** Name of the workspace, e.g. `log-<prefix>-openai`. */
    workspaceName: string;
    /** Interactive retention (workspace and tables) and total retention including archive (tables). */
    retention: LogRetention;
    /** CIDRs legitimate callers come from; calls from anywhere else raise an alert. */
    clientAddressPrefixes: string[];
    /** Action groups the alerts notify (none: alerts are recorded in Azure Monitor only). */
    alertActionGroupIds?: pulumi.Input<string>[];
    alertThresholds?: AlertThresholds;
    /** Subscription id; required with `roleAssignments` (role definition ids are subscription-scoped). */
    subscriptionId?: pulumi.Input<string>;
    /** Reach the workspace only privately, through an Azure Monitor Private Link Scope (the profile decides). */
    privateLink?: AuditPrivateLinkSpec;
}

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Synchronous checks of the arguments; every problem names the argument and what was expected. */
export function validateAuditLoggingArgs(
    args: Pick<
        AuditLoggingArgs,
        "retention" | "clientAddressPrefixes" | "alertThresholds" | "roleAssignments" | "subscriptionId" | "privateLink"
    >,
): void {
    const problems: string[] = [];
    const { interactiveDays, totalDays } = args.retention;
    // PerGU2018 workspaces keep 30-730 days interactively; tables keep up to 12 years in total.
    if (!Number.isInteger(interactiveDays) || interactiveDays < 30 || interactiveDays > 730)
        problems.push(`retention.interactiveDays: ${interactiveDays} expected a whole number of days from 30 to 730`);
    if (!Number.isInteger(totalDays) || totalDays < interactiveDays || totalDays > 4383)
        problems.push(
            `retention.totalDays: ${totalDays} expected a whole number of days from retention.interactiveDays (${interactiveDays}) to 4383`,
        );
    if (args.clientAddressPrefixes.length === 0)
        problems.push(
            "clientAddressPrefixes: expected at least one CIDR (the unexpected-caller alert needs to know who is expected)",
        );
    args.clientAddressPrefixes.forEach((cidr, i) => {
        const m = cidrPattern.exec(cidr);
        if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32)
            problems.push(`clientAddressPrefixes[${i}]: '${cidr}' expected an IPv4 CIDR such as 10.20.0.0/16`);
    });
    for (const [key, value] of Object.entries(args.alertThresholds ?? {})) {
        if (value !== undefined && (!Number.isInteger(value) || value < 1))
            problems.push(`alertThresholds.${key}: ${value} expected a whole number of events of at least 1`);
    }
    if ((args.roleAssignments?.length ?? 0) > 0 && args.subscriptionId === undefined)
        problems.push("subscriptionId: expected with roleAssignments (role definition ids are subscription-scoped)");
    const link = args.privateLink;
    if (link?.existingScopeId !== undefined && !scopeIdPattern.test(link.existingScopeId))
        problems.push(
            `privateLink.existingScopeId: '${link.existingScopeId}' expected /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Insights/privateLinkScopes/<name>`,
        );
    if (
        link?.privateDnsZoneIds !== undefined &&
        link.privateDnsZoneIds.length !== Object.keys(azureMonitorPrivateDnsZones).length
    )
        problems.push(
            `privateLink.privateDnsZoneIds: ${link.privateDnsZoneIds.length} zone id(s), expected the ${Object.keys(azureMonitorPrivateDnsZones).length} Azure Monitor zones (${Object.values(azureMonitorPrivateDnsZones).join(", ")})`,
        );
    if (problems.length > 0) throw new Error(`AuditLogging: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

export class AuditLogging extends pulumi.ComponentResource {
    public readonly workspaceId: pulumi.Output<string>;
    public readonly workspaceName: pulumi.Output<string>;
    /** The workspace's GUID (what log queries through the API address); not a secret. */
    public readonly workspaceCustomerId: pulumi.Output<string>;
    public readonly savedSearchIds: pulumi.Output<string[]>;
    public readonly alertRuleIds: pulumi.Output<string[]>;
    /** What a lock on the workspace also covers among this component's resources (tables, searches, roles, diagnostics). */
    public readonly lockCovers: pulumi.Resource[];

    constructor(name: string, args: AuditLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("azure-openai-lz:logging:AuditLogging", name, {}, opts);
        validateAuditLoggingArgs(args);
        const { resourceGroupName, location, tags, retention } = args;

        const workspace = new operationalinsights.Workspace(
            `${name}-workspace`,
            {
                workspaceName: args.workspaceName,
                resourceGroupName,
                location,
                sku: { name: "PerGU2018" },
                retentionInDays: retention.interactiveDays,
                features: {
                    // Entra ID only: no shared workspace keys for agents or the query API.
                    disableLocalAuth: true,
                    // Readers of a resource's logs need rights on that resource (resource-context access).
                    enableLogAccessUsingOnlyResourcePermissions: true,
                },
                // With a private link, ingestion and queries come only through the AMPLS's private endpoint.
                ...(args.privateLink
                    ? { publicNetworkAccessForIngestion: "Disabled", publicNetworkAccessForQuery: "Disabled" }
                    : {}),
                tags,
            },
            { parent: this, protect: args.protect },
        );
        if (args.privateLink) this.attachPrivateLinkScope(name, args, workspace.id);

        // Children of the workspace are named after it, so renaming the landing zone (an alias on the component) carries
        // them over like every other child; each keeps its former name (`<zone>-table-…`) as an alias: upgrading
        // replaces nothing.
        const underWorkspace = (suffix: string) => ({
            name: `${name}-workspace-${suffix}`,
            opts: { parent: workspace, aliases: [{ name: `${name}-${suffix}` }] },
        });
        const tables = auditTables.map((tableName) => {
            const table = underWorkspace(`table-${tableName}`);
            return new operationalinsights.Table(
                table.name,
                {
                    tableName,
                    workspaceName: workspace.name,
                    resourceGroupName,
                    retentionInDays: retention.interactiveDays,
                    totalRetentionInDays: retention.totalDays,
                },
                table.opts,
            );
        });

        const searches = [
            { id: "openai-usage", displayName: "Azure OpenAI usage (RequestResponse)", query: usageQuery },
            {
                id: "openai-usage-resource-specific",
                displayName: "Azure OpenAI usage, one column per field",
                query: usageQueryResourceSpecific,
            },
        ].map((s) => {
            const search = underWorkspace(`search-${s.id}`);
            return new operationalinsights.SavedSearch(
                search.name,
                {
                    savedSearchId: s.id,
                    workspaceName: workspace.name,
                    resourceGroupName,
                    category: "Azure OpenAI audit",
                    displayName: s.displayName,
                    query: s.query,
                },
                search.opts,
            );
        });

        const thresholds = { authFailures: 10, throttledRequests: 50, ...args.alertThresholds };
        const alerts = [
            {
                id: "auth-failures",
                severity: 1,
                threshold: thresholds.authFailures,
                query: authFailuresQuery,
                description: `${thresholds.authFailures} or more rejected (401/403) calls to Azure OpenAI in 15 minutes.`,
            },
            {
                id: "unexpected-callers",
                severity: 1,
                threshold: 1,
                query: unexpectedCallerQuery(args.clientAddressPrefixes),
                description: `A call to Azure OpenAI from an IP outside ${args.clientAddressPrefixes.join(", ")}.`,
                dimension: "CallerIp",
            },
            {
                id: "throttling",
                severity: 2,
                threshold: thresholds.throttledRequests,
                query: throttlingQuery,
                description: `${thresholds.throttledRequests} or more throttled (429) calls to Azure OpenAI in 15 minutes.`,
            },
        ].map(
            (a) =>
                new monitor.ScheduledQueryRule(
                    `${name}-alert-${a.id}`,
                    {
                        ruleName: `${args.workspaceName}-${a.id}`,
                        resourceGroupName,
                        location,
                        kind: "LogAlert",
                        description: a.description,
                        severity: a.severity,
                        enabled: true,
                        scopes: [workspace.id],
                        evaluationFrequency: "PT5M",
                        windowSize: "PT15M",
                        autoMitigate: true,
                        // A new workspace has no AzureDiagnostics rows yet; validation would reject the query until logs arrive.
                        skipQueryValidation: true,
                        criteria: {
                            allOf: [
                                {
                                    query: a.query,
                                    timeAggregation: "Count",
                                    operator: "GreaterThanOrEqual",
                                    threshold: a.threshold,
                                    dimensions: a.dimension
                                        ? [{ name: a.dimension, operator: "Include", values: ["*"] }]
                                        : undefined,
                                    failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
                                },
                            ],
                        },
                        actions: { actionGroups: args.alertActionGroupIds ?? [] },
                        tags,
                    },
                    { parent: this, dependsOn: tables },
                ),
        );

        // Validation guarantees a subscription id whenever there are role assignments.
        const roles =
            args.subscriptionId !== undefined
                ? assignRoles(this, name, workspace.id, args.subscriptionId, args.roleAssignments)
                : [];
        const diagnostics = attachDiagnostics(this, name, workspace.id, args.diagnosticSettings);
        this.lockCovers = [...tables, ...searches, ...roles, ...(diagnostics ? [diagnostics] : [])];
        attachLock(this, name, workspace.id, args.lock, this.lockCovers);

        this.workspaceId = workspace.id;
        this.workspaceName = workspace.name;
        this.workspaceCustomerId = workspace.customerId;
        this.savedSearchIds = pulumi.all(searches.map((s) => s.id));
        this.alertRuleIds = pulumi.all(alerts.map((a) => a.id));
        this.registerOutputs({
            workspaceId: this.workspaceId,
            workspaceName: this.workspaceName,
            workspaceCustomerId: this.workspaceCustomerId,
            savedSearchIds: this.savedSearchIds,
            alertRuleIds: this.alertRuleIds,
        });
    }

    /** The workspace's AMPLS: the hub's, or a private-only scope of the stack with its private endpoint and zones. */
    private attachPrivateLinkScope(name: string, args: AuditLoggingArgs, workspaceId: pulumi.Output<string>): void {
        const link = args.privateLink!;
        const { resourceGroupName, location, tags } = args;
        const scopedName = `${args.workspaceName}-workspace`;
        if (link.existingScopeId !== undefined) {
            const [, scopeGroup, scopeName] = scopeIdPattern.exec(link.existingScopeId)!;
            new monitor.PrivateLinkScopedResource(
                `${name}-ampls-workspace`,
                { name: scopedName, scopeName, resourceGroupName: scopeGroup, linkedResourceId: workspaceId },
                { parent: this },
            );
            return;
        }
        const scope = new monitor.PrivateLinkScope(
            `${name}-ampls`,
            {
                scopeName: `ampls-${args.workspaceName}`,
                resourceGroupName,
                // An AMPLS is a global resource; the workspace it scopes keeps its region.
                location: "global",
                // Clients on the linked network reach only the scoped workspace: no exfiltration to other Azure Monitor resources.
                accessModeSettings: { ingestionAccessMode: "PrivateOnly", queryAccessMode: "PrivateOnly" },
                tags,
            },
            { parent: this },
        );
        const scoped = new monitor.PrivateLinkScopedResource(
            `${name}-ampls-workspace`,
            { name: scopedName, scopeName: scope.name, resourceGroupName, linkedResourceId: workspaceId },
            { parent: scope },
        );
        const zoneIds =
            link.privateDnsZoneIds ??
            Object.entries(azureMonitorPrivateDnsZones).map(([key, zoneName]) => {
                const zone = new privatedns.PrivateZone(
                    `${name}-ampls-${key}`,
                    { privateZoneName: zoneName, resourceGroupName, location: "global", tags },
                    { parent: this, protect: args.protect },
                );
                // Private endpoints register their records through the zone group; VMs must never auto-register here.
                new privatedns.VirtualNetworkLink(
                    `${name}-ampls-${key}-link`,
                    {
                        virtualNetworkLinkName: `${name}-vnet`,
                        privateZoneName: zone.name,
                        resourceGroupName,
                        location: "global",
                        virtualNetwork: { id: link.vnetId },
                        registrationEnabled: false,
                        tags,
                    },
                    { parent: zone },
                );
                return zone.id;
            });
        // Resources are scoped before the endpoint connects, so its DNS includes the workspace's endpoints.
        attachPrivateEndpoint(
            this,
            `${name}-ampls`,
            { resourceId: scope.id, groupId: privateEndpointGroupIds.azureMonitor, resourceGroupName, location, tags },
            { subnetId: link.subnetId!, privateDnsZoneIds: zoneIds },
            [scoped],
        );
    }
}
