/** Compliant fixtures per resource type, and a whole compliant stack with cloud values known (update) or unknown (preview). */
import { builtInRoles, types } from "../../catalogue/azure";
import { cognitiveServicesResource, gatewayTypes } from "../../catalogue/gateway";
import { designGatewayLimits } from "../../catalogue/profiles";
import { catalogueUsdPer1kTokens, gatewayTokenLimits } from "../../catalogue/gateway-limits";
import { gatewayPolicyXml, GatewayPolicyConfig } from "../../components/gateway-policy";
import { firstOfMonthUtc } from "../../catalogue/budget-period";
import { StackFixture, UNKNOWN } from "./harness";

/** A same-realm deep copy (structuredClone's objects fail `instanceof Object` inside jest's sandbox, and the SDK's proxy then skips them). */
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export const sub = "3f2a1c9e-7b4d-4e8a-9c61-2d5e8f0a4b17";
export const rgId = `/subscriptions/${sub}/resourceGroups/rg-contoso-weu-openai`;
export const accountId = `${rgId}/providers/Microsoft.CognitiveServices/accounts/contoso-weu-openai`;
export const workspaceId = `${rgId}/providers/Microsoft.OperationalInsights/workspaces/law-contoso-weu`;
export const peId = `${rgId}/providers/Microsoft.Network/privateEndpoints/pe-contoso-weu-openai`;
export const zoneId = `${rgId}/providers/Microsoft.Network/privateDnsZones/privatelink.openai.azure.com`;
export const vaultId = `${rgId}/providers/Microsoft.KeyVault/vaults/kv-contoso`;
export const amplsId = `${rgId}/providers/microsoft.insights/privateLinkScopes/ampls-law-contoso-weu`;
export const monitorZoneId = `${rgId}/providers/Microsoft.Network/privateDnsZones/privatelink.monitor.azure.com`;
/** The hub's Azure Monitor zone (outside the stack): its id is known in a preview. */
export const hubMonitorZoneId = `/subscriptions/${sub}/resourceGroups/rg-dns-hub/providers/Microsoft.Network/privateDnsZones/privatelink.monitor.azure.com`;
export const subnetId = `${rgId}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe`;

export const tags = {
    "compliance-profile": "eu-gdpr",
    environment: "prod",
    "cost-center": "CC-4711",
    owner: "ai@contoso.com",
    "data-classification": "confidential",
};

export const account = () => ({
    accountName: "contoso-weu-openai",
    resourceGroupName: "rg-contoso-weu-openai",
    location: "westeurope",
    kind: "OpenAI",
    sku: { name: "S0" },
    identity: { type: "SystemAssigned" },
    properties: {
        customSubDomainName: "contoso-weu-openai",
        publicNetworkAccess: "Disabled",
        networkAcls: { defaultAction: "Deny", ipRules: [], virtualNetworkRules: [], bypass: "None" },
        disableLocalAuth: true,
        restrictOutboundNetworkAccess: true,
        allowedFqdnList: ["contoso-weu-openai.openai.azure.com"],
        encryption: {
            keySource: "Microsoft.KeyVault",
            keyVaultProperties: { keyVaultUri: "https://kv-contoso.vault.azure.net/", keyName: "openai-cmk" },
        },
    },
    tags: { ...tags },
});

export const classicAccount = () => ({
    name: "contoso-weu-openai",
    resourceGroupName: "rg-contoso-weu-openai",
    location: "westeurope",
    kind: "OpenAI",
    skuName: "S0",
    identity: { type: "SystemAssigned" },
    customSubdomainName: "contoso-weu-openai",
    publicNetworkAccessEnabled: false,
    localAuthEnabled: false,
    networkAcls: { defaultAction: "Deny", ipRules: [], virtualNetworkRules: [] },
    outboundNetworkAccessRestricted: true,
    fqdns: ["contoso-weu-openai.openai.azure.com"],
    customerManagedKey: { keyVaultKeyId: "https://kv-contoso.vault.azure.net/keys/cmk" },
    tags: { ...tags },
});

/** A customer-managed key's vault as the CustomerManagedKey component builds it (RBAC model). */
export const vault = () => ({
    vaultName: "kv-contoso",
    resourceGroupName: "rg-contoso-weu-openai",
    location: "westeurope",
    properties: {
        tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
        sku: { family: "A", name: "premium" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enablePurgeProtection: true,
        publicNetworkAccess: "Disabled",
        networkAcls: { defaultAction: "Deny", ipRules: [], virtualNetworkRules: [], bypass: "AzureServices" },
    },
    tags: { ...tags },
});

export const classicVault = () => ({
    name: "kv-contoso-classic",
    resourceGroupName: "rg-contoso-weu-openai",
    location: "westeurope",
    tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    skuName: "premium",
    rbacAuthorizationEnabled: true,
    purgeProtectionEnabled: true,
    softDeleteRetentionDays: 90,
    publicNetworkAccessEnabled: false,
    networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkSubnetIds: [] },
    tags: { ...tags },
});

/** The same vault as a generic ARM resource: its ARM `properties` are the native vault's. */
export const genericVault = () => ({
    resourceProviderNamespace: "Microsoft.KeyVault",
    resourceType: "vaults",
    parentResourcePath: "",
    resourceName: "kv-contoso-generic",
    apiVersion: "2024-11-01",
    resourceGroupName: "rg-contoso-weu-openai",
    location: "westeurope",
    properties: vault().properties,
    tags: { ...tags },
});

export const vaultKey = () => ({
    keyName: "openai-cmk",
    vaultName: "kv-contoso",
    resourceGroupName: "rg-contoso-weu-openai",
    properties: {
        kty: "RSA-HSM",
        keySize: 2048,
        keyOps: ["wrapKey", "unwrapKey"],
        attributes: { enabled: true, exportable: false },
        rotationPolicy: {
            attributes: { expiryTime: "P730D" },
            lifetimeActions: [
                { trigger: { timeAfterCreate: "P365D" }, action: { type: "rotate" } },
                { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "notify" } },
            ],
        },
    },
    tags: { ...tags },
});

export const classicVaultKey = () => ({
    name: "openai-cmk",
    keyVaultId: vaultId,
    keyType: "RSA-HSM",
    keySize: 2048,
    keyOpts: ["wrapKey", "unwrapKey"],
    rotationPolicy: { automatic: { timeAfterCreation: "P365D" }, expireAfter: "P730D", notifyBeforeExpiry: "P30D" },
});

/** The access policy the CMK case needs: the account's identity may get, wrap and unwrap with keys. */
export const accessPolicy = () => ({
    vaultName: "kv-contoso",
    resourceGroupName: "rg-contoso-weu-openai",
    policy: {
        tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
        objectId: "0d9b7a45-6c21-4d8e-9f3a-1b2c3d4e5f60",
        permissions: { keys: ["get", "wrapKey", "unwrapKey"] },
    },
});

export const workspace = () => ({
    workspaceName: "law-contoso-weu",
    resourceGroupName: "rg-contoso-weu-openai",
    location: "westeurope",
    sku: { name: "PerGU2018" },
    retentionInDays: 90,
    features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
    publicNetworkAccessForIngestion: "Disabled",
    publicNetworkAccessForQuery: "Disabled",
    tags: { ...tags },
});

export const classicWorkspace = () => ({
    name: "law-contoso-classic",
    resourceGroupName: "rg-contoso-weu-openai",
    location: "westeurope",
    sku: "PerGB2018",
    retentionInDays: 90,
    localAuthenticationEnabled: false,
    internetIngestionEnabled: false,
    internetQueryEnabled: false,
    tags: { ...tags },
});

export const privateLinkScope = () => ({
    scopeName: "ampls-law-contoso-weu",
    resourceGroupName: "rg-contoso-weu-openai",
    location: "global",
    accessModeSettings: { ingestionAccessMode: "PrivateOnly", queryAccessMode: "PrivateOnly" },
    tags: { ...tags },
});

export const deployment = () => ({
    deploymentName: "chat-gpt4o",
    accountName: "contoso-weu-openai",
    resourceGroupName: "rg-contoso-weu-openai",
    sku: { name: "DataZoneStandard", capacity: 10 },
    properties: {
        model: { format: "OpenAI", name: "gpt-5.2", version: "2025-12-11" },
        raiPolicyName: "contoso-weu-filter",
        versionUpgradeOption: "NoAutoUpgrade",
    },
    tags: { ...tags },
});

export const classicDeployment = () => ({
    name: "chat-gpt4o",
    cognitiveAccountId: accountId,
    sku: { name: "DataZoneStandard", capacity: 10 },
    model: { format: "OpenAI", name: "gpt-5.2", version: "2025-12-11" },
    raiPolicyName: "contoso-weu-filter",
    versionUpgradeOption: "NoAutoUpgrade",
});

export const raiPolicy = (threshold = "Medium") => ({
    raiPolicyName: "contoso-weu-filter",
    accountName: "contoso-weu-openai",
    resourceGroupName: "rg-contoso-weu-openai",
    properties: {
        basePolicyName: "Microsoft.DefaultV2",
        mode: "Blocking",
        contentFilters: [
            ...["Prompt", "Completion"].flatMap((source) =>
                ["Hate", "Sexual", "Violence", "Selfharm"].map((name) => ({
                    name,
                    enabled: true,
                    blocking: true,
                    severityThreshold: threshold,
                    source,
                })),
            ),
            { name: "Jailbreak", enabled: true, blocking: true, source: "Prompt" },
            { name: "Protected Material Text", enabled: true, blocking: true, source: "Completion" },
            { name: "Protected Material Code", enabled: true, blocking: true, source: "Completion" },
        ],
        customBlocklists: [{ blocklistName: "contoso-weu-dlp", blocking: true, source: "Prompt" }],
    },
    tags: { ...tags },
});

/** A hub DNS zone outside the stack (eu-prod's pattern): its id is known in a preview. */
export const hubZoneId = `/subscriptions/${sub}/resourceGroups/rg-dns-hub/providers/Microsoft.Network/privateDnsZones/privatelink.openai.azure.com`;

/** Inputs as outputs: azure-native drops the URL path parameters (`accountName`, ...) and adds `name` and `id`. */
function outputs(
    inputs: Record<string, unknown>,
    pathParameters: string[],
    name: string,
    id: string,
): Record<string, unknown> {
    const out: Record<string, unknown> = { ...inputs, name, id };
    for (const p of pathParameters) delete out[p];
    return out;
}

/**
 * A compliant regional stack as the engine sends it to AnalyzeStack: each resource's outputs (plan/provider/outputs.ts,
 * docs/plan.md), with no URL path parameter (`accountName`, a lock's `scope`, a diagnostic setting's `resourceUri`, ...).
 * `preview`: names, ids and computed values unknown, links only through property dependencies, parents and
 * outputs the program set, as in `pulumi preview`. The zone group registers in a hub zone given by id (a zone created in
 * the stack has no known name in a preview: see the stack rules' tests).
 */
export function compliantStack(preview: boolean): StackFixture[] {
    const id = (v: string) => (preview ? UNKNOWN : v);
    const named = (v: string) => (preview ? UNKNOWN : v);
    const filterId = `${accountId}/raiPolicies/contoso-weu-filter`;
    const dlpId = `${accountId}/raiBlocklists/contoso-weu-dlp`;
    return [
        { type: "pulumi:pulumi:Stack", name: "azure-openai-landing-zone-eu-prod", props: {} },
        {
            type: types.resourceGroup,
            name: "rg",
            props: { name: named("rg-contoso-weu-openai"), location: "westeurope", tags, id: id(rgId) },
        },
        {
            type: types.account,
            name: "openai",
            props: outputs(account(), ["accountName", "resourceGroupName"], named("contoso-weu-openai"), id(accountId)),
            protect: true,
            deps: { resourceGroupName: ["rg"] },
        },
        {
            type: types.raiBlocklist,
            name: "filter-dlp",
            props: { name: named("contoso-weu-dlp"), tags, id: id(dlpId) },
            deps: { accountName: ["openai"] },
        },
        {
            type: types.raiBlocklistItem,
            name: "filter-dlp-creditCard",
            parent: "filter-dlp",
            props: {
                name: named("creditCard"),
                properties: { pattern: "\\d{16}", isRegex: true },
                id: id(`${dlpId}/raiBlocklistItems/creditCard`),
            },
            deps: { raiBlocklistName: ["filter-dlp"] },
        },
        {
            type: types.raiPolicy,
            name: "filter-policy",
            props: outputs(
                raiPolicy(),
                ["raiPolicyName", "accountName", "resourceGroupName"],
                named("contoso-weu-filter"),
                id(filterId),
            ),
            deps: { accountName: ["openai"], properties: ["filter-dlp"] },
        },
        {
            type: types.deployment,
            name: "chat-gpt4o",
            props: outputs(
                deployment(),
                ["deploymentName", "accountName", "resourceGroupName"],
                named("chat-gpt4o"),
                id(`${accountId}/deployments/chat-gpt4o`),
            ),
            deps: { accountName: ["openai"], properties: ["filter-policy"] },
        },
        {
            type: types.privateEndpoint,
            name: "openai-pe",
            props: {
                name: named("pe-contoso-weu-openai"),
                location: "westeurope",
                tags,
                id: id(peId),
                subnet: { id: `${rgId}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe` },
                privateLinkServiceConnections: [
                    { name: "openai-account", privateLinkServiceId: id(accountId), groupIds: ["account"] },
                ],
            },
            deps: { privateLinkServiceConnections: ["openai"] },
        },
        {
            type: types.privateZone,
            name: "zone-openai",
            props: { name: named("privatelink.openai.azure.com"), location: "global", tags, id: id(zoneId) },
        },
        {
            type: types.virtualNetworkLink,
            name: "zone-openai-link",
            parent: "zone-openai",
            props: {
                name: named("vnet"),
                virtualNetwork: { id: `${rgId}/providers/Microsoft.Network/virtualNetworks/vnet` },
                registrationEnabled: false,
                location: "global",
                tags: { ...tags },
                id: id(`${zoneId}/virtualNetworkLinks/vnet`),
            },
            deps: { privateZoneName: ["zone-openai"] },
        },
        {
            type: types.privateDnsZoneGroup,
            name: "openai-pe-dns",
            parent: "openai-pe",
            props: {
                name: named("default"),
                privateDnsZoneConfigs: [{ name: "zone-0", privateDnsZoneId: hubZoneId }],
                id: id(`${peId}/privateDnsZoneGroups/default`),
            },
            deps: { privateEndpointName: ["openai-pe"] },
        },
        {
            type: types.workspace,
            name: "law",
            props: outputs(
                workspace(),
                ["workspaceName", "resourceGroupName"],
                named("law-contoso-weu"),
                id(workspaceId),
            ),
            protect: true,
        },
        {
            type: types.workspaceTable,
            name: "law-table-AzureDiagnostics",
            parent: "law",
            props: {
                name: named("AzureDiagnostics"),
                retentionInDays: 90,
                totalRetentionInDays: 365,
                id: id(`${workspaceId}/tables/AzureDiagnostics`),
            },
            deps: { workspaceName: ["law"] },
        },
        {
            type: types.diagnosticSetting,
            name: "openai-diagnostics",
            props: {
                name: "openai-to-law",
                workspaceId: id(workspaceId),
                id: id(`${accountId}/providers/Microsoft.Insights/diagnosticSettings/openai-to-law`),
                // A preview maps each entry onto the response type: the field the program left out is unknown.
                logs: [
                    { categoryGroup: "audit", enabled: true, ...(preview ? { category: UNKNOWN } : {}) },
                    { categoryGroup: "allLogs", enabled: true, ...(preview ? { category: UNKNOWN } : {}) },
                ],
                metrics: [{ category: "AllMetrics", enabled: true }],
            },
            deps: { resourceUri: ["openai"], workspaceId: ["law"] },
        },
        {
            type: types.roleAssignment,
            name: "openai-role-developers",
            props: {
                name: named("7d0c1b52-3a7e-4f0e-9d55-2b1a4c6e8f01"),
                scope: id(accountId),
                principalId: "6b1f0d4e-2c3a-4f5b-9e8d-7a6c5b4e3d21",
                principalType: "Group",
                roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.cognitiveServicesOpenAiUser}`,
                id: id(
                    `${accountId}/providers/Microsoft.Authorization/roleAssignments/7d0c1b52-3a7e-4f0e-9d55-2b1a4c6e8f01`,
                ),
            },
            deps: { scope: ["openai"] },
        },
        {
            type: types.roleAssignment,
            name: "law-role-auditors",
            props: {
                name: named("0b7f6a29-8e1d-4c3b-a5f2-9d8e7c6b5a40"),
                scope: id(workspaceId),
                principalId: "8e2d4c6b-1a3f-4e5d-b7c9-0f1e2d3c4b5a",
                principalType: "Group",
                roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.logAnalyticsReader}`,
                id: id(
                    `${workspaceId}/providers/Microsoft.Authorization/roleAssignments/0b7f6a29-8e1d-4c3b-a5f2-9d8e7c6b5a40`,
                ),
            },
            deps: { scope: ["law"] },
        },
        {
            type: types.budget,
            name: "budget",
            props: {
                name: named("budget-contoso-weu-openai"),
                amount: 5000,
                timeGrain: "Monthly",
                id: id(`${rgId}/providers/Microsoft.Consumption/budgets/budget-contoso-weu-openai`),
                // A new budget starts in the current month (the CostGovernance default); an existing one keeps its start.
                timePeriod: { startDate: `${firstOfMonthUtc()}T00:00:00Z` },
                notifications: {
                    "actual-80": {
                        enabled: true,
                        operator: "GreaterThanOrEqualTo",
                        threshold: 80,
                        thresholdType: "Actual",
                        contactEmails: ["finops@contoso.com"],
                    },
                    "forecasted-100": {
                        enabled: true,
                        operator: "GreaterThanOrEqualTo",
                        threshold: 100,
                        thresholdType: "Forecasted",
                        contactEmails: ["finops@contoso.com"],
                    },
                },
            },
            deps: { scope: ["rg"] },
        },
        {
            type: types.managementLock,
            name: "openai-lock",
            props: {
                name: named("openai-no-delete"),
                level: "CanNotDelete",
                id: id(`${accountId}/providers/Microsoft.Authorization/locks/openai-no-delete`),
            },
            deps: { scope: ["openai"] },
        },
        ...compliantKeyVault(preview),
        ...compliantPrivateLinkScope(preview),
        {
            type: "azure-native:applicationinsights:Component",
            name: "gateway-insights",
            props: outputs(
                {
                    resourceName: "appi-contoso-weu-gateway",
                    resourceGroupName: "rg-contoso-weu-openai",
                    location: "westeurope",
                    kind: "web",
                    applicationType: "web",
                    workspaceResourceId: id(workspaceId),
                    ingestionMode: "LogAnalytics",
                    disableLocalAuth: true,
                    tags,
                },
                ["resourceName", "resourceGroupName"],
                named("appi-contoso-weu-gateway"),
                id(`${rgId}/providers/Microsoft.Insights/components/appi-contoso-weu-gateway`),
            ),
            deps: { workspaceResourceId: ["law"] },
        },
        ...compliantGateway(preview),
    ];
}

/** The customer-managed key's vault (RBAC model), its key and its audit logs, as AnalyzeStack's outputs. */
export function compliantKeyVault(preview: boolean): StackFixture[] {
    const id = (v: string) => (preview ? UNKNOWN : v);
    const named = (v: string) => (preview ? UNKNOWN : v);
    return [
        {
            type: types.vault,
            name: "kv",
            props: outputs(vault(), ["vaultName", "resourceGroupName"], named("kv-contoso"), id(vaultId)),
            protect: true,
        },
        {
            type: types.vaultKey,
            name: "kv-key",
            props: outputs(
                vaultKey(),
                ["keyName", "vaultName", "resourceGroupName"],
                named("openai-cmk"),
                id(`${vaultId}/keys/openai-cmk`),
            ),
            deps: { vaultName: ["kv"] },
        },
        {
            type: types.diagnosticSetting,
            name: "kv-diagnostics",
            props: {
                name: "kv-to-law",
                workspaceId: id(workspaceId),
                id: id(`${vaultId}/providers/Microsoft.Insights/diagnosticSettings/kv-to-law`),
                logs: [
                    { categoryGroup: "audit", enabled: true, ...(preview ? { category: UNKNOWN } : {}) },
                    { categoryGroup: "allLogs", enabled: true, ...(preview ? { category: UNKNOWN } : {}) },
                ],
                metrics: [{ category: "AllMetrics", enabled: true }],
            },
            deps: { resourceUri: ["kv"], workspaceId: ["law"] },
        },
    ];
}

/** The audit workspace's Azure Monitor Private Link Scope, the workspace scoped into it, and its private endpoint registered in the hub's monitor zone. */
export function compliantPrivateLinkScope(preview: boolean): StackFixture[] {
    const id = (v: string) => (preview ? UNKNOWN : v);
    const named = (v: string) => (preview ? UNKNOWN : v);
    const amplsPeId = `${rgId}/providers/Microsoft.Network/privateEndpoints/pe-ampls`;
    return [
        {
            type: types.privateLinkScope,
            name: "ampls",
            props: outputs(
                privateLinkScope(),
                ["scopeName", "resourceGroupName"],
                named("ampls-law-contoso-weu"),
                id(amplsId),
            ),
        },
        {
            type: types.privateLinkScopedResource,
            name: "ampls-law",
            parent: "ampls",
            props: {
                name: named("law-contoso-weu-workspace"),
                linkedResourceId: id(workspaceId),
                id: id(`${amplsId}/scopedResources/law-contoso-weu-workspace`),
            },
            deps: { scopeName: ["ampls"], linkedResourceId: ["law"] },
        },
        {
            type: types.privateEndpoint,
            name: "ampls-pe",
            props: {
                name: named("pe-ampls"),
                location: "westeurope",
                tags,
                id: id(amplsPeId),
                subnet: { id: subnetId },
                privateLinkServiceConnections: [
                    { name: "ampls-azuremonitor", privateLinkServiceId: id(amplsId), groupIds: ["azuremonitor"] },
                ],
            },
            deps: { privateLinkServiceConnections: ["ampls"] },
        },
        {
            type: types.privateDnsZoneGroup,
            name: "ampls-pe-dns",
            parent: "ampls-pe",
            props: {
                name: named("default"),
                privateDnsZoneConfigs: [{ name: "zone-0", privateDnsZoneId: hubMonitorZoneId }],
                id: id(`${amplsPeId}/privateDnsZoneGroups/default`),
            },
            deps: { privateEndpointName: ["ampls-pe"] },
        },
    ];
}

export const apimId = `${rgId}/providers/Microsoft.ApiManagement/service/apim-contoso-weu`;

/** The compliant stack's deployment as the gateway arithmetic sees it: its model (and so its price) is whatever the fixture deploys. */
export function gatewayFixtureDeployment(): { name: string; model: string; sku: string; capacity: number } {
    const d = deployment();
    return { name: d.deploymentName, model: d.properties.model.name, sku: d.sku.name, capacity: d.sku.capacity };
}

/** The catalogue's price per 1,000 tokens of the compliant stack's deployed model. */
export const gatewayFixturePrice = (): number =>
    catalogueUsdPer1kTokens([gatewayFixtureDeployment().model])[gatewayFixtureDeployment().model];

export function gatewayPolicyConfig(): GatewayPolicyConfig {
    return {
        counterPrefix: "contoso-weu",
        tenantNamedValue: "gateway-tenant-id",
        audiences: [cognitiveServicesResource],
        callers: [{ namedValue: "caller-chat-api", team: "customer-care" }],
        // Half per caller: a quarter of 10K tokens per minute would be less than one 4,000-token request.
        limits: gatewayTokenLimits(
            { ...designGatewayLimits, perCallerPercent: 50 },
            [gatewayFixtureDeployment()],
            catalogueUsdPer1kTokens([gatewayFixtureDeployment().model]),
        ),
        backendResource: cognitiveServicesResource,
        backendId: "openai-primary",
        completionOperations: ["chat-completions", "completions"],
        privateEndpointOnly: true,
        metricNamespace: "azure-openai-gateway",
    };
}

/**
 * A compliant AI gateway in front of the compliant stack's account, as the AiGateway component builds it and as the
 * engine sends it to AnalyzeStack: outputs, with no URL path parameter (`serviceName`, `apiId`, `policyId`, ...);
 * in a preview the names and ids are unknown and the links are property dependencies.
 */
export function compliantGateway(preview: boolean, policy = gatewayPolicyXml(gatewayPolicyConfig())): StackFixture[] {
    const id = (v: string) => (preview ? UNKNOWN : v);
    const named = (v: string) => (preview ? UNKNOWN : v);
    const onService = ["serviceName", "resourceGroupName"];
    const backendUrl = "https://contoso-weu-openai.openai.azure.com/openai";
    const bodies = { request: { headers: [], body: { bytes: 0 } }, response: { headers: [], body: { bytes: 0 } } };
    const apiId = `${apimId}/apis/azure-openai`;
    return [
        {
            type: gatewayTypes.service,
            name: "apim",
            props: outputs(
                {
                    serviceName: "apim-contoso-weu",
                    resourceGroupName: "rg-contoso-weu-openai",
                    location: "westeurope",
                    sku: { name: "StandardV2", capacity: 1 },
                    identity: { type: "SystemAssigned" },
                    publisherEmail: "ai@contoso.com",
                    publisherName: "contoso",
                    publicNetworkAccess: "Disabled",
                    virtualNetworkType: "External",
                    virtualNetworkConfiguration: {
                        subnetResourceId: `${rgId}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apim`,
                    },
                    tags,
                },
                onService,
                named("apim-contoso-weu"),
                id(apimId),
            ),
        },
        {
            type: gatewayTypes.api,
            name: "apim-api",
            props: outputs(
                { path: "openai", protocols: ["https"], subscriptionRequired: false, serviceUrl: backendUrl },
                [],
                named("azure-openai"),
                id(apiId),
            ),
            deps: { serviceName: ["apim"] },
        },
        {
            type: gatewayTypes.apiPolicy,
            name: "apim-api-policy",
            props: outputs({ format: "xml", value: policy }, [], named("policy"), id(`${apiId}/policies/policy`)),
            deps: { serviceName: ["apim"], apiId: ["apim-api"] },
        },
        {
            type: gatewayTypes.backend,
            name: "apim-backend",
            props: outputs(
                { url: backendUrl, protocol: "http" },
                [],
                named("openai-primary"),
                id(`${apimId}/backends/openai-primary`),
            ),
            deps: { serviceName: ["apim"] },
        },
        {
            type: gatewayTypes.diagnostic,
            name: "apim-diagnostic",
            props: outputs(
                { loggerId: `${apimId}/loggers/azuremonitor`, frontend: bodies, backend: bodies },
                [],
                named("azuremonitor"),
                id(`${apimId}/diagnostics/azuremonitor`),
            ),
            deps: { serviceName: ["apim"] },
        },
        {
            type: types.diagnosticSetting,
            name: "apim-diagnostics",
            props: {
                name: "apim-to-law",
                workspaceId: id(workspaceId),
                id: id(`${apimId}/providers/Microsoft.Insights/diagnosticSettings/apim-to-law`),
                logs: [
                    { category: "GatewayLogs", enabled: true },
                    { category: "GatewayLlmLogs", enabled: true },
                ],
                metrics: [{ category: "AllMetrics", enabled: true }],
            },
            deps: { resourceUri: ["apim"], workspaceId: ["law"] },
        },
        {
            type: types.roleAssignment,
            name: "apim-role-openai",
            props: {
                name: named("5e3c2a10-4b6d-4f8e-9a1c-3d5e7f9b1c20"),
                scope: id(accountId),
                principalId: "76565f9f-1910-4fb2-8302-8a4c98820370",
                principalType: "ServicePrincipal",
                roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.cognitiveServicesOpenAiUser}`,
                id: id(
                    `${accountId}/providers/Microsoft.Authorization/roleAssignments/5e3c2a10-4b6d-4f8e-9a1c-3d5e7f9b1c20`,
                ),
            },
            deps: { scope: ["openai"] },
        },
    ];
}

/** The fixture list with one resource's props changed (deep-merged shallowly at the top level by the mutator). */
export function mutate(stack: StackFixture[], name: string, change: (f: StackFixture) => void): StackFixture[] {
    const copy = clone(stack);
    const target = copy.find((f) => f.name === name);
    if (!target) throw new Error(`no fixture named ${name}`);
    change(target);
    return copy;
}
