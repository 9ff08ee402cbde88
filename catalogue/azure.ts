/**
 * Azure facts the program and the policy pack both rely on. Every id and name lives here once.
 */

/** Built-in Azure role definition ids (GUIDs are the same in every tenant). Source: learn.microsoft.com/azure/role-based-access-control/built-in-roles */
export const builtInRoles = {
    cognitiveServicesOpenAiUser: "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
    cognitiveServicesOpenAiContributor: "a001fd3d-188f-4b5d-821b-7da978bf7442",
    cognitiveServicesUser: "a97b65f3-24c7-4388-baec-2e87135dc908",
    reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    logAnalyticsReader: "73c42c96-874c-492b-b04d-ab87d138a893",
    keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    keyVaultCryptoOfficer: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
    // The AI gateway's identity publishes its token metrics to Application Insights with it (api-management-howto-app-insights.md).
    monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
    // Roles that must never be granted on the account or its workspace (privilege escalation or data-plane keys).
    owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    roleBasedAccessControlAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    cognitiveServicesContributor: "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68",
} as const;

export type BuiltInRole = keyof typeof builtInRoles;

/** Roles the platform grants on an account or its workspace; anything else there is a finding. */
export const allowedAccountRoles: readonly BuiltInRole[] = [
    "cognitiveServicesOpenAiUser",
    "cognitiveServicesOpenAiContributor",
    "cognitiveServicesUser",
    "reader",
    "logAnalyticsReader",
    "keyVaultCryptoServiceEncryptionUser",
];

/**
 * The roles the platform grants, by the kind of scope they are granted on; any other role on such a scope is a finding
 * of the least-privilege rule. The account's scope includes its children (deployments, content filters), the vault's
 * its keys. The resource group, the subscription and management groups get none: a grant there reaches every
 * resource of the landing zone at once.
 */
export const allowedRolesByScope = {
    account: ["cognitiveServicesOpenAiUser", "cognitiveServicesOpenAiContributor", "cognitiveServicesUser", "reader"],
    workspace: ["reader", "logAnalyticsReader"],
    keyVault: ["keyVaultCryptoServiceEncryptionUser"],
    container: [],
} as const satisfies Record<string, readonly BuiltInRole[]>;

export type RoleScopeKind = keyof typeof allowedRolesByScope;

/** Roles that are denied on every scope of the landing zone (and above it), whatever the configuration. */
export const forbiddenRoles: readonly BuiltInRole[] = [
    "owner",
    "contributor",
    "userAccessAdministrator",
    "roleBasedAccessControlAdministrator",
    "cognitiveServicesContributor",
];

/** Builds the full role definition id for a subscription, as RoleAssignment.roleDefinitionId expects it. */
export function roleDefinitionId(subscriptionId: string, role: BuiltInRole): string {
    return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles[role]}`;
}

/**
 * Private DNS zones of Azure OpenAI, public cloud. Source: learn.microsoft.com/azure/private-link/private-endpoint-dns
 * ("Azure AI services": privatelink.cognitiveservices.azure.com, privatelink.openai.azure.com, privatelink.services.ai.azure.com).
 */
export const privateDnsZones = {
    openai: "privatelink.openai.azure.com",
    cognitiveServices: "privatelink.cognitiveservices.azure.com",
    aiServices: "privatelink.services.ai.azure.com",
    keyVault: "privatelink.vaultcore.azure.net",
} as const;

/** Sovereign-cloud equivalents of the OpenAI zone, accepted by the DNS wiring policy. Source: same page, "Government". */
export const sovereignOpenAiZones: readonly string[] = ["privatelink.openai.azure.us"];

/**
 * Key permissions Azure OpenAI's system-assigned identity needs on its customer-managed key, exactly (docs/azure-
 * constraints.md, "CMK"): the vault must use legacy access policies, and the identity gets get, wrapKey, unwrapKey.
 */
export const cmkKeyPermissions = ["get", "wrapKey", "unwrapKey"] as const;

/** Private endpoint sub-resources (group ids). */
export const privateEndpointGroupIds = {
    cognitiveServicesAccount: "account",
    keyVault: "vault",
    azureMonitor: "azuremonitor",
} as const;

/**
 * The five zones an Azure Monitor Private Link Scope's private endpoint (group `azuremonitor`) registers in. Source:
 * Azure Policy built-in 437914ee-c176-4fff-8986-7e05eb971365 ("one of the five private DNS zone IDs required for
 * Microsoft.Insights/privateLinkScopes"), read in Azure/azure-policy at f4a50bac (2026-04-29) on 2026-11-27, and
 * learn.microsoft.com/azure/azure-monitor/logs/private-link-configure.
 */
export const azureMonitorPrivateDnsZones = {
    monitor: "privatelink.monitor.azure.com",
    oms: "privatelink.oms.opinsights.azure.com",
    ods: "privatelink.ods.opinsights.azure.com",
    agentService: "privatelink.agentsvc.azure-automation.net",
    blob: "privatelink.blob.core.windows.net",
} as const;

/** Key Vault's audit log category and the groups that contain it (PSRule Azure.KeyVault.Logs; Azure Policy cf820ca0). */
export const keyVaultDiagnostics = { auditCategory: "AuditEvent", categoryGroups: ["audit", "allLogs"] } as const;

/**
 * Model deployment SKUs and where they process prompts. Source: learn.microsoft.com/azure/ai-services/openai/how-to/deployment-types
 * Data at rest stays in the resource's geography for every SKU; the difference is where inference runs.
 */
export const deploymentSkus = {
    Standard: "region",
    ProvisionedManaged: "region",
    DataZoneStandard: "data-zone",
    DataZoneProvisionedManaged: "data-zone",
    DataZoneBatch: "data-zone",
    GlobalStandard: "global",
    GlobalProvisionedManaged: "global",
    GlobalBatch: "global",
} as const;

export type DeploymentSku = keyof typeof deploymentSkus;
export type ProcessingScope = (typeof deploymentSkus)[DeploymentSku];
export const deploymentSkuNames = Object.keys(deploymentSkus) as DeploymentSku[];

/** Diagnostic log categories of a Cognitive Services account and the groups that contain them. */
export const openAiDiagnostics = {
    categoryGroups: ["audit", "allLogs"],
    categories: ["Audit", "RequestResponse", "Trace", "AzureOpenAIRequestUsage"],
    auditCategories: ["Audit", "RequestResponse"],
    metricCategory: "AllMetrics",
} as const;

/** Pulumi type tokens the platform creates or the pack inspects. */
export const types = {
    account: "azure-native:cognitiveservices:Account",
    deployment: "azure-native:cognitiveservices:Deployment",
    raiPolicy: "azure-native:cognitiveservices:RaiPolicy",
    raiBlocklist: "azure-native:cognitiveservices:RaiBlocklist",
    raiBlocklistItem: "azure-native:cognitiveservices:RaiBlocklistItem",
    privateEndpoint: "azure-native:network:PrivateEndpoint",
    privateDnsZoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    privateZone: "azure-native:privatedns:PrivateZone",
    virtualNetworkLink: "azure-native:privatedns:VirtualNetworkLink",
    diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
    actionGroup: "azure-native:monitor:ActionGroup",
    roleAssignment: "azure-native:authorization:RoleAssignment",
    managementLock: "azure-native:authorization:ManagementLockByScope",
    budget: "azure-native:consumption:Budget",
    workspace: "azure-native:operationalinsights:Workspace",
    workspaceTable: "azure-native:operationalinsights:Table",
    savedSearch: "azure-native:operationalinsights:SavedSearch",
    scheduledQueryRule: "azure-native:monitor:ScheduledQueryRule",
    resourceGroup: "azure-native:resources:ResourceGroup",
    genericResource: "azure-native:resources:Resource",
    vault: "azure-native:keyvault:Vault",
    vaultKey: "azure-native:keyvault:Key",
    vaultAccessPolicy: "azure-native:keyvault:AccessPolicy",
    userAssignedIdentity: "azure-native:managedidentity:UserAssignedIdentity",
    classicAccount: "azure:cognitive/account:Account",
    classicDeployment: "azure:cognitive/deployment:Deployment",
    privateLinkScope: "azure-native:monitor:PrivateLinkScope",
    privateLinkScopedResource: "azure-native:monitor:PrivateLinkScopedResource",
    classicVault: "azure:keyvault/keyVault:KeyVault",
    classicVaultKey: "azure:keyvault/key:Key",
    classicVaultAccessPolicy: "azure:keyvault/accessPolicy:AccessPolicy",
    classicWorkspace: "azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace",
    classicPrivateLinkScope: "azure:monitoring/privateLinkScope:PrivateLinkScope",
} as const;
