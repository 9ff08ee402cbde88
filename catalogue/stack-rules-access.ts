/** The rules of who owns and who may use a stack: its required tags, the personas' Entra ID groups, its applications. */
import { ComplianceProfile } from "./profiles";
import { asArray, ConfigProblem, isObject, problemList, Raw } from "./stack-problems";

export function tagProblems(raw: Raw, profile: ComplianceProfile): ConfigProblem[] {
    const { problems, add } = problemList();
    const tags = isObject(raw.tags) ? raw.tags : undefined;
    if (tags) {
        for (const required of profile.requiredTags.filter((t) => t !== "compliance-profile" && t !== "environment")) {
            if (typeof tags[required] !== "string" || tags[required] === "")
                add(`tags.${required}`, `required by profile ${profile.id}: expected a non-empty string`);
        }
        if (tags["compliance-profile"] !== undefined && tags["compliance-profile"] !== profile.id) {
            add(
                "tags.compliance-profile",
                `'${String(tags["compliance-profile"])}' contradicts the stack's profile: expected ${profile.id} or no value (the platform sets it)`,
            );
        }
        if (tags.environment !== undefined && tags.environment !== raw.environment) {
            add(
                "tags.environment",
                `'${String(tags.environment)}' contradicts the stack's environment: expected ${String(raw.environment)} or no value`,
            );
        }
    }
    return problems;
}

export function accessProblems(raw: Raw): ConfigProblem[] {
    const { problems, add } = problemList();
    const access = isObject(raw.access) ? raw.access : {};
    for (const persona of ["developers", "dataScientists", "securityAuditors"]) {
        const p = isObject(access[persona]) ? access[persona] : {};
        asArray(p.groupDisplayNames).forEach((n, i) => {
            if (typeof n === "string" && n.includes("@")) {
                add(
                    `access.${persona}.groupDisplayNames[${i}]`,
                    `'${n}' looks like a user principal name: roles are granted to Entra ID groups only, expected a group display name`,
                );
            }
        });
        if (
            isObject(access[persona]) &&
            asArray(p.groupObjectIds).length + asArray(p.groupDisplayNames).length === 0 &&
            persona !== "dataScientists"
        ) {
            add(
                `access.${persona}`,
                "no group given: expected at least one entry in groupObjectIds or groupDisplayNames",
            );
        }
    }

    const appNames = new Set<string>();
    asArray(access.applications).forEach((a, i) => {
        if (!isObject(a) || typeof a.name !== "string") return;
        if (appNames.has(a.name))
            add(
                `access.applications[${i}].name`,
                `duplicate application name '${a.name}': each application gets its own managed identity, expected unique names`,
            );
        appNames.add(a.name);
    });
    return problems;
}
