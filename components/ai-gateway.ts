/**
 * The governed AI gateway: Azure API Management (Standard v2) in front of the stack's Azure OpenAI accounts. Callers
 * reach it only through its private endpoint and prove who they are with Entra ID tokens; it enforces the stack's token
 * rate, daily and monthly quotas (from its USD limits) and the per-request cap, emits token metrics per caller, team and
 * deployment, and calls the accounts through their private endpoints with its own managed identity. No API key exists
 * anywhere: no subscription is required or created, and the accounts have local auth disabled.
 */
import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { deploymentSkus } from "../catalogue/azure";
import {
    cognitiveServicesResource,
    componentGatewayTier,
    gatewayLogCategories,
    gatewayPrivateLink,
} from "../catalogue/gateway";
import { GatewayTokenLimits } from "../catalogue/gateway-limits";
import { stableSuffix } from "../catalogue/naming";
import { gatewayPolicyXml } from "./gateway-policy";
import {
    assignRoles,
    attachDiagnostics,
    attachLock,
    attachPrivateEndpoint,
    CommonArgs,
    PrivateEndpointSpec,
} from "./shared";

/** An account the gateway forwards to. Its region and deployment SKUs are checked against the residency rules. */
export interface AiGatewayBackend {
    /** Stable key (e.g. the account's name); the backend's id is `openai-<key>`. */
    key: string;
    accountId: pulumi.Input<string>;
    /** The account's custom subdomain: the backend is `https://<subdomain>.openai.azure.com/openai`, resolved privately. */
    customSubDomainName: string;
    /** Region of the account. */
    location: string;
    /** The account's deployments: their SKUs say where prompts are processed; pooled accounts must serve the same names. */
    deployments: { name: string; sku: string }[];
    /** Lower is preferred; equal priorities share the load (a pool). Default 1. */
    priority?: number;
}

/** Where the gateway may send data: the compliance profile's rules. */
export interface AiGatewayResidency {
    /** Profile id, for messages. */
    profile: string;
    allowedRegions: string[];
    allowedDeploymentSkus: string[];
    publicInboundAllowed: boolean;
    bodyLoggingAllowed: boolean;
}

/** An admitted caller: a client (application) id and the team its tokens are charged to. */
export interface AiGatewayCaller {
    /** Stable key naming the caller's named value (`caller-<key>`), e.g. the application name. */
    key: string;
    clientId: pulumi.Input<string>;
    team: string;
}

export interface AiGatewayArgs extends CommonArgs {
    /** Short lower-case prefix of the stack's names; the service is `apim-<namePrefix>-<suffix>`. */
    namePrefix: string;
    /** Plain string that makes the service name globally unique but stable (as for the account's subdomain). */
    uniquenessSeed: string;
    subscriptionId: pulumi.Input<string>;
    /** Entra ID tenant whose tokens the gateway accepts. */
    tenantId: pulumi.Input<string>;
    residency: AiGatewayResidency;
    /** Subnet for outbound VNet integration (dedicated, delegated to Microsoft.Web/serverFarms). */
    integrationSubnetId: pulumi.Input<string>;
    /** Standard v2 units (1-10). */
    units?: number;
    publisherEmail: string;
    backends: AiGatewayBackend[];
    callers: AiGatewayCaller[];
    /** Token limits (catalogue/gateway-limits.ts `gatewayTokenLimits`). */
    limits: GatewayTokenLimits;
    /** Inbound private endpoint: the subnet and the privatelink.azure-api.net zone(s); none with `dnsZoneVnetId` set. */
    privateEndpoint?: PrivateEndpointSpec;
    /** Create a privatelink.azure-api.net zone linked to this VNet (stacks without hub zones). */
    dnsZoneVnetId?: pulumi.Input<string>;
    /** Workspace-based Application Insights for the token metrics goes to this Log Analytics workspace. */
    workspaceId: pulumi.Input<string>;
    /** Log request and response bodies; only where the profile allows it. Default false. */
    logBodies?: boolean;
    /**
     * First deployment only: Azure refuses publicNetworkAccess Disabled until an approved private endpoint exists
     * (Azure/azure-rest-api-specs#24947, read 2026-11-27), so the gateway is created with it Enabled; the policy still
     * refuses every request that does not come through the private endpoint.
     */
    firstDeployment?: boolean;
}

/** The operations of the Azure OpenAI data plane the gateway exposes (path under `/openai`), by operation id. */
export const gatewayOperations = {
    "chat-completions": "/deployments/{deployment-id}/chat/completions",
    completions: "/deployments/{deployment-id}/completions",
    embeddings: "/deployments/{deployment-id}/embeddings",
} as const;
/** Operations that generate text and so must state `max_tokens`. */
export const completionOperations = ["chat-completions", "completions"];

/** The gateway's service name (and `<name>.azure-api.net` host) for a prefix and seed. */
export function gatewayServiceName(namePrefix: string, uniquenessSeed: string): string {
    return `apim-${namePrefix}-${stableSuffix(`apim/${namePrefix}/${uniquenessSeed}`)}`;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const keyPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Synchronous checks; every problem names the argument and what was expected. Backends must keep data where the profile says. */
export function validateAiGatewayArgs(
    args: Pick<
        AiGatewayArgs,
        | "namePrefix"
        | "uniquenessSeed"
        | "location"
        | "residency"
        | "units"
        | "backends"
        | "callers"
        | "privateEndpoint"
        | "dnsZoneVnetId"
        | "logBodies"
        | "publisherEmail"
    >,
): void {
    const problems: string[] = [];
    const r = args.residency;
    if (!/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/.test(args.namePrefix))
        problems.push(
            `namePrefix: '${args.namePrefix}' expected 3-20 lower-case letters, digits or '-', starting with a letter`,
        );
    if (args.uniquenessSeed.trim() === "") problems.push("uniquenessSeed: expected a non-empty string");
    if (!r.allowedRegions.includes(args.location))
        problems.push(
            `location: '${args.location}' is outside profile ${r.profile}'s regions: expected one of ${r.allowedRegions.join(", ")}`,
        );
    const units = args.units ?? 1;
    if (!Number.isInteger(units) || units < 1 || units > 10)
        problems.push(`units: ${units} expected 1 to 10 (Standard v2)`);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(args.publisherEmail))
        problems.push(`publisherEmail: '${args.publisherEmail}' expected an email address`);
    if (args.backends.length === 0) problems.push("backends: expected at least one account");
    const keys = new Set<string>();
    args.backends.forEach((b, i) => {
        const at = `backends[${i}]`;
        if (!keyPattern.test(b.key)) problems.push(`${at}.key: '${b.key}' expected lower-case letters, digits and '-'`);
        if (keys.has(b.key)) problems.push(`${at}.key: duplicate '${b.key}': expected unique keys`);
        keys.add(b.key);
        // Load balancing or failover must never carry prompts out of the profile's boundary.
        if (!r.allowedRegions.includes(b.location))
            problems.push(
                `${at}.location: '${b.location}' is outside profile ${r.profile}'s regions, so prompts would leave its boundary: expected one of ${r.allowedRegions.join(", ")}`,
            );
        if (b.deployments.length === 0) problems.push(`${at}.deployments: expected the account's deployments`);
        b.deployments.forEach((d, j) => {
            if (!r.allowedDeploymentSkus.includes(d.sku)) {
                const scope = (deploymentSkus as Record<string, string>)[d.sku];
                problems.push(
                    `${at}.deployments[${j}].sku: '${d.sku}' processes prompts ${scope === "global" ? "in any Azure region" : "outside the profile's boundary"}: expected one of ${r.allowedDeploymentSkus.join(", ")}`,
                );
            }
        });
        // A pool sends a request to any of its accounts: each must serve every deployment name, or calls fail at random.
        const names = (x: AiGatewayBackend) =>
            x.deployments
                .map((d) => d.name)
                .sort()
                .join(", ");
        if (i > 0 && names(b) !== names(args.backends[0]))
            problems.push(
                `${at}.deployments: serves [${names(b)}], backends[0] serves [${names(args.backends[0])}]: expected the same deployment names on every account of the pool`,
            );
        if (b.priority !== undefined && (!Number.isInteger(b.priority) || b.priority < 1 || b.priority > 100))
            problems.push(`${at}.priority: ${b.priority} expected 1 to 100`);
    });
    if (args.callers.length === 0) problems.push("callers: expected at least one caller the gateway admits");
    const callerKeys = new Set<string>();
    args.callers.forEach((c, i) => {
        if (!keyPattern.test(c.key))
            problems.push(`callers[${i}].key: '${c.key}' expected lower-case letters, digits and '-'`);
        if (callerKeys.has(c.key)) problems.push(`callers[${i}].key: duplicate '${c.key}': expected unique keys`);
        callerKeys.add(c.key);
        if (typeof c.clientId === "string" && !guid.test(c.clientId))
            problems.push(`callers[${i}].clientId: '${c.clientId}' expected a GUID`);
    });
    if (!r.publicInboundAllowed && !args.privateEndpoint)
        problems.push(
            `privateEndpoint: profile ${r.profile} forbids public inbound access: expected a private endpoint subnet`,
        );
    if (args.privateEndpoint && args.privateEndpoint.privateDnsZoneIds.length === 0 && args.dnsZoneVnetId === undefined)
        problems.push(
            `privateEndpoint.privateDnsZoneIds: expected the ${gatewayPrivateLink.zone} zone id, or dnsZoneVnetId to create one`,
        );
    if (args.logBodies && !r.bodyLoggingAllowed)
        problems.push(
            `logBodies: profile ${r.profile} keeps request and response bodies (prompts, completions, personal data) out of logs: expected false`,
        );
    if (problems.length > 0) throw new Error(`AiGateway: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

export class AiGateway extends pulumi.ComponentResource {
    public readonly serviceName: string;
    public readonly serviceId: pulumi.Output<string>;
    /** What callers use as the Azure OpenAI endpoint: `https://<service>.azure-api.net` (resolved privately). */
    public readonly gatewayUrl: string;
    /** Object id of the gateway's system-assigned identity. */
    public readonly principalId: pulumi.Output<string>;
    public readonly limits: GatewayTokenLimits;

    constructor(name: string, args: AiGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("azure-openai-lz:gateway:AiGateway", name, {}, opts);
        validateAiGatewayArgs(args);
        const { resourceGroupName, location, tags } = args;
        const child = { parent: this };
        this.serviceName = gatewayServiceName(args.namePrefix, args.uniquenessSeed);
        this.gatewayUrl = `https://${this.serviceName}.azure-api.net`;
        this.limits = args.limits;
        const publicAccess = args.residency.publicInboundAllowed || args.firstDeployment ? "Enabled" : "Disabled";

        const service = new apimanagement.ApiManagementService(
            `${name}-service`,
            {
                serviceName: this.serviceName,
                resourceGroupName,
                location,
                sku: { name: componentGatewayTier, capacity: args.units ?? 1 },
                identity: { type: "SystemAssigned" },
                publisherEmail: args.publisherEmail,
                publisherName: `${args.namePrefix} AI platform`,
                publicNetworkAccess: publicAccess,
                // Standard v2 outbound VNet integration: "External" with the integration subnet (integrate-vnet-outbound.md;
                // Azure-Samples/ai-hub-gateway-solution-accelerator apim.bicep sets v2 SKUs this way), read 2026-11-27.
                virtualNetworkType: "External",
                virtualNetworkConfiguration: { subnetResourceId: args.integrationSubnetId },
                // Control-plane API versions before 2021-08-01 returned secrets in GET responses (Azure Policy
                // "API Management minimum API version should be set to 2019-12-01 or higher").
                apiVersionConstraint: { minApiVersion: "2021-08-01" },
                // No developer portal: callers are applications with identities, not people browsing for keys.
                developerPortalStatus: "Disabled",
                tags,
            },
            child,
        );
        this.serviceId = service.id;
        this.principalId = service.identity.apply((i) => i?.principalId ?? "");
        const serviceName = service.name;
        const onService = { resourceGroupName, serviceName };

        // Inbound: a private endpoint registered in privatelink.azure-api.net (the hub's, or one created here).
        const zoneIds = [...(args.privateEndpoint?.privateDnsZoneIds ?? [])];
        if (args.privateEndpoint && zoneIds.length === 0 && args.dnsZoneVnetId !== undefined) {
            const zone = new privatedns.PrivateZone(
                `${name}-zone`,
                { privateZoneName: gatewayPrivateLink.zone, resourceGroupName, location: "global", tags },
                child,
            );
            new privatedns.VirtualNetworkLink(
                `${name}-zone-link`,
                {
                    privateZoneName: zone.name,
                    resourceGroupName,
                    virtualNetworkLinkName: `${args.namePrefix}-apim-link`,
                    location: "global",
                    virtualNetwork: { id: args.dnsZoneVnetId },
                    registrationEnabled: false,
                    tags,
                },
                { parent: zone },
            );
            zoneIds.push(zone.id);
        }
        if (args.privateEndpoint) {
            attachPrivateEndpoint(
                this,
                name,
                { resourceId: service.id, groupId: gatewayPrivateLink.groupId, resourceGroupName, location, tags },
                { subnetId: args.privateEndpoint.subnetId, privateDnsZoneIds: zoneIds },
                [service],
            );
        }

        // The gateway's identity calls the accounts: OpenAI User, nothing more.
        const accountRoles = args.backends
            .map((b) =>
                assignRoles(this, `${name}-${b.key}`, b.accountId, args.subscriptionId, [
                    {
                        key: "gateway",
                        principalId: this.principalId,
                        principalType: "ServicePrincipal",
                        role: "cognitiveServicesOpenAiUser",
                        description: `AI gateway ${this.serviceName} calls the account with its managed identity`,
                    },
                ]),
            )
            .flat();

        const backends = args.backends.map(
            (b) =>
                new apimanagement.Backend(
                    `${name}-backend-${b.key}`,
                    {
                        ...onService,
                        backendId: `openai-${b.key}`,
                        title: `Azure OpenAI ${b.key} (${b.location})`,
                        // Resolved through the account's private endpoint from the integration subnet; the account refuses public calls.
                        url: `https://${b.customSubDomainName}.openai.azure.com/openai`,
                        protocol: "http",
                        tls: { validateCertificateChain: true, validateCertificateName: true },
                        // Throttled or failing accounts leave the rotation for a minute, as Azure's Retry-After says (backends.md).
                        circuitBreaker: {
                            rules: [
                                {
                                    name: "throttled-or-failing",
                                    acceptRetryAfter: true,
                                    tripDuration: "PT1M",
                                    failureCondition: {
                                        count: 3,
                                        interval: "PT1M",
                                        statusCodeRanges: [
                                            { min: 429, max: 429 },
                                            { min: 500, max: 599 },
                                        ],
                                    },
                                },
                            ],
                        },
                    },
                    child,
                ),
        );
        const pooled = backends.length > 1;
        const target = pooled
            ? new apimanagement.Backend(
                  `${name}-backend-pool`,
                  {
                      ...onService,
                      backendId: "openai-pool",
                      title: `Azure OpenAI accounts of ${args.namePrefix} (${args.residency.profile})`,
                      type: "Pool",
                      // Pool members by backend path, as backends.md's pool example gives them.
                      pool: {
                          services: args.backends.map((b) => ({
                              id: `/backends/openai-${b.key}`,
                              priority: b.priority ?? 1,
                          })),
                      },
                  },
                  { ...child, dependsOn: backends },
              )
            : backends[0];
        const targetId = pooled ? "openai-pool" : `openai-${args.backends[0].key}`;

        // Token metrics (llm-emit-token-metric) go to a workspace-based Application Insights that accepts only Entra ID.
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
        const publisher = assignRoles(this, `${name}-insights`, insights.id, args.subscriptionId, [
            {
                key: "gateway-metrics",
                principalId: this.principalId,
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
        const diagnostics = [
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

        // Ids the policy needs live in named values: the policy text is then known in a preview (see gateway-policy.ts).
        const tenantValue = new apimanagement.NamedValue(
            `${name}-nv-tenant`,
            {
                ...onService,
                namedValueId: "gateway-tenant-id",
                displayName: "gateway-tenant-id",
                value: args.tenantId,
                secret: false,
            },
            child,
        );
        const callerValues = args.callers.map(
            (c) =>
                new apimanagement.NamedValue(
                    `${name}-nv-caller-${c.key}`,
                    {
                        ...onService,
                        namedValueId: `caller-${c.key}`,
                        displayName: `caller-${c.key}`,
                        // Lower-case: the policy compares it with the token's appid, lower-cased there too.
                        value: pulumi.output(c.clientId).apply((id) => id.toLowerCase()),
                        secret: false,
                    },
                    child,
                ),
        );

        const api = new apimanagement.Api(
            `${name}-api`,
            {
                ...onService,
                apiId: "azure-openai",
                displayName: "Azure OpenAI (governed)",
                description: `Azure OpenAI data plane of ${args.namePrefix}: Entra ID callers, token quotas from the stack's USD limits, ${args.limits.tokens.perRequest} tokens per request.`,
                path: "openai",
                protocols: ["https"],
                apiType: "http",
                // No subscription keys: callers present Entra ID tokens, validated by the policy.
                subscriptionRequired: false,
                serviceUrl: `https://${args.backends[0].customSubDomainName}.openai.azure.com/openai`,
            },
            child,
        );
        // By the API's name output, so that operations and policy link to the API by URN (known in a preview).
        const operations = Object.entries(gatewayOperations).map(
            ([operationId, urlTemplate]) =>
                new apimanagement.ApiOperation(
                    `${name}-op-${operationId}`,
                    {
                        ...onService,
                        apiId: api.name,
                        operationId,
                        displayName: operationId,
                        method: "POST",
                        urlTemplate,
                        templateParameters: [{ name: "deployment-id", type: "string", required: true }],
                        request: { queryParameters: [{ name: "api-version", type: "string", required: true }] },
                    },
                    { ...child, dependsOn: [api] },
                ),
        );

        const policy = gatewayPolicyXml({
            counterPrefix: args.namePrefix,
            tenantNamedValue: "gateway-tenant-id",
            audiences: [cognitiveServicesResource],
            callers: args.callers.map((c) => ({ namedValue: `caller-${c.key}`, team: c.team })),
            limits: args.limits,
            backendResource: cognitiveServicesResource,
            backendId: targetId,
            completionOperations,
            privateEndpointOnly: !args.residency.publicInboundAllowed,
            metricNamespace: "azure-openai-gateway",
        });
        new apimanagement.ApiPolicy(
            `${name}-api-policy`,
            {
                ...onService,
                apiId: api.name,
                policyId: "policy",
                format: "xml",
                value: policy,
            },
            {
                ...child,
                dependsOn: [api, target, tenantValue, ...callerValues, ...diagnostics, ...operations, ...accountRoles],
            },
        );

        attachDiagnostics(this, name, service.id, args.diagnosticSettings);
        if (args.roleAssignments?.length)
            assignRoles(this, name, service.id, args.subscriptionId, args.roleAssignments);
        attachLock(this, name, service.id, args.lock);

        this.registerOutputs({
            serviceName: this.serviceName,
            serviceId: this.serviceId,
            gatewayUrl: this.gatewayUrl,
            principalId: this.principalId,
            limits: this.limits,
        });
    }
}

/** The diagnostic setting the gateway needs: request logs and token usage, never a category group that could carry messages. */
export const gatewayLogCategoryList = [gatewayLogCategories.gateway, gatewayLogCategories.llm];
