/**
 * What a model deployment may run and where it processes prompts. Both the azure-native deployment
 * and its classic twin are judged.
 */
import { deploymentSkus, types } from "../catalogue/azure";
import {
    approvedModels,
    daysBetween,
    describeReplacement,
    findModelVersion,
    isRetired,
    modelCatalogueReadOn,
    retirementFor,
    retirementSource,
    utcToday,
} from "../catalogue/models";
import { profiles } from "../catalogue/profiles";
import { known, show } from "./core";
import { fixFor } from "./fix";
import { resourceRule } from "./rule";
import { deploymentTypes } from "./stack-index";

const isClassic = (type: string) => type === types.classicDeployment;

/** Where the model, version and SKU live on each provider's deployment. */
export function deploymentFields(type: string) {
    return isClassic(type)
        ? {
              model: ["model", "name"],
              version: ["model", "version"],
              sku: ["sku", "name"],
              capacity: ["sku", "capacity"],
              raiPolicyName: ["raiPolicyName"],
              upgrade: ["versionUpgradeOption"],
          }
        : {
              model: ["properties", "model", "name"],
              version: ["properties", "model", "version"],
              sku: ["sku", "name"],
              capacity: ["sku", "capacity"],
              raiPolicyName: ["properties", "raiPolicyName"],
              upgrade: ["properties", "versionUpgradeOption"],
          };
}

export const unionOfAllowedSkus = [...new Set(Object.values(profiles).flatMap((p) => p.allowedDeploymentSkus))];

interface SkuConfig {
    allowedSkus: string[];
}
export const deploymentSku = resourceRule<SkuConfig>({
    name: "azure-openai-deployment-enforce-data-residency-sku",
    description:
        "Model deployments must use a SKU whose processing location the compliance profile allows; Global SKUs process prompts in any region and are refused under residency profiles.",
    severity: "critical",
    nonExemptable: true,
    concerns: deploymentTypes,
    anchors: { mcsb: "DP-1" },
    configSchema: {
        properties: {
            allowedSkus: {
                type: "array",
                items: { type: "string", enum: Object.keys(deploymentSkus) },
                minItems: 1,
                default: unionOfAllowedSkus,
            },
        },
    },
    remediationSteps:
        "Set sku.name to a regional or data-zone SKU the profile allows (e.g. DataZoneStandard or Standard) in the stack's deployments config.",
    check: (type, props, config, problem) => {
        const path = deploymentFields(type).sku;
        const sku = known(props, ...path);
        if (typeof sku !== "string" || !config.allowedSkus.includes(sku)) {
            const scope = typeof sku === "string" ? (deploymentSkus as Record<string, string>)[sku] : undefined;
            const where =
                scope === "global"
                    ? ", which processes prompts in any Azure region"
                    : scope === "data-zone"
                      ? ", which processes prompts anywhere in its data zone"
                      : "";
            problem(
                path.join("."),
                `is ${show(sku)}${where}`,
                fixFor(`use one of ${config.allowedSkus.join(", ")}`, {
                    stackKey: "deployments[].sku",
                    componentArg: "ModelDeployments deployments[].sku",
                }),
            );
        }
    },
});

const modelFix = {
    stackKey: "deployments[].model and .version",
    componentArg: "ModelDeployments deployments[].model and .version",
};

const catalogueVersions = Object.fromEntries(Object.entries(approvedModels).map(([name, m]) => [name, m.versions]));

interface ModelConfig {
    approvedModels: Record<string, string[]>;
    requireNoAutoUpgrade: boolean;
}
export const approvedModel = resourceRule<ModelConfig>({
    name: "azure-openai-deployment-allow-approved-models",
    description: "Model deployments must run an approved model at an explicitly pinned, approved version.",
    severity: "high",
    concerns: deploymentTypes,
    anchors: { azurePolicy: "aafe3651-cb78-4f68-9f81-e7e41509110f" },
    configSchema: {
        properties: {
            approvedModels: {
                type: "object",
                additionalProperties: { type: "array", items: { type: "string" } },
                default: catalogueVersions,
            },
            requireNoAutoUpgrade: { type: "boolean", default: false },
        },
    },
    remediationSteps:
        "Deploy a model from catalogue/model-catalogue.ts at one of its approved versions, with the version set explicitly; to approve a new model or version, add it to the catalogue and regenerate the policy config.",
    check: (type, props, config, problem) => {
        const f = deploymentFields(type);
        const model = known(props, ...f.model);
        const version = known(props, ...f.version);
        const versions = typeof model === "string" ? config.approvedModels[model] : undefined;
        if (!versions) {
            problem(
                f.model.join("."),
                `is ${show(model)}, not an approved model`,
                fixFor(`use one of ${Object.keys(config.approvedModels).join(", ")}`, modelFix),
            );
            return;
        }
        if (typeof version !== "string" || version === "")
            problem(
                f.version.join("."),
                "is not set, so Azure picks (and may change) the version",
                fixFor(`pin one of ${versions.join(", ")}`, modelFix),
            );
        else if (!versions.includes(version))
            problem(
                f.version.join("."),
                `is ${show(version)}, not an approved version of ${model}`,
                fixFor(`pin one of ${versions.join(", ")}`, modelFix),
            );
        if (config.requireNoAutoUpgrade) {
            const upgrade = known(props, ...f.upgrade);
            if (upgrade !== "NoAutoUpgrade")
                problem(
                    f.upgrade.join("."),
                    `is ${show(upgrade)}, so Azure may replace the model version`,
                    fixFor('set it to "NoAutoUpgrade"', {
                        stackKey: "deployments[].versionUpgradeOption",
                        componentArg: "ModelDeployments deployments[].versionUpgradeOption",
                    }),
                );
        }
    },
});

/** "Today" for lifecycle rules comes from the policy config (reproducible runs pin it), else the run's UTC date. */
const todaySchema = {
    type: "string",
    pattern: "^\\d{4}-\\d{2}-\\d{2}$",
    description: "The day dates are judged against (YYYY-MM-DD); default: the day of the run (UTC).",
} as const;

/** The deployment's model version and SKU, as the catalogue knows them; `undefined` when the catalogue does not. */
function lifecycleOf(type: string, props: Record<string, unknown>) {
    const f = deploymentFields(type);
    const model = known(props, ...f.model);
    const version = known(props, ...f.version);
    const sku = known(props, ...f.sku);
    const m = typeof model === "string" && typeof version === "string" ? findModelVersion(model, version) : undefined;
    return { f, m, sku: typeof sku === "string" ? sku : "" };
}

const notInCatalogue = "model version not in the catalogue (azure-openai-deployment-allow-approved-models judges it)";

interface RetiredConfig {
    today?: string;
}
export const retiredModel = resourceRule<RetiredConfig>({
    name: "azure-openai-deployment-disallow-retired-models",
    description:
        "Model deployments must not run a model version past its retirement date: Azure answers every call to a retired model with an error.",
    severity: "high",
    concerns: deploymentTypes,
    anchors: {},
    configSchema: { properties: { today: todaySchema } },
    remediationSteps: `Deploy the current replacement the message names (catalogue/model-catalogue.ts follows the Azure OpenAI model retirements page, ${retirementSource.page}, read ${modelCatalogueReadOn}); stack owners edit deployments[].model and .version, component users ModelDeployments deployments.`,
    check: (type, props, config, problem, args) => {
        const today = config.today ?? utcToday();
        const { f, m, sku } = lifecycleOf(type, props);
        if (!m) return args.notApplicable(notInCatalogue);
        if (!isRetired(m, sku, today)) return;
        const date = retirementFor(m, sku).date;
        problem(
            f.version.join("."),
            `is ${m.version}: ${m.model} ${m.version} retired on ${date}${m.retirementBySku?.[sku as never] ? ` for ${sku}` : ""}, ${daysBetween(date, today)} days ago (Azure answers every call to it with an error)`,
            fixFor(`deploy ${describeReplacement(m, today)}`, modelFix),
        );
    },
});

interface RetiringConfig {
    today?: string;
    warningDays: number;
}
export const retiringModel = resourceRule<RetiringConfig>({
    name: "azure-openai-deployment-review-retiring-models",
    description:
        "Model deployments whose model version has an announced retirement date within the warning window, or that takes no new customers (deprecated), are flagged ahead of time, so the move to a current model is planned before calls or new stacks fail.",
    severity: "medium",
    enforcementLevel: "advisory",
    concerns: deploymentTypes,
    anchors: {},
    configSchema: {
        properties: { today: todaySchema, warningDays: { type: "integer", minimum: 1, maximum: 365, default: 90 } },
    },
    remediationSteps:
        "Plan the move to the replacement the message names before the retirement date (test it in a non-production stack first); stack owners edit deployments[].model and .version, component users ModelDeployments deployments. Once the date has passed, azure-openai-deployment-disallow-retired-models refuses the deployment.",
    check: (type, props, config, problem, args) => {
        const today = config.today ?? utcToday();
        const { f, m, sku } = lifecycleOf(type, props);
        if (!m) return args.notApplicable(notInCatalogue);
        const r = retirementFor(m, sku);
        const left = daysBetween(today, r.date);
        if (left <= 0) return; // past the date, the mandatory rule speaks
        // Deprecated ("no longer available for new customers", Azure OpenAI model retirements page): a stack created in
        // a subscription that never deployed the model cannot create it, whatever the retirement date.
        const deprecated = m.deprecation && m.deprecation.exact && today >= m.deprecation.date;
        const deprecation = deprecated
            ? `; since ${m.deprecation!.date} it takes no new customers, so a subscription that never deployed it cannot create it`
            : "";
        // Only an announced date warns ahead of time: a "no earlier than" date is no retirement yet (the catalogue's age
        // test makes sure the page is read again in time).
        if (!deprecated && (!r.exact || left > config.warningDays)) return;
        const when = r.exact ? `retires on ${r.date}, in ${left} days` : `retires no earlier than ${r.date}`;
        problem(
            f.version.join("."),
            `is ${m.version}: ${m.model} ${m.version} ${when}${deprecation}`,
            fixFor(`move to ${describeReplacement(m, r.date)}`, modelFix),
        );
    },
});
