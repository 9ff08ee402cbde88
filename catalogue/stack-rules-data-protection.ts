/** The rules of how a stack protects data: audit log retention, customer-managed key, DLP patterns of the content filter. */
import { ComplianceProfile } from "./profiles";
import { ConfigProblem, isObject, problemList, Raw } from "./stack-problems";

export function retentionProblems(raw: Raw, profile: ComplianceProfile): ConfigProblem[] {
    const { problems, add } = problemList();
    const logging = isObject(raw.logging) ? raw.logging : {};
    const min = profile.minimumLogRetention;
    if (
        typeof logging.interactiveRetentionDays === "number" &&
        logging.interactiveRetentionDays < min.interactiveDays
    ) {
        add(
            "logging.interactiveRetentionDays",
            `${logging.interactiveRetentionDays} days is below profile ${profile.id}'s minimum: expected at least ${min.interactiveDays}`,
        );
    }
    if (typeof logging.totalRetentionDays === "number" && logging.totalRetentionDays < min.totalDays) {
        add(
            "logging.totalRetentionDays",
            `${logging.totalRetentionDays} days is below profile ${profile.id}'s minimum: expected at least ${min.totalDays}`,
        );
    }
    // Azure refuses a total retention shorter than the interactive one; compare with the profile's value where one is unset.
    const interactive =
        typeof logging.interactiveRetentionDays === "number" ? logging.interactiveRetentionDays : min.interactiveDays;
    if (
        typeof logging.totalRetentionDays === "number" &&
        logging.totalRetentionDays >= min.totalDays &&
        logging.totalRetentionDays < interactive
    ) {
        add(
            "logging.totalRetentionDays",
            `${logging.totalRetentionDays} days is shorter than the interactive retention of ${interactive} days: expected at least ${interactive}`,
        );
    }
    return problems;
}

/** Whether the raw value turns the customer-managed key off (`false` or `{ enabled: false }`). */
function cmkSwitchedOff(v: unknown): boolean {
    return v === false || (isObject(v) && v.enabled === false);
}

export function customerManagedKeyProblems(raw: Raw, profile: ComplianceProfile): ConfigProblem[] {
    const { problems, add } = problemList();
    if (cmkSwitchedOff(raw.customerManagedKey) && profile.customerManagedKeyRequired) {
        add(
            "customerManagedKey",
            `profile ${profile.id} requires customer-managed key encryption: expected true or no value`,
        );
    }
    const cmk = raw.customerManagedKey;
    if (isObject(cmk) && cmk.phase !== undefined && !profile.customerManagedKeyRequired && cmk.enabled !== true) {
        add(
            "customerManagedKey.phase",
            `is set but profile ${profile.id} does not require a customer-managed key and customerManagedKey.enabled is not true: expected enabled: true with the phase, or no phase`,
        );
    }
    return problems;
}

export function contentFilterProblems(raw: Raw, profile: ComplianceProfile): ConfigProblem[] {
    const { problems, add } = problemList();
    const filter = isObject(raw.contentFilter) ? raw.contentFilter : {};
    if (Array.isArray(filter.dlpPatterns)) {
        const missing = profile.dlpPatterns.filter((p) => !(filter.dlpPatterns as unknown[]).includes(p));
        if (missing.length)
            add(
                "contentFilter.dlpPatterns",
                `profile ${profile.id} requires the DLP patterns ${missing.join(", ")}: expected them in the list`,
            );
    }
    return problems;
}
