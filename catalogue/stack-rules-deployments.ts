/**
 * The rules of a stack's model deployments: unique names, SKUs within the profile's data boundary, approved models and
 * versions, Azure's model lifecycle and availability, and no automatic model upgrade in production.
 */
import { deploymentSkus } from "./azure";
import {
    approvedModels,
    daysBetween,
    describeReplacement,
    findModelVersion,
    isRetired,
    modelCatalogueReadOn,
    retirementFor,
    retirementSource,
} from "./models";
import { ComplianceProfile } from "./profiles";
import { asArray, ConfigProblem, isObject, problemList, Raw } from "./stack-problems";

export function deploymentProblems(
    raw: Raw,
    profile: ComplianceProfile,
    prod: boolean,
    today: string,
): ConfigProblem[] {
    const { problems, add } = problemList();
    const names = new Set<string>();
    asArray(raw.deployments).forEach((d, i) => {
        if (!isObject(d)) return;
        if (typeof d.name === "string") {
            if (names.has(d.name))
                add(
                    `deployments[${i}].name`,
                    `duplicate deployment name '${d.name}': names must be unique in the account`,
                );
            names.add(d.name);
        }
        if (
            typeof d.sku === "string" &&
            d.sku in deploymentSkus &&
            !profile.allowedDeploymentSkus.includes(d.sku as never)
        ) {
            const scope = deploymentSkus[d.sku as keyof typeof deploymentSkus];
            add(
                `deployments[${i}].sku`,
                `'${d.sku}' processes prompts ${scope === "global" ? "in any Azure region" : "outside the profile's data boundary"} and is not allowed by profile ${profile.id}: expected one of ${profile.allowedDeploymentSkus.join(", ")}`,
            );
        }
        if (typeof d.model === "string") {
            const approved = approvedModels[d.model];
            if (!approved) {
                add(
                    `deployments[${i}].model`,
                    `'${d.model}' is not an approved model: expected one of ${Object.keys(approvedModels).join(", ")}`,
                );
            } else if (typeof d.version === "string" && !approved.versions.includes(d.version)) {
                add(
                    `deployments[${i}].version`,
                    `'${d.version}' is not an approved version of ${d.model}: expected one of ${approved.versions.join(", ")}`,
                );
            } else if (typeof d.version === "string") {
                problems.push(
                    ...lifecycleProblems(
                        i,
                        d.model,
                        d.version,
                        d.sku,
                        raw.location,
                        profile.allowedRegions,
                        profile.allowedDeploymentSkus,
                        today,
                    ),
                );
            }
        }
        if (prod && d.versionUpgradeOption !== undefined && d.versionUpgradeOption !== "NoAutoUpgrade") {
            add(
                `deployments[${i}].versionUpgradeOption`,
                `'${String(d.versionUpgradeOption)}' lets Azure change the model of a production deployment: expected NoAutoUpgrade`,
            );
        }
    });
    return problems;
}

/**
 * A deployment's model version judged against the catalogue's lifecycle and availability facts: refused once retired
 * (Azure answers every call with an error), and where the availability tables read show the SKU does not offer it in
 * the stack's region. Availability is checked only for a region and SKU the profile allows (those get their own error).
 */
function lifecycleProblems(
    i: number,
    model: string,
    version: string,
    sku: unknown,
    location: unknown,
    regions: readonly string[],
    skus: readonly string[],
    today: string,
): ConfigProblem[] {
    const out: ConfigProblem[] = [];
    const m = findModelVersion(model, version);
    if (!m) return out;
    const skuName = typeof sku === "string" ? sku : "";
    if (isRetired(m, skuName, today)) {
        const date = retirementFor(m, skuName).date;
        out.push({
            path: `deployments[${i}].version`,
            message: `${model} ${version} retired on ${date}${m.retirementBySku?.[skuName as never] ? ` for ${skuName}` : ""} (${daysBetween(date, today)} days ago; Azure answers every call to a retired model with an error, ${retirementSource.page}): expected a current model, e.g. ${describeReplacement(m, today)}`,
        });
        return out;
    }
    if (typeof location !== "string" || !regions.includes(location) || !skus.includes(skuName)) return out;
    const offered = m.offeredIn[skuName as never] as string[] | undefined;
    if (offered && !offered.includes(location)) {
        const alternatives = skus.filter((s) => (m.offeredIn[s as never] as string[] | undefined)?.includes(location));
        out.push({
            path: `deployments[${i}].sku`,
            message: `${model} ${version} is not offered as ${skuName} in ${location} (Azure's availability tables, read ${modelCatalogueReadOn}): expected ${alternatives.length ? `one of ${alternatives.join(", ")}` : "another model or region (no SKU the profile allows offers it there)"}`,
        });
    }
    return out;
}
