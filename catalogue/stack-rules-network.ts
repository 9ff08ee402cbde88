/** The rules of where a stack runs and how it is reached: its region, private endpoint subnet, DNS zones and AMPLS. */
import { privateDnsZones } from "./azure";
import { ComplianceProfile } from "./profiles";
import { ConfigProblem, isObject, problemList, Raw } from "./stack-problems";

export function regionProblems(raw: Raw, profile: ComplianceProfile): ConfigProblem[] {
    const { problems, add } = problemList();
    if (typeof raw.location === "string" && !profile.allowedRegions.includes(raw.location)) {
        add(
            "location",
            `'${raw.location}' is not allowed by profile ${profile.id}: expected one of ${profile.allowedRegions.join(", ")}`,
        );
    }
    return problems;
}

export function monitorPrivateLinkProblems(raw: Raw, profile: ComplianceProfile): ConfigProblem[] {
    const { problems, add } = problemList();
    // One AMPLS per DNS (learn.microsoft.com/azure/azure-monitor/logs/private-link-design): with the hub's zones the
    // workspace joins the hub's scope instead of creating a second one.
    const net = isObject(raw.network) ? raw.network : {};
    if (
        profile.monitorPrivateLinkRequired &&
        isObject(net.privateDnsZoneIds) &&
        net.azureMonitorPrivateLinkScopeId === undefined
    ) {
        add(
            "network.azureMonitorPrivateLinkScopeId",
            `profile ${profile.id} requires private access to the audit workspace and the stack uses hub DNS zones: expected the hub's Azure Monitor Private Link Scope id`,
        );
    }
    return problems;
}

export function networkProblems(raw: Raw): ConfigProblem[] {
    const { problems, add } = problemList();
    const network = isObject(raw.network) ? raw.network : {};
    if (
        typeof network.vnetId === "string" &&
        typeof network.privateEndpointSubnetId === "string" &&
        !network.privateEndpointSubnetId.toLowerCase().startsWith(`${network.vnetId.toLowerCase()}/subnets/`)
    ) {
        add("network.privateEndpointSubnetId", "is not a subnet of network.vnetId: expected <vnetId>/subnets/<name>");
    }
    const zones = isObject(network.privateDnsZoneIds) ? network.privateDnsZoneIds : {};
    for (const [key, zoneName] of Object.entries({
        openai: privateDnsZones.openai,
        cognitiveServices: privateDnsZones.cognitiveServices,
        keyVault: privateDnsZones.keyVault,
    })) {
        const id = zones[key];
        if (typeof id === "string" && !id.toLowerCase().endsWith(`/privatednszones/${zoneName}`)) {
            add(
                `network.privateDnsZoneIds.${key}`,
                `points to the wrong zone: expected a privateDnsZones id ending in /${zoneName}`,
            );
        }
    }
    return problems;
}
