/**
 * Data residency of every resource, logs and vaults included. A resource's region is its `location`, or
 * the azure-native provider's configured location when the resource leaves it out.
 */
import { types } from "../catalogue/azure";
import { gatewayTypes } from "../catalogue/gateway";
import { profiles } from "../catalogue/profiles";
import { known, peek, show, unknown } from "./core";
import { resourceRule } from "./rule";

/** Resources that must carry a region. Private DNS zones, their links and action groups are global services. */
const regionalTypes: readonly string[] = [
    types.account, types.classicAccount, types.workspace, types.vault, types.privateEndpoint, types.userAssignedIdentity,
    types.resourceGroup, types.scheduledQueryRule, gatewayTypes.service, gatewayTypes.appInsights,
];
const globalTypes: readonly string[] = [types.privateZone, types.virtualNetworkLink, types.actionGroup];

export const unionOfAllowedRegions = [...new Set(Object.values(profiles).flatMap((p) => p.allowedRegions))];

/** "West Europe" and "westeurope" are the same region. */
export const normalizeRegion = (v: string) => v.replace(/\s+/g, "").toLowerCase();

interface LocationConfig { allowedRegions: string[] }
export const allowedLocations = resourceRule<LocationConfig>({
    name: "azure-openai-resource-enforce-allowed-locations",
    description: "Every resource of the stack, logs and vaults included, must be placed in a region the compliance profile allows.",
    severity: "high",
    concerns: [...regionalTypes, ...globalTypes],
    anchors: { mcsb: "DP-1", azurePolicy: "e56962a6-4747-49cd-b67b-bf8b01975c4c", psrule: "Azure.Resource.AllowedRegions" },
    configSchema: { properties: { allowedRegions: { type: "array", items: { type: "string" }, minItems: 1, default: unionOfAllowedRegions } } },
    remediationSteps: "Set location to one of the profile's allowed regions (stack config `location`), or move the stack to a profile whose regions include it.",
    check: (type, props, config, problem, args) => {
        // An unknown region is decided at deploy time: not-evaluated.
        const own = known(props, "location");
        const fromProvider = args.provider ? peek(args.provider.props, "location") : undefined;
        const value = own ?? (fromProvider === unknown ? undefined : fromProvider);
        const allowed = config.allowedRegions.map(normalizeRegion);
        if (typeof value !== "string" || value === "") {
            if (globalTypes.includes(type)) return; // Azure places these globally.
            problem("location", "is not set, so the region comes from the resource group or provider and cannot be verified", `set location explicitly to one of ${config.allowedRegions.join(", ")}`);
            return;
        }
        const region = normalizeRegion(value);
        if (region === "global" && globalTypes.includes(type)) return;
        if (!allowed.includes(region)) problem("location", `is ${show(value)}, outside the allowed regions`, `use one of ${config.allowedRegions.join(", ")}`);
    },
});
