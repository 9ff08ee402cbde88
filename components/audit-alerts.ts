/** The alert rules a security team watches on the audit workspace: rejected calls, unexpected callers, throttling. */
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import { AuditLoggingArgs } from "./audit-logging-args";
import { authFailuresQuery, throttlingQuery, unexpectedCallerQuery } from "./audit-queries";

/** One log alert per rule on the workspace, created once its tables exist. */
export function auditAlerts(
    owner: pulumi.ComponentResource,
    name: string,
    args: AuditLoggingArgs,
    workspaceId: pulumi.Output<string>,
    tables: pulumi.Resource[],
): monitor.ScheduledQueryRule[] {
    const thresholds = { authFailures: 10, throttledRequests: 50, ...args.alertThresholds };
    return [
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
                    resourceGroupName: args.resourceGroupName,
                    location: args.location,
                    kind: "LogAlert",
                    description: a.description,
                    severity: a.severity,
                    enabled: true,
                    scopes: [workspaceId],
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
                    tags: args.tags,
                },
                { parent: owner, dependsOn: tables },
            ),
    );
}
