/**
 * Required tags on every taggable resource, and `compliance-profile` equal to the profile the pipeline
 * pinned in the pack's config (never what the program claims).
 */
import { types } from "../catalogue/azure";
import { gatewayTypes } from "../catalogue/gateway";
import { baseRequiredTags, profileIds } from "../catalogue/profiles";
import { isObject, known, show } from "./core";
import { resourceRule } from "./rule";

export const taggableTypes = [
    types.account,
    types.classicAccount,
    types.workspace,
    types.vault,
    types.privateEndpoint,
    types.privateZone,
    types.userAssignedIdentity,
    types.resourceGroup,
    types.actionGroup,
    types.scheduledQueryRule,
    types.deployment,
    types.virtualNetworkLink,
    gatewayTypes.service,
    gatewayTypes.appInsights,
    types.privateLinkScope,
    types.vaultKey,
    types.raiPolicy,
    types.raiBlocklist,
];

interface TagConfig {
    requiredTags: string[];
    complianceProfile: string;
}
export const requiredTags = resourceRule<TagConfig>({
    name: "azure-openai-resource-require-tags",
    description:
        "Every taggable resource must carry the required tags, with compliance-profile equal to the profile the pipeline enforces.",
    severity: "low",
    concerns: taggableTypes,
    anchors: { mcsb: "AM-2" },
    configSchema: {
        properties: {
            requiredTags: { type: "array", items: { type: "string" }, default: baseRequiredTags },
            // Empty: any profile of the catalogue (the no-config baseline); the per-profile config pins one.
            complianceProfile: { type: "string", enum: ["", ...profileIds], default: "" },
        },
    },
    remediationSteps:
        "Set the stack's tags in its config (cost-center, owner, data-classification); the platform adds compliance-profile and environment. Run the stack with its own profile's policy config.",
    check: (_type, props, config, problem) => {
        const tags = known(props, "tags");
        const map = isObject(tags) ? tags : {};
        const missing = config.requiredTags.filter((t) => typeof map[t] !== "string" || map[t] === "");
        if (missing.length > 0)
            problem("tags", `lack ${missing.join(", ")}`, `add ${missing.map((t) => `tags["${t}"]`).join(", ")}`);
        const profile = map["compliance-profile"];
        if (typeof profile === "string" && profile !== "") {
            const expected = config.complianceProfile ? [config.complianceProfile] : profileIds;
            if (!expected.includes(profile as never))
                problem(
                    'tags["compliance-profile"]',
                    `is ${show(profile)}`,
                    `run under profile ${expected.join(" or ")} (the pipeline pins it), or set the tag to it`,
                );
        }
    },
});
