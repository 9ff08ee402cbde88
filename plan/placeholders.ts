/**
 * Deterministic placeholder values the offline plan answers with where Azure would compute something.
 * Documented in the README ("Offline plan: placeholder values"); identical on every run, so snapshots are stable.
 */
import { stableGuid } from "../catalogue/naming";

/** The subscription, tenant and deploying principal the offline plan pretends to be. */
export const placeholderClient = {
    subscriptionId: "00000000-0000-4000-8000-000000000001",
    tenantId: "00000000-0000-4000-8000-000000000002",
    clientId: "00000000-0000-4000-8000-000000000003",
    objectId: "00000000-0000-4000-8000-000000000004",
};

/** A stable GUID derived from a seed: placeholders are as deterministic as the platform's own names. */
export const placeholderGuid = stableGuid;

/** The object id the plan answers for an Entra ID group looked up by display name (resolved for real at deploy). */
export const placeholderGroupObjectId = (displayName: string) => placeholderGuid(`azuread-group/${displayName}`);

/** Placeholder values a run made up for names the program looked up, with what a report shows instead. */
export function placeholderLabels(invokes: { token: string; args: Record<string, unknown> }[]): Map<string, string> {
    const labels = new Map<string, string>();
    for (const i of invokes) {
        if (i.token === "azuread:index/getGroup:getGroup" && typeof i.args.displayName === "string" && typeof i.args.objectId !== "string") {
            labels.set(placeholderGroupObjectId(i.args.displayName), `group '${i.args.displayName}' (object id looked up at deploy)`);
        }
    }
    return labels;
}

/** Azure resource provider path for each azure-native type the platform uses: [provider/type segments, name input keys]. */
const armPaths: Record<string, { path: string[]; names: string[] }> = {
    "azure-native:resources:ResourceGroup": { path: [], names: ["resourceGroupName"] },
    "azure-native:cognitiveservices:Account": { path: ["Microsoft.CognitiveServices/accounts"], names: ["accountName"] },
    "azure-native:cognitiveservices:Deployment": { path: ["Microsoft.CognitiveServices/accounts", "deployments"], names: ["accountName", "deploymentName"] },
    "azure-native:cognitiveservices:RaiPolicy": { path: ["Microsoft.CognitiveServices/accounts", "raiPolicies"], names: ["accountName", "raiPolicyName"] },
    "azure-native:cognitiveservices:RaiBlocklist": { path: ["Microsoft.CognitiveServices/accounts", "raiBlocklists"], names: ["accountName", "raiBlocklistName"] },
    "azure-native:cognitiveservices:RaiBlocklistItem": { path: ["Microsoft.CognitiveServices/accounts", "raiBlocklists", "raiBlocklistItems"], names: ["accountName", "raiBlocklistName", "raiBlocklistItemName"] },
    "azure-native:network:PrivateEndpoint": { path: ["Microsoft.Network/privateEndpoints"], names: ["privateEndpointName"] },
    "azure-native:network:PrivateDnsZoneGroup": { path: ["Microsoft.Network/privateEndpoints", "privateDnsZoneGroups"], names: ["privateEndpointName", "privateDnsZoneGroupName"] },
    "azure-native:privatedns:PrivateZone": { path: ["Microsoft.Network/privateDnsZones"], names: ["privateZoneName"] },
    "azure-native:privatedns:VirtualNetworkLink": { path: ["Microsoft.Network/privateDnsZones", "virtualNetworkLinks"], names: ["privateZoneName", "virtualNetworkLinkName"] },
    "azure-native:operationalinsights:Workspace": { path: ["Microsoft.OperationalInsights/workspaces"], names: ["workspaceName"] },
    "azure-native:operationalinsights:Table": { path: ["Microsoft.OperationalInsights/workspaces", "tables"], names: ["workspaceName", "tableName"] },
    "azure-native:operationalinsights:SavedSearch": { path: ["Microsoft.OperationalInsights/workspaces", "savedSearches"], names: ["workspaceName", "savedSearchId"] },
    "azure-native:monitor:ScheduledQueryRule": { path: ["Microsoft.Insights/scheduledQueryRules"], names: ["ruleName"] },
    "azure-native:monitor:ActionGroup": { path: ["Microsoft.Insights/actionGroups"], names: ["actionGroupName"] },
    "azure-native:keyvault:Vault": { path: ["Microsoft.KeyVault/vaults"], names: ["vaultName"] },
    "azure-native:keyvault:Key": { path: ["Microsoft.KeyVault/vaults", "keys"], names: ["vaultName", "keyName"] },
    "azure-native:managedidentity:UserAssignedIdentity": { path: ["Microsoft.ManagedIdentity/userAssignedIdentities"], names: ["resourceName"] },
};

/** Scope-extension resources: their id hangs off the scope they are attached to. */
const extensionPaths: Record<string, { scope: string; segment: string; name: string }> = {
    "azure-native:monitor:DiagnosticSetting": { scope: "resourceUri", segment: "Microsoft.Insights/diagnosticSettings", name: "name" },
    "azure-native:authorization:RoleAssignment": { scope: "scope", segment: "Microsoft.Authorization/roleAssignments", name: "roleAssignmentName" },
    "azure-native:authorization:ManagementLockByScope": { scope: "scope", segment: "Microsoft.Authorization/locks", name: "lockName" },
    "azure-native:consumption:Budget": { scope: "scope", segment: "Microsoft.Consumption/budgets", name: "budgetName" },
};

type Inputs = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The Azure name a resource would get: its name input where the type has one, else the Pulumi name. */
export function azureName(type: string, name: string, inputs: Inputs): string {
    const arm = armPaths[type];
    const ext = extensionPaths[type];
    const key = arm ? arm.names[arm.names.length - 1] : ext?.name;
    return (key && str(inputs[key])) ?? name;
}

/** A realistic ARM id, so that policies which link resources by id see the same shapes as in Azure. */
export function placeholderId(type: string, name: string, inputs: Inputs): string {
    const sub = `/subscriptions/${placeholderClient.subscriptionId}`;
    const ext = extensionPaths[type];
    if (ext) {
        const scope = str(inputs[ext.scope]) ?? `${sub}/resourceGroups/unknown`;
        return `${scope}/providers/${ext.segment}/${azureName(type, name, inputs)}`;
    }
    const arm = armPaths[type];
    if (!arm) {
        const [, mod = "unknown", kind = type] = type.split(":");
        return `${sub}/resourceGroups/${str(inputs.resourceGroupName) ?? "unknown"}/providers/Pulumi.Placeholder/${mod}/${kind}/${name}`;
    }
    const rgName = str(inputs.resourceGroupName) ?? (arm.path.length === 0 ? azureName(type, name, inputs) : "unknown");
    let id = `${sub}/resourceGroups/${rgName}`;
    arm.path.forEach((segment, i) => {
        const key = arm.names[i];
        const value = i === arm.path.length - 1 ? azureName(type, name, inputs) : str(inputs[key]) ?? "unknown";
        id += i === 0 ? `/providers/${segment}/${value}` : `/${segment}/${value}`;
    });
    return id;
}

/** Values Azure computes for a resource, beyond id and name. `unknown` marks what a preview cannot know. */
export function computedOutputs(type: string, name: string, inputs: Inputs, unknown: string | undefined): Inputs {
    const v = <T>(known: T): T | string => unknown ?? known;
    const guid = (what: string) => v(placeholderGuid(`${type}/${name}/${what}`));
    switch (type) {
        case "azure-native:cognitiveservices:Account": {
            const sub = str(inputs.customSubDomainName) ?? azureName(type, name, inputs);
            const identity = (inputs.identity ?? {}) as Inputs;
            const hasSystemIdentity = String(identity.type ?? "").includes("SystemAssigned");
            return {
                properties: { ...((inputs.properties ?? {}) as Inputs), endpoint: v(`https://${sub}.openai.azure.com/`), provisioningState: v("Succeeded") },
                identity: hasSystemIdentity ? { ...identity, principalId: guid("principalId"), tenantId: placeholderClient.tenantId } : inputs.identity,
            };
        }
        case "azure-native:managedidentity:UserAssignedIdentity":
            return { clientId: guid("clientId"), principalId: guid("principalId"), tenantId: placeholderClient.tenantId };
        case "azure-native:operationalinsights:Workspace":
            return { customerId: guid("customerId") };
        case "azure-native:keyvault:Vault":
            return { properties: { ...((inputs.properties ?? {}) as Inputs), vaultUri: v(`https://${azureName(type, name, inputs)}.vault.azure.net/`) } };
        case "azure-native:keyvault:Key": {
            const uri = `https://${str(inputs.vaultName) ?? "vault"}.vault.azure.net/keys/${azureName(type, name, inputs)}`;
            return { keyUri: v(uri), keyUriWithVersion: v(`${uri}/${placeholderGuid(uri).replace(/-/g, "")}`) };
        }
        case "azure-native:network:PrivateEndpoint":
            return { networkInterfaces: v([{ id: `${placeholderId(type, name, inputs)}.nic` }]) };
        default:
            if (type.startsWith("random:")) {
                return { result: v(placeholderGuid(`${type}/${name}`).replace(/-/g, "").slice(0, Number(inputs.length ?? 16))) };
            }
            return {};
    }
}
