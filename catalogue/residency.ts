/**
 * Data residency: which resource types carry a region (generated from the SDKs) and which of those are global
 * services that Azure places in no region. The location policy judges every regional type; a global service may say
 * `global` (or an allowed region), nothing else. Azure Policy's built-in "Allowed locations" (e56962a6) lets any type
 * say `global`; here only the services below may.
 */
import { locatedTypesByModule, sdkLocationDefaults } from "./regional-types";
import { classicLocatedTypes } from "./regional-types-classic";

export interface GlobalService {
    /** Pulumi type tokens (azure-native and classic) of the service. */
    types: string[];
    /** ARM resource types, as a generic resource (`azure-native:resources:Resource`) names them. */
    armTypes: string[];
    /** Why the service has no region, and where that was read (or that it was not). */
    reason: string;
}

/**
 * Read 2026-11-27 where a source is named; the others are Azure's documented behaviour that was not re-read here
 * (docs/azure-constraints.md lists them as unverified).
 */
export const globalServices: readonly GlobalService[] = [
    {
        types: ["azure-native:privatedns:PrivateZone"],
        armTypes: ["Microsoft.Network/privateDnsZones"],
        reason: "private DNS zones are global: their records resolve in every linked VNet wherever it is (ARM templates create them with location 'global'; the platform's PrivateAccess component does the same)",
    },
    {
        types: ["azure-native:privatedns:VirtualNetworkLink"],
        armTypes: ["Microsoft.Network/privateDnsZones/virtualNetworkLinks"],
        reason: "a link of a global private DNS zone is global like the zone",
    },
    {
        types: ["azure-native:dns:Zone"],
        armTypes: ["Microsoft.Network/dnszones"],
        reason: "public DNS zones are served by Azure DNS's global name servers (unverified here)",
    },
    {
        types: ["azure-native:monitor:ActionGroup", "azure:monitoring/actionGroup:ActionGroup"],
        armTypes: ["Microsoft.Insights/actionGroups"],
        reason: "action groups are global notification targets holding contact addresses, not workload data (unverified here)",
    },
    {
        types: ["azure-native:monitor:ActivityLogAlert", "azure:monitoring/activityLogAlert:ActivityLogAlert"],
        armTypes: ["Microsoft.Insights/activityLogAlerts"],
        reason: "activity log alerts are global: the azure-native class defaults their location to 'global' (catalogue/regional-types.ts)",
    },
    {
        types: ["azure-native:alertsmanagement:SmartDetectorAlertRule"],
        armTypes: ["Microsoft.AlertsManagement/smartDetectorAlertRules"],
        reason: "smart detector alert rules are global: the azure-native class defaults their location to 'global' (catalogue/regional-types.ts)",
    },
    {
        types: ["azure-native:monitor:PrivateLinkScope"],
        armTypes: ["Microsoft.Insights/privateLinkScopes"],
        reason: "an Azure Monitor Private Link Scope is global (REST API samples of microsoft.insights/privateLinkScopes, 2021-07-01-preview, show location 'Global'); the workspaces it scopes keep their own regions",
    },
    {
        types: [
            "azure-native:frontdoor:FrontDoor",
            "azure-native:frontdoor:Policy",
            "azure-native:frontdoor:NetworkExperimentProfile",
            "azure-native:frontdoor:Experiment",
        ],
        armTypes: [
            "Microsoft.Network/frontDoors",
            "Microsoft.Network/frontDoorWebApplicationFirewallPolicies",
            "Microsoft.Network/NetworkExperimentProfiles",
        ],
        reason: "Front Door (classic) and its WAF policies run at Microsoft's global edge (unverified here)",
    },
    {
        types: [
            "azure-native:cdn:Profile",
            "azure-native:cdn:AFDEndpoint",
            "azure-native:cdn:Endpoint",
            "azure-native:cdn:Policy",
        ],
        armTypes: [
            "Microsoft.Cdn/profiles",
            "Microsoft.Cdn/profiles/afdEndpoints",
            "Microsoft.Cdn/profiles/endpoints",
            "Microsoft.Cdn/cdnWebApplicationFirewallPolicies",
        ],
        reason: "Front Door Standard/Premium and CDN profiles, endpoints and WAF policies run at the global edge (unverified here)",
    },
    {
        types: ["azure-native:trafficmanager:Profile"],
        armTypes: ["Microsoft.Network/trafficManagerProfiles"],
        reason: "Traffic Manager is DNS-based global routing (unverified here)",
    },
];

/** The generated lists flattened to type tokens. */
export const nativeLocatedTypes: readonly string[] = Object.entries(locatedTypesByModule).flatMap(([module, names]) =>
    names.map((n) => `azure-native:${module}:${n}`),
);
export { classicLocatedTypes, sdkLocationDefaults };

/** Every Pulumi type whose resources carry a region (azure-native and classic). */
export const locatedTypes: readonly string[] = [...nativeLocatedTypes, ...classicLocatedTypes];

export const globalTypes: readonly string[] = globalServices.flatMap((s) => s.types);
export const globalArmTypes: readonly string[] = globalServices.flatMap((s) => s.armTypes.map((t) => t.toLowerCase()));
