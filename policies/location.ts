/**
 * Data residency of every resource that has a region, whoever declares it: every azure-native and classic
 * resource type whose arguments take a `location` (generated from the SDKs into catalogue/regional-types*.ts) and
 * generic ARM resources. A resource's region is its `location`, or the azure-native provider's configured location
 * when the resource leaves it out. Only the global services of catalogue/residency.ts may be `global`.
 */
import { types } from "../catalogue/azure";
import { profiles } from "../catalogue/profiles";
import { globalArmTypes, globalTypes, locatedTypes, sdkLocationDefaults } from "../catalogue/residency";
import { armTypeOfGeneric, known, peek, show, unknown } from "./core";
import { resourceRule } from "./rule";

export const unionOfAllowedRegions = [...new Set(Object.values(profiles).flatMap((p) => p.allowedRegions))];

/** "West Europe" and "westeurope" are the same region. */
export const normalizeRegion = (v: string) => v.replace(/\s+/g, "").toLowerCase();

const globalTypeSet = new Set(globalTypes);
const globalArmTypeSet = new Set(globalArmTypes);

/** Whether a resource of this type (a generic one: of this ARM type) may be placed `global`. */
function isGlobalService(type: string, props: Record<string, unknown>): boolean {
    if (globalTypeSet.has(type)) return true;
    if (type !== types.genericResource) return false;
    const arm = armTypeOfGeneric(props);
    return arm !== undefined && globalArmTypeSet.has(arm.toLowerCase());
}

interface LocationConfig {
    allowedRegions: string[];
}
export const allowedLocations = resourceRule<LocationConfig>({
    name: "azure-openai-resource-enforce-allowed-locations",
    description:
        "Every resource of the stack that has a region, logs and vaults included, must be placed in a region the compliance profile allows.",
    severity: "high",
    concerns: locatedTypes,
    otherTypeReason: "applies to types that take a location only",
    anchors: {
        mcsb: "DP-1",
        azurePolicy: "e56962a6-4747-49cd-b67b-bf8b01975c4c",
        psrule: "Azure.Resource.AllowedRegions",
    },
    configSchema: {
        properties: {
            allowedRegions: { type: "array", items: { type: "string" }, minItems: 1, default: unionOfAllowedRegions },
        },
    },
    remediationSteps:
        'Set location to one of the profile\'s allowed regions (stack config `location`), or move the stack to a profile whose regions include it. Only global services (private DNS zones and links, action groups, Azure Monitor Private Link Scopes, Front Door, Traffic Manager: docs/policies.md) may be "global".',
    check: (type, props, config, problem, args) => {
        // An unknown region is decided at deploy time: not-evaluated.
        const own = known(props, "location");
        const fromProvider = args.provider ? peek(args.provider.props, "location") : undefined;
        const value = own ?? (fromProvider === unknown ? undefined : fromProvider);
        if (typeof value !== "string" || value === "") {
            // Azure (or the SDK class) places these globally.
            if (sdkLocationDefaults[type] !== undefined || isGlobalService(type, props)) return;
            problem(
                "location",
                "is not set, so the region comes from the resource group or provider and cannot be verified",
                `set location explicitly to one of ${config.allowedRegions.join(", ")}`,
            );
            return;
        }
        const region = normalizeRegion(value);
        if (region === "global" && isGlobalService(type, props)) return;
        const allowed = config.allowedRegions.map(normalizeRegion);
        if (region === "global")
            problem(
                "location",
                'is "global", but this is not a global service',
                `use one of ${config.allowedRegions.join(", ")}`,
            );
        else if (!allowed.includes(region))
            problem(
                "location",
                `is ${show(value)}, outside the allowed regions`,
                `use one of ${config.allowedRegions.join(", ")}`,
            );
    },
});
