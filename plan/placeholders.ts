/**
 * Deterministic placeholder values the offline plan answers with where Azure would compute something, shaped like
 * Azure's own (documented in docs/plan.md, "Placeholder values"); identical on every run, so snapshots are stable.
 * Which properties a resource returns, and which are unknown in a preview, is decided from the installed SDK
 * (plan/provider/outputs.ts); this file only supplies the values Azure would fill in once the resource exists.
 */
import { stableGuid } from "../catalogue/naming";
import { resourceSchema } from "./provider/sdk-schema";

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
        if (
            i.token === "azuread:index/getGroup:getGroup" &&
            typeof i.args.displayName === "string" &&
            typeof i.args.objectId !== "string"
        ) {
            labels.set(
                placeholderGroupObjectId(i.args.displayName),
                `group '${i.args.displayName}' (object id looked up at deploy)`,
            );
        }
    }
    return labels;
}

/**
 * The ARM resource type and URL segments of the azure-native types the platform uses: the provider segments of a
 * placeholder id and the inputs that name each segment. Only the values of ids and `type` outputs come from here
 * (the SDK does not carry ARM paths); other types get a placeholder path that still ends in their name.
 */
const armPaths: Record<string, { path: string[]; names: string[] }> = {
    "azure-native:resources:ResourceGroup": { path: [], names: ["resourceGroupName"] },
    "azure-native:cognitiveservices:Account": {
        path: ["Microsoft.CognitiveServices/accounts"],
        names: ["accountName"],
    },
    "azure-native:cognitiveservices:Deployment": {
        path: ["Microsoft.CognitiveServices/accounts", "deployments"],
        names: ["accountName", "deploymentName"],
    },
    "azure-native:cognitiveservices:RaiPolicy": {
        path: ["Microsoft.CognitiveServices/accounts", "raiPolicies"],
        names: ["accountName", "raiPolicyName"],
    },
    "azure-native:cognitiveservices:RaiBlocklist": {
        path: ["Microsoft.CognitiveServices/accounts", "raiBlocklists"],
        names: ["accountName", "raiBlocklistName"],
    },
    "azure-native:cognitiveservices:RaiBlocklistItem": {
        path: ["Microsoft.CognitiveServices/accounts", "raiBlocklists", "raiBlocklistItems"],
        names: ["accountName", "raiBlocklistName", "raiBlocklistItemName"],
    },
    "azure-native:network:PrivateEndpoint": {
        path: ["Microsoft.Network/privateEndpoints"],
        names: ["privateEndpointName"],
    },
    "azure-native:network:PrivateDnsZoneGroup": {
        path: ["Microsoft.Network/privateEndpoints", "privateDnsZoneGroups"],
        names: ["privateEndpointName", "privateDnsZoneGroupName"],
    },
    "azure-native:privatedns:PrivateZone": { path: ["Microsoft.Network/privateDnsZones"], names: ["privateZoneName"] },
    "azure-native:privatedns:VirtualNetworkLink": {
        path: ["Microsoft.Network/privateDnsZones", "virtualNetworkLinks"],
        names: ["privateZoneName", "virtualNetworkLinkName"],
    },
    "azure-native:operationalinsights:Workspace": {
        path: ["Microsoft.OperationalInsights/workspaces"],
        names: ["workspaceName"],
    },
    "azure-native:operationalinsights:Table": {
        path: ["Microsoft.OperationalInsights/workspaces", "tables"],
        names: ["workspaceName", "tableName"],
    },
    "azure-native:operationalinsights:SavedSearch": {
        path: ["Microsoft.OperationalInsights/workspaces", "savedSearches"],
        names: ["workspaceName", "savedSearchId"],
    },
    "azure-native:monitor:ScheduledQueryRule": {
        path: ["Microsoft.Insights/scheduledQueryRules"],
        names: ["ruleName"],
    },
    "azure-native:monitor:ActionGroup": { path: ["Microsoft.Insights/actionGroups"], names: ["actionGroupName"] },
    "azure-native:keyvault:Vault": { path: ["Microsoft.KeyVault/vaults"], names: ["vaultName"] },
    "azure-native:keyvault:Key": { path: ["Microsoft.KeyVault/vaults", "keys"], names: ["vaultName", "keyName"] },
    // Not an ARM resource of its own: azure-native adds or removes one entry of the vault's access policies through
    // PUT/DELETE .../vaults/{vault}/accessPolicies/{add|remove}; the id ends in the Pulumi name.
    "azure-native:keyvault:AccessPolicy": {
        path: ["Microsoft.KeyVault/vaults", "accessPolicies"],
        names: ["vaultName", "accessPolicyName"],
    },
    "azure-native:managedidentity:UserAssignedIdentity": {
        path: ["Microsoft.ManagedIdentity/userAssignedIdentities"],
        names: ["resourceName"],
    },
    "azure-native:apimanagement:ApiManagementService": {
        path: ["Microsoft.ApiManagement/service"],
        names: ["serviceName"],
    },
    "azure-native:apimanagement:Api": {
        path: ["Microsoft.ApiManagement/service", "apis"],
        names: ["serviceName", "apiId"],
    },
    "azure-native:apimanagement:ApiOperation": {
        path: ["Microsoft.ApiManagement/service", "apis", "operations"],
        names: ["serviceName", "apiId", "operationId"],
    },
    "azure-native:apimanagement:ApiPolicy": {
        path: ["Microsoft.ApiManagement/service", "apis", "policies"],
        names: ["serviceName", "apiId", "policyId"],
    },
    "azure-native:apimanagement:Backend": {
        path: ["Microsoft.ApiManagement/service", "backends"],
        names: ["serviceName", "backendId"],
    },
    "azure-native:apimanagement:Logger": {
        path: ["Microsoft.ApiManagement/service", "loggers"],
        names: ["serviceName", "loggerId"],
    },
    "azure-native:apimanagement:Diagnostic": {
        path: ["Microsoft.ApiManagement/service", "diagnostics"],
        names: ["serviceName", "diagnosticId"],
    },
    "azure-native:apimanagement:NamedValue": {
        path: ["Microsoft.ApiManagement/service", "namedValues"],
        names: ["serviceName", "namedValueId"],
    },
    "azure-native:applicationinsights:Component": { path: ["Microsoft.Insights/components"], names: ["resourceName"] },
    "azure-native:monitor:PrivateLinkScope": { path: ["Microsoft.Insights/privateLinkScopes"], names: ["scopeName"] },
    "azure-native:monitor:PrivateLinkScopedResource": {
        path: ["Microsoft.Insights/privateLinkScopes", "scopedResources"],
        names: ["scopeName", "name"],
    },
};

/** Scope-extension resources: their id hangs off the scope they are attached to (`<scope>/providers/<segment>/<name>`). */
const extensionPaths: Record<string, { scope: string; segment: string }> = {
    "azure-native:monitor:DiagnosticSetting": {
        scope: "resourceUri",
        segment: "Microsoft.Insights/diagnosticSettings",
    },
    "azure-native:authorization:RoleAssignment": { scope: "scope", segment: "Microsoft.Authorization/roleAssignments" },
    "azure-native:authorization:ManagementLockByScope": { scope: "scope", segment: "Microsoft.Authorization/locks" },
    "azure-native:consumption:Budget": { scope: "scope", segment: "Microsoft.Consumption/budgets" },
};

/** The generic ARM resource: its path comes from its own inputs (`resourceProviderNamespace`, `resourceType`, ...). */
const genericResource = "azure-native:resources:Resource";

type Inputs = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * The Azure name a resource gets: the input naming it (its SDK's optional path parameter, e.g. `raiPolicyName`, or
 * `resourceName` of a generic resource), else its `name` input, else the Pulumi name. azure-native would auto-name a
 * resource whose name input is left out (random suffix); the plan keeps the Pulumi name (docs/plan.md).
 */
export function azureName(type: string, name: string, inputs: Inputs): string {
    if (type === genericResource) return str(inputs.resourceName) ?? name;
    const arm = armPaths[type];
    const key = resourceSchema(type)?.nameParameter ?? arm?.names[arm.names.length - 1];
    return (key && str(inputs[key])) ?? str(inputs.name) ?? name;
}

/** The ARM type Azure returns as `type` (e.g. `Microsoft.CognitiveServices/accounts/deployments`). */
export function armType(type: string, inputs: Inputs): string {
    if (type === genericResource)
        return [
            str(inputs.resourceProviderNamespace) ?? "Unknown.Namespace",
            str(inputs.resourceType) ?? "unknown",
        ].join("/");
    const ext = extensionPaths[type];
    if (ext) return ext.segment;
    const arm = armPaths[type];
    if (arm) return arm.path.length === 0 ? "Microsoft.Resources/resourceGroups" : arm.path.join("/");
    const [, mod = "unknown", kind = type] = type.split(":");
    return `Pulumi.Placeholder/${mod}/${kind}`;
}

/** A realistic ARM id, so that policies which link resources by id see the same shapes as in Azure. */
export function placeholderId(type: string, name: string, inputs: Inputs): string {
    const sub = `/subscriptions/${placeholderClient.subscriptionId}`;
    const own = azureName(type, name, inputs);
    const ext = extensionPaths[type];
    if (ext) {
        const scope = str(inputs[ext.scope]) ?? `${sub}/resourceGroups/unknown`;
        return `${scope}/providers/${ext.segment}/${own}`;
    }
    const rg = `${sub}/resourceGroups/${str(inputs.resourceGroupName) ?? "unknown"}`;
    if (type === genericResource) {
        const parent = str(inputs.parentResourcePath);
        return `${rg}/providers/${str(inputs.resourceProviderNamespace) ?? "Unknown.Namespace"}/${parent ? `${parent}/` : ""}${str(inputs.resourceType) ?? "unknown"}/${own}`;
    }
    const arm = armPaths[type];
    if (!arm) return `${rg}/providers/${armType(type, inputs)}/${own}`;
    if (arm.path.length === 0) return `${sub}/resourceGroups/${own}`;
    let id = rg;
    arm.path.forEach((segment, i) => {
        const value = i === arm.path.length - 1 ? own : (str(inputs[arm.names[i]]) ?? "unknown");
        id += i === 0 ? `/providers/${segment}/${value}` : `/${segment}/${value}`;
    });
    return id;
}

/**
 * Values Azure computes for a resource once it exists, beyond id, name and type, in the shape of its outputs: merged
 * into the update outputs (a preview leaves them unknown).
 */
export function computedValues(type: string, name: string, inputs: Inputs): Inputs {
    const guid = (what: string) => placeholderGuid(`${type}/${name}/${what}`);
    const props = (inputs.properties ?? {}) as Inputs;
    switch (type) {
        case "azure-native:cognitiveservices:Account": {
            const subdomain = str(props.customSubDomainName) ?? azureName(type, name, inputs);
            const identity = (inputs.identity ?? {}) as Inputs;
            const systemAssigned = String(identity.type ?? "").includes("SystemAssigned");
            return {
                properties: { endpoint: `https://${subdomain}.openai.azure.com/`, provisioningState: "Succeeded" },
                ...(systemAssigned
                    ? { identity: { principalId: guid("principalId"), tenantId: placeholderClient.tenantId } }
                    : {}),
            };
        }
        case "azure-native:managedidentity:UserAssignedIdentity":
            return {
                clientId: guid("clientId"),
                principalId: guid("principalId"),
                tenantId: placeholderClient.tenantId,
            };
        case "azure-native:operationalinsights:Workspace":
            return { customerId: guid("customerId") };
        case "azure-native:keyvault:Vault":
            return { properties: { vaultUri: `https://${azureName(type, name, inputs)}.vault.azure.net/` } };
        case "azure-native:keyvault:Key": {
            const uri = `https://${str(inputs.vaultName) ?? "vault"}.vault.azure.net/keys/${azureName(type, name, inputs)}`;
            return { keyUri: uri, keyUriWithVersion: `${uri}/${placeholderGuid(uri).replace(/-/g, "")}` };
        }
        case "azure-native:apimanagement:ApiManagementService": {
            const identity = (inputs.identity ?? {}) as Inputs;
            const systemAssigned = String(identity.type ?? "").includes("SystemAssigned");
            return {
                gatewayUrl: `https://${azureName(type, name, inputs)}.azure-api.net`,
                ...(systemAssigned
                    ? { identity: { principalId: guid("principalId"), tenantId: placeholderClient.tenantId } }
                    : {}),
            };
        }
        case "azure-native:applicationinsights:Component":
            return {
                connectionString: `InstrumentationKey=${placeholderGuid(`${type}/${name}/ikey`)};IngestionEndpoint=https://${str(inputs.location) ?? "region"}-0.in.applicationinsights.azure.com/`,
                appId: guid("appId"),
            };
        case "azure-native:network:PrivateEndpoint":
            return { networkInterfaces: [{ id: `${placeholderId(type, name, inputs)}.nic` }] };
        default:
            if (type.startsWith("random:"))
                return {
                    result: placeholderGuid(`${type}/${name}`)
                        .replace(/-/g, "")
                        .slice(0, Number(inputs.length ?? 16)),
                };
            return {};
    }
}
