/**
 * The audit trail of an Azure OpenAI account: a Log Analytics workspace in the stack's region (logs stay in the
 * geography) with the profile's retention on the workspace and its tables, the design's KQL usage query as saved
 * searches, and alert rules for what a security team watches. Retention lives here because diagnostic-setting
 * retention stopped working on 30 September 2025.
 */
import * as pulumi from "@pulumi/pulumi";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { auditAlerts } from "./audit-alerts";
import { AuditLoggingArgs, validateAuditLoggingArgs } from "./audit-logging-args";
import { attachAuditPrivateLink } from "./audit-private-link";
import { auditTables, usageQuery, usageQueryResourceSpecific } from "./audit-queries";
import { assignRoles, attachDiagnostics, attachLock } from "./shared";

export { validateAuditLoggingArgs } from "./audit-logging-args";
export type { AlertThresholds, AuditLoggingArgs, AuditPrivateLinkSpec } from "./audit-logging-args";
export {
    auditTables,
    authFailuresQuery,
    throttlingQuery,
    unexpectedCallerQuery,
    usageQuery,
    usageQueryResourceSpecific,
} from "./audit-queries";

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
        if (args.privateLink) attachAuditPrivateLink(this, name, args, args.privateLink, workspace.id);

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

        const alerts = auditAlerts(this, name, args, workspace.id, tables);

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
}
