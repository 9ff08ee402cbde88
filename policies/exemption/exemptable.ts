/**
 * Wraps the pack's exemptable rules so that exemptions apply, identically in `pulumi preview --policy-pack` and in
 * the offline plan:
 * - a resource-policy finding an exemption covers becomes not-applicable with the exemption's notice;
 * - a stack-policy finding it covers becomes an advisory diagnostic of `exemptionsAppliedPolicy`;
 * - an expired exemption covers nothing (the expired-exemption policy reports it).
 */
import { ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { PackPolicy, PackResourcePolicy, PackStackPolicy, stackOfUrn, withDefaults } from "../core";
import { exemptionsAppliedPolicy, formatExemption } from "../verdict-protocol";
import { effectiveToday } from "./clock";
import { isExpired, matches } from "./match";
import { runState } from "./run-state";
import { Exemption, ExemptionConfig, withExemptionsSchema } from "./schema";

export const noticeOf = (e: Exemption) =>
    formatExemption({
        exemptionId: e.id,
        policyName: e.policy,
        reason: e.reason,
        owner: e.owner,
        ticket: e.ticket,
        expires: e.expires,
    });

function coveringExemption(
    policyName: string,
    config: ExemptionConfig,
    urn: string | undefined,
): Exemption | undefined {
    if (!urn) return undefined;
    const today = effectiveToday(config.today);
    return (config.exemptions ?? []).find((e) => e.policy === policyName && !isExpired(e, today) && matches(e, urn));
}

type Finding = Parameters<ReportViolation>;

/**
 * The SDK's reportViolation also takes an object that names another policy and level (server.js
 * makeReportViolationFun); its type declaration only shows the string form.
 */
interface DiagnosticOverride {
    name: string;
    message: string;
    urn?: string;
    enforcementLevel: "advisory" | "mandatory";
}
const reportAs = (report: ReportViolation, d: DiagnosticOverride) =>
    (report as unknown as (d: DiagnosticOverride) => void)(d);

/** Makes a resource policy honour exemptions: a covered finding turns into not-applicable with the exemption's notice. */
export function exemptableResourcePolicy(policy: PackResourcePolicy): PackResourcePolicy {
    const validate = policy.validateResource;
    if (!validate || Array.isArray(validate))
        throw new Error(`${policy.name}: expected a single validateResource function`);
    const schema = withExemptionsSchema(policy.configSchema);
    return {
        ...policy,
        configSchema: schema,
        validateResource: async (args: ResourceValidationArgs, report: ReportViolation) => {
            const findings: Finding[] = [];
            // Throws for not-applicable and not-evaluated: then the resource was not judged, and counts as not analyzed.
            await validate(args, (...f: Finding) => findings.push(f));
            const state = runState(args.stackTags, stackOfUrn(args.urn));
            state.analyzed.add(args.urn);
            if (findings.length === 0) return;
            const exemption = coveringExemption(
                policy.name,
                withDefaults<ExemptionConfig>(schema, args.getConfig()),
                args.urn,
            );
            if (exemption) {
                state.used.add(exemption.id);
                args.notApplicable(noticeOf(exemption));
            }
            for (const f of findings) report(...f);
        },
    };
}

/** Makes a stack policy honour exemptions: each covered finding is re-filed as an advisory `exemptionsAppliedPolicy` notice. */
export function exemptableStackPolicy(policy: PackStackPolicy): PackStackPolicy {
    const schema = withExemptionsSchema(policy.configSchema);
    return {
        ...policy,
        configSchema: schema,
        validateStack: async (args: StackValidationArgs, report: ReportViolation) => {
            const config = withDefaults<ExemptionConfig>(schema, args.getConfig());
            await policy.validateStack(args, (...f: Finding) => {
                const urn = f[1];
                const exemption = coveringExemption(policy.name, config, urn);
                if (!exemption) return report(...f);
                runState(args.stackTags, stackOfUrn(urn as string)).used.add(exemption.id);
                reportAs(report, {
                    name: exemptionsAppliedPolicy,
                    message: noticeOf(exemption),
                    urn,
                    enforcementLevel: "advisory",
                });
            });
        },
    };
}

export function makeExemptable(policy: PackPolicy): PackPolicy {
    if (policy.nonExemptable) return policy;
    return "validateStack" in policy
        ? exemptableStackPolicy(policy)
        : exemptableResourcePolicy(policy as PackResourcePolicy);
}
