/**
 * Every entry of the register names an exemptable policy of this pack and a resource, and is granted for a limited
 * time; and the policy config's `today` is not wound back before the run's date.
 */
import { docsUrl, PackStackPolicy } from "../core";
import { addDays, effectiveToday, runDate, windsClockBack } from "./clock";
import { currentStack, governanceConfig, governanceFields, PackPolicies } from "./governance";

export function invalidExemptionPolicy(policies: PackPolicies): PackStackPolicy {
    return {
        ...governanceFields,
        name: "azure-openai-exemption-invalid",
        description: "Every exemption names an exemptable policy of this pack and is granted for a limited time.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Correct or remove the entry in policies/exemptions.yaml: name an existing, exemptable policy and an expiry date within the allowed window; then run `npm run policy-config`. Remove a `today` earlier than the run's date from the policy config.",
        url: docsUrl("azure-openai-exemption-invalid"),
        validateStack: (args, report) => {
            const { exemptions, maxDays, today } = governanceConfig(args);
            if (windsClockBack(today))
                report(
                    `policy config today '${today}' is before the run's date ${runDate}: exemptions are judged on ${runDate}; a configured date may only move forward. Remove it from the policy config.`,
                );
            const stack = currentStack(args);
            const limit = addDays(effectiveToday(today), maxDays);
            for (const e of exemptions.filter((x) => x.stack === stack)) {
                const target = policies.get(e.policy);
                if (!target)
                    report(
                        `exemption ${e.id}: policy '${e.policy}' is not in this pack: name one of its policies (owner ${e.owner}).`,
                    );
                else if (target.nonExemptable)
                    report(
                        `exemption ${e.id}: policy '${e.policy}' is non-exemptable: no exemption can cover it, fix the resource instead (owner ${e.owner}).`,
                    );
                if (e.urn === undefined && e.name === undefined)
                    report(
                        `exemption ${e.id}: resource has neither urn nor name: set one so the exemption covers a specific resource (owner ${e.owner}).`,
                    );
                if (e.expires > limit)
                    report(
                        `exemption ${e.id}: expires ${e.expires}, more than ${maxDays} days ahead: set an expiry on or before ${limit} (owner ${e.owner}).`,
                    );
            }
        },
    };
}
