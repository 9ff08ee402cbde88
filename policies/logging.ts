/**
 * Audit logging. Every account sends its audit logs and metrics to a Log Analytics workspace, and that
 * workspace keeps them as long as the profile requires (diagnostic-setting retention stopped working in 2025).
 */
import { PolicyResource } from "@pulumi/policy";
import { openAiDiagnostics, types } from "../catalogue/azure";
import { profiles } from "../catalogue/profiles";
import { asArray, cannotKnow, describe, isObject, known, peek, show, unknown } from "./core";
import { accountTypes } from "./stack-index";
import { judgeEach, stackRule } from "./stack-rule";

const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : "");

/**
 * What is missing from a diagnostic setting for it to count as the account's audit trail; empty when complete. In a
 * preview's outputs a log entry the program gave by category group has an unknown `category` (and the reverse):
 * only a decision that hangs on an unknown field is not evaluated.
 */
export function diagnosticGaps(setting: PolicyResource, hasWorkspace: boolean): string[] {
    const gaps: string[] = [];
    const enabled = (entries: unknown[]) => entries.filter((e) => isObject(e) && peek(e, "enabled") === true);
    const logs = enabled(asArray(known(setting.props, "logs")));
    const field = (entries: unknown[], key: string) => entries.map((e) => peek(e, key));
    const groups = new Set(field(logs, "categoryGroup").map(lower));
    const categories = new Set(field(logs, "category").map(lower));
    const auditByGroup = openAiDiagnostics.categoryGroups.some((g) => groups.has(g.toLowerCase()));
    const auditByCategory = openAiDiagnostics.auditCategories.every((c) => categories.has(c.toLowerCase()));
    const unknownLogs = [...field(logs, "categoryGroup"), ...field(logs, "category")].includes(unknown);
    if (!auditByGroup && !auditByCategory) {
        if (unknownLogs) cannotKnow(`${describe(setting)}: the categories of logs`);
        gaps.push(
            `logs enable neither the ${openAiDiagnostics.categoryGroups.join("/")} category group nor the ${openAiDiagnostics.auditCategories.join(" and ")} categories`,
        );
    }
    const metrics = field(enabled(asArray(known(setting.props, "metrics"))), "category");
    if (!metrics.some((c) => lower(c) === openAiDiagnostics.metricCategory.toLowerCase())) {
        if (metrics.includes(unknown)) cannotKnow(`${describe(setting)}: the categories of metrics`);
        gaps.push(`metrics do not enable ${openAiDiagnostics.metricCategory}`);
    }
    if (!hasWorkspace) gaps.push("workspaceId does not point to a Log Analytics workspace");
    return gaps;
}

const isWorkspaceId = (v: unknown) =>
    typeof v === "string" && /\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i.test(v);

export const diagnosticSettings = stackRule({
    name: "azure-openai-account-enable-audit-diagnostics",
    description:
        "Every Azure OpenAI account must send its audit logs (Audit and RequestResponse, or the audit/allLogs category group) and metrics to a Log Analytics workspace.",
    severity: "high",
    concerns: accountTypes,
    anchors: { mcsb: "LT-3", azurePolicy: "1b4d1c4e-934c-4703-944c-27c82c06bebb" },
    remediationSteps:
        'Add a monitor.DiagnosticSetting with resourceUri = the account id, workspaceId = the audit workspace, logs [{ categoryGroup: "audit", enabled: true }, { categoryGroup: "allLogs", enabled: true }] and metrics [{ category: "AllMetrics", enabled: true }].',
    check: (index, _c, problem) => {
        const settingsOf = new Map<string, PolicyResource[]>();
        for (const s of index.of(types.diagnosticSetting)) {
            // resourceUri is a URL path parameter: absent from the outputs, so the scope comes by URN or from the id.
            const link = index.scopeOf(s, "resourceUri", accountTypes);
            if (link.kind === "resources")
                for (const a of link.resources) settingsOf.set(a.urn, [...(settingsOf.get(a.urn) ?? []), s]);
        }
        judgeEach(index.of(...accountTypes), (account) => {
            const settings = settingsOf.get(account.urn) ?? [];
            if (settings.length === 0) {
                problem(
                    account,
                    "diagnostic setting",
                    "is missing, so requests are not audited",
                    "add a DiagnosticSetting sending audit logs and AllMetrics to the audit workspace",
                );
                return;
            }
            const judged = settings.map((s) => {
                const ws = index.link(s, "workspaceId", [types.workspace]);
                const hasWorkspace = ws.kind === "resources" || (ws.kind === "external" && isWorkspaceId(ws.id));
                return diagnosticGaps(s, hasWorkspace);
            });
            if (judged.every((g) => g.length > 0))
                problem(
                    account,
                    "diagnostic settings",
                    `are incomplete: ${judged[0].join("; ")}`,
                    "send audit logs and AllMetrics to a Log Analytics workspace",
                );
        });
    },
});

const minOf = (pick: (p: (typeof profiles)[keyof typeof profiles]) => number) =>
    Math.min(...Object.values(profiles).map(pick));

interface RetentionConfig {
    minInteractiveDays: number;
    minTotalDays: number;
}
export const workspaceRetention = stackRule<RetentionConfig>({
    name: "azure-openai-workspace-configure-retention",
    description:
        "Log Analytics workspaces of the stack must keep audit logs searchable and in total for at least the compliance profile's retention.",
    severity: "high",
    concerns: [types.workspace],
    anchors: { mcsb: "LT-6" },
    configSchema: {
        properties: {
            minInteractiveDays: {
                type: "integer",
                minimum: 4,
                maximum: 730,
                default: minOf((p) => p.minimumLogRetention.interactiveDays),
            },
            minTotalDays: {
                type: "integer",
                minimum: 4,
                maximum: 4383,
                default: minOf((p) => p.minimumLogRetention.totalDays),
            },
        },
    },
    remediationSteps:
        "Set the workspace's retentionInDays to at least the interactive minimum and give its audit tables (operationalinsights.Table) totalRetentionInDays of at least the total minimum (logging.* in the stack config).",
    check: (index, config, problem) => {
        const tablesOf = new Map<string, PolicyResource[]>();
        for (const t of index.of(types.workspaceTable)) {
            const link = index.ownerOf(t, "workspaceName", types.workspace);
            const owners = link.kind === "resources" ? link.resources : [];
            for (const w of owners) tablesOf.set(w.urn, [...(tablesOf.get(w.urn) ?? []), t]);
        }
        for (const ws of index.of(types.workspace)) {
            const days = known(ws.props, "retentionInDays");
            if (typeof days !== "number" || days < config.minInteractiveDays)
                problem(ws, "retentionInDays", `is ${show(days)}`, `set at least ${config.minInteractiveDays} days`);
            const workspaceDays = typeof days === "number" ? days : 0;
            const tables = tablesOf.get(ws.urn) ?? [];
            for (const t of tables) {
                const interactive = peek(t.props, "retentionInDays");
                const total = peek(t.props, "totalRetentionInDays");
                if (interactive === unknown || total === unknown) continue;
                const effectiveInteractive =
                    typeof interactive === "number" && interactive > 0 ? interactive : workspaceDays;
                const effectiveTotal = typeof total === "number" && total > 0 ? total : effectiveInteractive;
                if (effectiveInteractive < config.minInteractiveDays)
                    problem(
                        ws,
                        `table ${t.name} retentionInDays`,
                        `is ${show(interactive)} (effective ${effectiveInteractive} days)`,
                        `set at least ${config.minInteractiveDays} days`,
                    );
                if (effectiveTotal < config.minTotalDays)
                    problem(
                        ws,
                        `table ${t.name} totalRetentionInDays`,
                        `is ${show(total)} (effective ${effectiveTotal} days)`,
                        `set at least ${config.minTotalDays} days`,
                    );
            }
            if (workspaceDays < config.minTotalDays && tables.length === 0) {
                problem(
                    ws,
                    "total retention",
                    `is ${workspaceDays} days: no table in the stack keeps logs longer`,
                    `add operationalinsights.Table resources for the audit tables with totalRetentionInDays of at least ${config.minTotalDays}`,
                );
            }
        }
    },
});
