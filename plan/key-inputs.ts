/**
 * The few inputs of each resource type that decide its security, residency or cost: shown in the text and
 * markdown trees and kept in the golden snapshots, so a reviewer sees exactly what changed.
 */
import { types } from "../catalogue/azure";
import { gatewayTypes } from "../catalogue/gateway";

export const keyInputs: Record<string, string[]> = {
    [types.account]: [
        "location",
        "kind",
        "sku.name",
        "customSubDomainName",
        "identity.type",
        "properties.publicNetworkAccess",
        "properties.disableLocalAuth",
        "properties.networkAcls.defaultAction",
        "properties.restrictOutboundNetworkAccess",
        "properties.allowedFqdnList",
        "properties.encryption.keySource",
    ],
    [types.deployment]: [
        "accountName",
        "deploymentName",
        "properties.model.name",
        "properties.model.version",
        "sku.name",
        "sku.capacity",
        "properties.raiPolicyName",
        "properties.versionUpgradeOption",
    ],
    [types.raiPolicy]: ["raiPolicyName", "properties.mode", "properties.basePolicyName"],
    [types.raiBlocklist]: ["raiBlocklistName"],
    [types.raiBlocklistItem]: ["properties.pattern", "properties.isRegex"],
    [types.privateEndpoint]: ["location", "subnet.id", "privateLinkServiceConnections"],
    [types.privateDnsZoneGroup]: ["privateDnsZoneConfigs"],
    [types.privateZone]: ["privateZoneName", "location"],
    [types.virtualNetworkLink]: ["privateZoneName", "virtualNetwork.id", "registrationEnabled"],
    [types.diagnosticSetting]: ["resourceUri", "workspaceId", "logs", "metrics"],
    [types.roleAssignment]: ["scope", "roleDefinitionId", "principalId", "principalType"],
    [types.managementLock]: ["scope", "level"],
    [types.budget]: ["scope", "amount", "timeGrain", "category"],
    [types.workspace]: [
        "location",
        "retentionInDays",
        "sku.name",
        "publicNetworkAccessForIngestion",
        "publicNetworkAccessForQuery",
    ],
    [types.workspaceTable]: ["tableName", "retentionInDays", "totalRetentionInDays"],
    [types.scheduledQueryRule]: ["ruleName", "severity", "enabled"],
    [types.resourceGroup]: ["location"],
    [types.vault]: [
        "location",
        "properties.enableRbacAuthorization",
        "properties.enablePurgeProtection",
        "properties.publicNetworkAccess",
        "properties.networkAcls.defaultAction",
    ],
    [types.vaultKey]: ["properties.kty", "properties.keySize", "properties.rotationPolicy"],
    [types.vaultAccessPolicy]: ["vaultName", "policy.objectId", "policy.permissions"],
    [types.userAssignedIdentity]: ["location"],
    [types.classicAccount]: ["kind", "publicNetworkAccessEnabled", "localAuthEnabled"],
    [types.classicDeployment]: ["model", "sku"],
    [gatewayTypes.service]: [
        "location",
        "sku.name",
        "sku.capacity",
        "identity.type",
        "publicNetworkAccess",
        "virtualNetworkType",
        "virtualNetworkConfiguration.subnetResourceId",
    ],
    [gatewayTypes.api]: ["apiId", "path", "protocols", "subscriptionRequired"],
    [gatewayTypes.apiPolicy]: ["format"],
    [gatewayTypes.backend]: ["backendId", "url", "type"],
    [gatewayTypes.diagnostic]: ["diagnosticId", "metrics", "frontend", "backend"],
    [gatewayTypes.appInsights]: ["location", "disableLocalAuth", "workspaceResourceId"],
};

/** Security-relevant inputs of a resource (those it has), rendered safe for reports. */
export function keyInputsOf(
    type: string,
    inputs: Record<string, unknown>,
    render: (v: unknown) => unknown,
    valueAt: (v: unknown, p: string) => unknown,
): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of keyInputs[type] ?? []) {
        const v = valueAt(inputs, p);
        if (v !== undefined) out[p] = render(v);
    }
    return out;
}
