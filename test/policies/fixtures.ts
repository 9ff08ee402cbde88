/** Compliant fixtures per resource type, and a whole compliant stack with cloud values known (update) or unknown (preview). */
import { builtInRoles, types } from "../../catalogue/azure";
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
export const subnetId = `${rgId}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe`;

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
        encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyVaultUri: "https://kv-contoso.vault.azure.net/", keyName: "openai-cmk" } },
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
    policy: { tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47", objectId: "0d9b7a45-6c21-4d8e-9f3a-1b2c3d4e5f60", permissions: { keys: ["get", "wrapKey", "unwrapKey"] } },
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
    properties: { model: { format: "OpenAI", name: "gpt-4o", version: "2024-11-20" }, raiPolicyName: "contoso-weu-filter", versionUpgradeOption: "NoAutoUpgrade" },
    tags: { ...tags },
});

export const classicDeployment = () => ({
    name: "chat-gpt4o",
    cognitiveAccountId: accountId,
    sku: { name: "DataZoneStandard", capacity: 10 },
    model: { format: "OpenAI", name: "gpt-4o", version: "2024-11-20" },
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
        { type: types.raiBlocklist, name: "filter-dlp", props: { raiBlocklistName: "contoso-weu-dlp", accountName: "contoso-weu-openai", id: id(`${accountId}/raiBlocklists/contoso-weu-dlp`) }, deps: { accountName: ["openai"] } },
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
        { type: types.workspace, name: "law", props: { ...workspace(), id: id(workspaceId) }, protect: true },
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
                budgetName: "budget-contoso-weu-openai", scope: id(rgId), amount: 5000, timeGrain: "Monthly",
                notifications: { "actual-80": { enabled: true, operator: "GreaterThanOrEqualTo", threshold: 80, thresholdType: "Actual", contactEmails: ["finops@contoso.com"] }, "forecasted-100": { enabled: true, operator: "GreaterThanOrEqualTo", threshold: 100, thresholdType: "Forecasted", contactEmails: ["finops@contoso.com"] } },
            }, deps: { scope: ["rg"] },
        },
        { type: types.managementLock, name: "openai-lock", props: { lockName: "openai-no-delete", level: "CanNotDelete", scope: id(accountId) }, deps: { scope: ["openai"] } },
        { type: types.vault, name: "kv", props: { ...vault(), id: id(vaultId) }, protect: true },
        { type: types.vaultKey, name: "kv-key", props: { ...vaultKey(), vaultName: preview ? UNKNOWN : "kv-contoso", id: id(`${vaultId}/keys/openai-cmk`) }, deps: { vaultName: ["kv"] } },
        {
            type: types.diagnosticSetting, name: "kv-diagnostics", props: {
                name: "kv-to-law", resourceUri: id(vaultId), workspaceId: id(workspaceId),
                logs: [{ categoryGroup: "audit", enabled: true }, { categoryGroup: "allLogs", enabled: true }], metrics: [{ category: "AllMetrics", enabled: true }],
            }, deps: { resourceUri: ["kv"], workspaceId: ["law"] },
        },
        { type: types.privateLinkScope, name: "ampls", props: { ...privateLinkScope(), id: id(amplsId) } },
        { type: types.privateLinkScopedResource, name: "ampls-law", parent: "ampls", props: { name: "law-contoso-weu-workspace", scopeName: preview ? UNKNOWN : "ampls-law-contoso-weu", resourceGroupName: "rg-contoso-weu-openai", linkedResourceId: id(workspaceId) }, deps: { scopeName: ["ampls"], linkedResourceId: ["law"] } },
        {
            type: types.privateEndpoint, name: "ampls-pe", props: {
                privateEndpointName: "pe-ampls", location: "westeurope", tags, id: id(`${rgId}/providers/Microsoft.Network/privateEndpoints/pe-ampls`), subnet: { id: subnetId },
                privateLinkServiceConnections: [{ name: "ampls-azuremonitor", privateLinkServiceId: id(amplsId), groupIds: ["azuremonitor"] }],
            }, deps: { privateLinkServiceConnections: ["ampls"] },
        },
        { type: types.privateZone, name: "zone-monitor", props: { privateZoneName: "privatelink.monitor.azure.com", location: "global", tags, id: id(monitorZoneId) } },
        { type: types.virtualNetworkLink, name: "zone-monitor-link", parent: "zone-monitor", props: { privateZoneName: "privatelink.monitor.azure.com", virtualNetwork: { id: `${rgId}/providers/Microsoft.Network/virtualNetworks/vnet` }, registrationEnabled: false, location: "global", tags: { ...tags } }, deps: { privateZoneName: ["zone-monitor"] } },
        { type: types.privateDnsZoneGroup, name: "ampls-pe-dns", parent: "ampls-pe", props: { privateDnsZoneGroupName: "default", privateEndpointName: preview ? UNKNOWN : "pe-ampls", privateDnsZoneConfigs: [{ name: "zone-0", privateDnsZoneId: id(monitorZoneId) }] }, deps: { privateEndpointName: ["ampls-pe"], privateDnsZoneConfigs: ["zone-monitor"] } },
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
