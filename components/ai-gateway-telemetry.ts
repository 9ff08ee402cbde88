/**
 * What the AI gateway records: token metrics (llm-emit-token-metric) in a workspace-based Application Insights that
 * accepts only Entra ID, and request logs to Azure Monitor, with message bodies only where the profile allows them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import { gatewayLogCategories } from "../catalogue/gateway";
import { AiGatewayArgs } from "./ai-gateway-args";
import { assignRoles } from "./shared";

/** The diagnostic setting the gateway needs: request logs and token usage, never a category group that could carry messages. */
export const gatewayLogCategoryList = [gatewayLogCategories.gateway, gatewayLogCategories.llm];

/** Creates the metrics and log pipeline; returns the service's diagnostics (the policy waits for them). */
export function gatewayTelemetry(
    owner: pulumi.ComponentResource,
    name: string,
    args: AiGatewayArgs,
    service: apimanagement.ApiManagementService,
    principalId: pulumi.Output<string>,
): apimanagement.Diagnostic[] {
    const { resourceGroupName, location, tags } = args;
    const child = { parent: owner };
    const onService = { resourceGroupName, serviceName: service.name };
    const insights = new applicationinsights.Component(
        `${name}-insights`,
        {
            resourceName: `appi-${args.namePrefix}-gateway`,
            resourceGroupName,
            location,
            kind: "web",
            applicationType: "web",
            workspaceResourceId: args.workspaceId,
            ingestionMode: "LogAnalytics",
            disableLocalAuth: true,
            tags,
        },
        child,
    );
    const publisher = assignRoles(owner, `${name}-insights`, insights.id, args.subscriptionId, [
        {
            key: "gateway-metrics",
            principalId,
            principalType: "ServicePrincipal",
            role: "monitoringMetricsPublisher",
            description: "AI gateway publishes token metrics with its managed identity",
        },
    ]);
    const insightsLogger = new apimanagement.Logger(
        `${name}-logger-insights`,
        {
            ...onService,
            loggerId: "applicationinsights",
            loggerType: "applicationInsights",
            resourceId: insights.id,
            // Connection string plus the service's own identity instead of an instrumentation key
            // (api-management-howto-app-insights.md, "Connection string with system-assigned managed identity").
            credentials: { connectionString: insights.connectionString, identityClientId: "SystemAssigned" },
        },
        { ...child, dependsOn: publisher },
    );
    const monitorLogger = new apimanagement.Logger(
        `${name}-logger-monitor`,
        { ...onService, loggerId: "azuremonitor", loggerType: "azureMonitor" },
        child,
    );

    const bodyBytes = args.logBodies ? 8192 : 0;
    const messages = {
        request: { headers: [], body: { bytes: bodyBytes } },
        response: { headers: [], body: { bytes: bodyBytes } },
    };
    return [
        new apimanagement.Diagnostic(
            `${name}-diagnostic-insights`,
            {
                ...onService,
                diagnosticId: "applicationinsights",
                loggerId: insightsLogger.id,
                // Required for llm-emit-token-metric ("Emit custom metrics": `"metrics": true` on the applicationinsights diagnostic).
                metrics: true,
                alwaysLog: "allErrors",
                sampling: { samplingType: "fixed", percentage: 100 },
                logClientIp: false,
                frontend: messages,
                backend: messages,
            },
            child,
        ),
        new apimanagement.Diagnostic(
            `${name}-diagnostic-monitor`,
            {
                ...onService,
                diagnosticId: "azuremonitor",
                loggerId: monitorLogger.id,
                alwaysLog: "allErrors",
                sampling: { samplingType: "fixed", percentage: 100 },
                logClientIp: true,
                frontend: messages,
                backend: messages,
            },
            child,
        ),
    ];
}
