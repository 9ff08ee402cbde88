/**
 * The rules a stack's configuration must meet beyond its shape: those its compliance profile sets (regions, SKUs,
 * retention, spend, customer-managed key), the gateway's, and Azure's model lifecycle and availability. Each problem
 * names its key path and what was expected. The rules of each concern are in stack-rules-<concern>.ts; this file runs
 * them in the order their problems are listed.
 */
import { getProfile, profileIds } from "./profiles";
import { ConfigProblem, Raw, StackConfigError, ValidationOptions } from "./stack-problems";
import { accessProblems, tagProblems } from "./stack-rules-access";
import { contentFilterProblems, customerManagedKeyProblems, retentionProblems } from "./stack-rules-data-protection";
import { deploymentProblems } from "./stack-rules-deployments";
import { effectiveGateway, gatewayProblems } from "./stack-rules-gateway";
import { monitorPrivateLinkProblems, networkProblems, regionProblems } from "./stack-rules-network";
import { budgetStartProblems, spendProblems } from "./stack-rules-spend";

export type { ConfigProblem, ValidationOptions };
export { effectiveGateway, StackConfigError };

/** Rules that depend on the profile. They read the raw input defensively so they run even when its shape is wrong elsewhere. */
export function profileProblems(raw: Raw, today: string): ConfigProblem[] {
    if (typeof raw.profile !== "string" || !profileIds.includes(raw.profile as never)) {
        return [];
    }
    const profile = getProfile(raw.profile);
    const prod = raw.environment === "prod";
    return [
        ...regionProblems(raw, profile),
        ...deploymentProblems(raw, profile, prod, today),
        ...spendProblems(raw, profile),
        ...gatewayProblems(raw, profile, prod),
        ...retentionProblems(raw, profile),
        ...monitorPrivateLinkProblems(raw, profile),
        ...customerManagedKeyProblems(raw, profile),
        ...budgetStartProblems(raw, today),
        ...contentFilterProblems(raw, profile),
        ...tagProblems(raw, profile),
        ...accessProblems(raw),
        ...networkProblems(raw),
    ];
}
