/** Compliant fixtures per resource type, and a whole compliant stack with cloud values known (update) or unknown (preview). */
import { builtInRoles, types } from "../../catalogue/azure";
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

export const tags = { "compliance-profile": "eu-gdpr", environment: "prod", "cost-center": "CC-4711", owner: "ai@contoso.com", "data-classification": "confidential" };

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
        encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyVaultUri: "https://kv-contoso.vault.azure.net/", keyName: "cmk" } },
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

export const deployment = () => ({
    deploymentName: "chat-gpt4o",
    accountName: "contoso-weu-openai",
    resourceGroupName: "rg-contoso-weu-openai",
    sku: { name: "DataZoneStandard", capacity: 10 },
    properties: { model: { format: "OpenAI", name: "gpt-5.2", version: "2025-12-11" }, raiPolicyName: "contoso-weu-filter", versionUpgradeOption: "NoAutoUpgrade" },
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
            ...["Prompt", "Completion"].flatMap((source) => ["Hate", "Sexual", "Violence", "Selfharm"].map((name) => ({ name, enabled: true, blocking: true, severityThreshold: threshold, source }))),
            { name: "Jailbreak", enabled: true, blocking: true, source: "Prompt" },
            { name: "Protected Material Text", enabled: true, blocking: true, source: "Completion" },
            { name: "Protected Material Code", enabled: true, blocking: true, source: "Completion" },
        ],
        customBlocklists: [{ blocklistName: "contoso-weu-dlp", blocking: true, source: "Prompt" }],
    },
    tags: { ...tags },
});

/**
 * A compliant regional stack as the engine sends it to AnalyzeStack. `preview`: ids and computed names unknown,
 * links only through property dependencies and parents, as in `pulumi preview`.
 */
export function compliantStack(preview: boolean): StackFixture[] {
    const id = (v: string) => (preview ? UNKNOWN : v);
    return [
        { type: "pulumi:pulumi:Stack", name: "azure-openai-landing-zone-eu-prod", props: {} },
        { type: types.resourceGroup, name: "rg", props: { resourceGroupName: "rg-contoso-weu-openai", location: "westeurope", tags, id: id(rgId) } },
        { type: types.account, name: "openai", props: { ...account(), id: id(accountId) }, protect: true, deps: { resourceGroupName: ["rg"] } },
        { type: types.raiBlocklist, name: "filter-dlp", props: { raiBlocklistName: "contoso-weu-dlp", accountName: "contoso-weu-openai", tags, id: id(`${accountId}/raiBlocklists/contoso-weu-dlp`) }, deps: { accountName: ["openai"] } },
        { type: types.raiBlocklistItem, name: "filter-dlp-creditCard", parent: "filter-dlp", props: { raiBlocklistItemName: "creditCard", raiBlocklistName: preview ? UNKNOWN : "contoso-weu-dlp", properties: { pattern: "\\d{16}", isRegex: true } }, deps: { raiBlocklistName: ["filter-dlp"] } },
        { type: types.raiPolicy, name: "filter-policy", props: { ...raiPolicy(), id: id(`${accountId}/raiPolicies/contoso-weu-filter`) }, deps: { accountName: ["openai"], properties: ["filter-dlp"] } },
        { type: types.deployment, name: "chat-gpt4o", props: { ...deployment(), properties: { ...deployment().properties, raiPolicyName: preview ? UNKNOWN : "contoso-weu-filter" } }, deps: { accountName: ["openai"], properties: ["filter-policy"] } },
        {
            type: types.privateEndpoint, name: "openai-pe", props: {
                privateEndpointName: "pe-contoso-weu-openai", location: "westeurope", tags, id: id(peId),
                subnet: { id: `${rgId}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe` },
                privateLinkServiceConnections: [{ name: "openai-account", privateLinkServiceId: id(accountId), groupIds: ["account"] }],
            }, deps: { privateLinkServiceConnections: ["openai"] },
        },
        { type: types.privateZone, name: "zone-openai", props: { privateZoneName: "privatelink.openai.azure.com", location: "global", tags, id: id(zoneId) } },
        { type: types.virtualNetworkLink, name: "zone-openai-link", parent: "zone-openai", props: { privateZoneName: "privatelink.openai.azure.com", virtualNetwork: { id: `${rgId}/providers/Microsoft.Network/virtualNetworks/vnet` }, registrationEnabled: false, location: "global", tags: { ...tags } }, deps: { privateZoneName: ["zone-openai"] } },
        { type: types.privateDnsZoneGroup, name: "openai-pe-dns", parent: "openai-pe", props: { privateDnsZoneGroupName: "default", privateEndpointName: preview ? UNKNOWN : "pe-contoso-weu-openai", privateDnsZoneConfigs: [{ name: "zone-0", privateDnsZoneId: id(zoneId) }] }, deps: { privateEndpointName: ["openai-pe"], privateDnsZoneConfigs: ["zone-openai"] } },
        { type: types.workspace, name: "law", props: { workspaceName: "law-contoso-weu", location: "westeurope", retentionInDays: 90, tags, id: id(workspaceId) }, protect: true },
        { type: types.workspaceTable, name: "law-table-AzureDiagnostics", parent: "law", props: { tableName: "AzureDiagnostics", workspaceName: preview ? UNKNOWN : "law-contoso-weu", retentionInDays: 90, totalRetentionInDays: 365 }, deps: { workspaceName: ["law"] } },
        {
            type: types.diagnosticSetting, name: "openai-diagnostics", props: {
                name: "openai-to-law", resourceUri: id(accountId), workspaceId: id(workspaceId),
                logs: [{ categoryGroup: "audit", enabled: true }, { categoryGroup: "allLogs", enabled: true }], metrics: [{ category: "AllMetrics", enabled: true }],
            }, deps: { resourceUri: ["openai"], workspaceId: ["law"] },
        },
        { type: types.roleAssignment, name: "openai-role-developers", props: { scope: id(accountId), principalId: "6b1f0d4e-2c3a-4f5b-9e8d-7a6c5b4e3d21", principalType: "Group", roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.cognitiveServicesOpenAiUser}` }, deps: { scope: ["openai"] } },
        { type: types.roleAssignment, name: "law-role-auditors", props: { scope: id(workspaceId), principalId: "8e2d4c6b-1a3f-4e5d-b7c9-0f1e2d3c4b5a", principalType: "Group", roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.logAnalyticsReader}` }, deps: { scope: ["law"] } },
        {
            type: types.budget, name: "budget", props: {
                budgetName: "budget-contoso-weu-openai", scope: id(rgId), amount: 5000, timeGrain: "Monthly", id: id(`${rgId}/providers/Microsoft.Consumption/budgets/budget-contoso-weu-openai`),
                // A new budget starts in the current month (the CostGovernance default); an existing one keeps its start.
                timePeriod: { startDate: `${firstOfMonthUtc()}T00:00:00Z` },
                notifications: { "actual-80": { enabled: true, operator: "GreaterThanOrEqualTo", threshold: 80, thresholdType: "Actual", contactEmails: ["finops@contoso.com"] }, "forecasted-100": { enabled: true, operator: "GreaterThanOrEqualTo", threshold: 100, thresholdType: "Forecasted", contactEmails: ["finops@contoso.com"] } },
            }, deps: { scope: ["rg"] },
        },
        { type: types.managementLock, name: "openai-lock", props: { lockName: "openai-no-delete", level: "CanNotDelete", scope: id(accountId) }, deps: { scope: ["openai"] } },
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
