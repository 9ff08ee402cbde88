/**
 * Rules 10 and 12: what a model deployment may run and where it processes prompts. Both the azure-native deployment
 * and its classic twin are judged.
 */
import { deploymentSkus, types } from "../catalogue/azure";
import { approvedModels } from "../catalogue/models";
import { profiles } from "../catalogue/profiles";
import { known, show } from "./core";
import { resourceRule } from "./rule";
import { deploymentTypes } from "./stack-index";

const isClassic = (type: string) => type === types.classicDeployment;

/** Where the model, version and SKU live on each provider's deployment. */
export function deploymentFields(type: string) {
    return isClassic(type)
        ? { model: ["model", "name"], version: ["model", "version"], sku: ["sku", "name"], capacity: ["sku", "capacity"], raiPolicyName: ["raiPolicyName"], upgrade: ["versionUpgradeOption"] }
        : { model: ["properties", "model", "name"], version: ["properties", "model", "version"], sku: ["sku", "name"], capacity: ["sku", "capacity"], raiPolicyName: ["properties", "raiPolicyName"], upgrade: ["properties", "versionUpgradeOption"] };
}

export const unionOfAllowedSkus = [...new Set(Object.values(profiles).flatMap((p) => p.allowedDeploymentSkus))];

interface SkuConfig { allowedSkus: string[] }
export const deploymentSku = resourceRule<SkuConfig>({
    name: "azure-openai-deployment-enforce-data-residency-sku",
    description: "Model deployments must use a SKU whose processing location the compliance profile allows; Global SKUs process prompts in any region and are refused under residency profiles.",
    severity: "critical",
    nonExemptable: true,
    concerns: deploymentTypes,
    anchors: { mcsb: "DP-1" },
    configSchema: { properties: { allowedSkus: { type: "array", items: { type: "string", enum: Object.keys(deploymentSkus) }, minItems: 1, default: unionOfAllowedSkus } } },
    remediationSteps: "Set sku.name to a regional or data-zone SKU the profile allows (e.g. DataZoneStandard or Standard) in the stack's deployments config.",
    check: (type, props, config, problem) => {
        const path = deploymentFields(type).sku;
        const sku = known(props, ...path);
        if (typeof sku !== "string" || !config.allowedSkus.includes(sku)) {
            const scope = typeof sku === "string" ? (deploymentSkus as Record<string, string>)[sku] : undefined;
            const where = scope === "global" ? ", which processes prompts in any Azure region" : scope === "data-zone" ? ", which processes prompts anywhere in its data zone" : "";
            problem(path.join("."), `is ${show(sku)}${where}`, `use one of ${config.allowedSkus.join(", ")}`);
        }
    },
});

const catalogueVersions = Object.fromEntries(Object.entries(approvedModels).map(([name, m]) => [name, m.versions]));

interface ModelConfig { approvedModels: Record<string, string[]>; requireNoAutoUpgrade: boolean }
export const approvedModel = resourceRule<ModelConfig>({
    name: "azure-openai-deployment-allow-approved-models",
    description: "Model deployments must run an approved model at an explicitly pinned, approved version.",
    severity: "high",
    concerns: deploymentTypes,
    anchors: { azurePolicy: "aafe3651-cb78-4f68-9f81-e7e41509110f" },
    configSchema: {
        properties: {
            approvedModels: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, default: catalogueVersions },
            requireNoAutoUpgrade: { type: "boolean", default: false },
        },
    },
    remediationSteps: "Deploy a model from catalogue/models.ts at one of its approved versions, with the version set explicitly; to approve a new model or version, add it to the catalogue and regenerate the policy config.",
    check: (type, props, config, problem) => {
        const f = deploymentFields(type);
        const model = known(props, ...f.model);
        const version = known(props, ...f.version);
        const versions = typeof model === "string" ? config.approvedModels[model] : undefined;
        if (!versions) {
            problem(f.model.join("."), `is ${show(model)}, not an approved model`, `use one of ${Object.keys(config.approvedModels).join(", ")}`);
            return;
        }
        if (typeof version !== "string" || version === "") problem(f.version.join("."), "is not set, so Azure picks (and may change) the version", `pin one of ${versions.join(", ")}`);
        else if (!versions.includes(version)) problem(f.version.join("."), `is ${show(version)}, not an approved version of ${model}`, `pin one of ${versions.join(", ")}`);
        if (config.requireNoAutoUpgrade) {
            const upgrade = known(props, ...f.upgrade);
            if (upgrade !== "NoAutoUpgrade") problem(f.upgrade.join("."), `is ${show(upgrade)}, so Azure may replace the model version`, "set it to \"NoAutoUpgrade\"");
        }
    },
});
