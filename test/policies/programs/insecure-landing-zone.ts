// A raw azure-native program, written without the platform's components, that breaks the Key Vault, Log Analytics
// and residency rules: regional resources outside the EU profile's regions, vaults without purge protection, with
// public access or an access policy granting everything, and a workspace replicating to the US. The plan must block it.
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as search from "@pulumi/azure-native/search";
import * as storage from "@pulumi/azure-native/storage";

const resourceGroupName = "rg-raw";
const tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const privateVault = {
    tenantId,
    sku: { family: "A" as const, name: "premium" as const },
    enableRbacAuthorization: true,
    enablePurgeProtection: true,
    publicNetworkAccess: "Disabled",
    networkAcls: { defaultAction: "Deny" },
};

new network.VirtualNetwork("vnet-us", {
    resourceGroupName,
    location: "eastus",
    addressSpace: { addressPrefixes: ["10.90.0.0/16"] },
});
new network.VirtualNetworkGateway("gateway-us", {
    resourceGroupName,
    location: "eastus",
    gatewayType: "Vpn",
    vpnType: "RouteBased",
    sku: { name: "VpnGw1", tier: "VpnGw1" },
});
new search.Service("search-us", { resourceGroupName, location: "eastus", sku: { name: "standard" } });
new storage.StorageAccount("storage-us", {
    resourceGroupName,
    location: "eastus",
    kind: "StorageV2",
    sku: { name: "Standard_ZRS" },
});

new keyvault.Vault("kv-no-purge", {
    resourceGroupName,
    location: "westeurope",
    properties: { ...privateVault, enablePurgeProtection: false },
});
new keyvault.Vault("kv-public", {
    resourceGroupName,
    location: "westeurope",
    properties: { ...privateVault, publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } },
});
new keyvault.Vault("kv-grants-all", {
    resourceGroupName,
    location: "westeurope",
    properties: {
        ...privateVault,
        enableRbacAuthorization: false,
        accessPolicies: [
            { tenantId, objectId: "4b1c6c3e-7f39-4e2a-9d1b-2a3c4d5e6f70", permissions: { keys: ["all"] } },
        ],
    },
});

// The default SDK's workspace has no `replication` yet (API 2023-09-01): a program reaches it through a generic resource.
new resources.Resource("law-replicated", {
    resourceGroupName,
    location: "westeurope",
    resourceProviderNamespace: "Microsoft.OperationalInsights",
    resourceType: "workspaces",
    parentResourcePath: "",
    apiVersion: "2025-02-01",
    properties: {
        retentionInDays: 90,
        features: { disableLocalAuth: true },
        replication: { enabled: true, location: "eastus" },
    },
});
