/** An exemption that matched nothing in this run, or whose policy found nothing to waive, is reported for removal. */
import { docsUrl, PackStackPolicy } from "../core";
import { effectiveToday } from "./clock";
import { isExpired, matchedBy } from "./match";
import { runState } from "./run-state";
import { currentStack, governanceConfig, governanceFields, isExemptable, PackPolicies } from "./governance";

export function staleExemptionPolicy(policies: PackPolicies): PackStackPolicy {
    return {
        ...governanceFields,
        name: "azure-openai-exemption-stale",
        description: "An exemption that matched nothing in this run is stale and should be removed from the register.",
        severity: "low",
        enforcementLevel: "advisory",
        remediationSteps:
            "Remove the entry from policies/exemptions.yaml (the resource is gone or now complies), then run `npm run policy-config`.",
        url: docsUrl("azure-openai-exemption-stale"),
        validateStack: (args, report) => {
            const { exemptions, today } = governanceConfig(args);
            const stack = currentStack(args);
            const on = effectiveToday(today);
            const state = runState(args.stackTags, stack);
            const mine = exemptions.filter(
                (e) => e.stack === stack && !isExpired(e, on) && isExemptable(policies.get(e.policy)),
            );
            const matched = matchedBy(mine, args.resources, policies);
            for (const e of mine) {
                const resources = matched.get(e.id) ?? [];
                if (resources.length === 0) {
                    report(
                        `exemption ${e.id} of ${e.policy} matches no resource of stack ${stack} (${e.urn ?? e.name}): remove it (owner ${e.owner}).`,
                    );
                    continue;
                }
                if (state.used.has(e.id)) continue;
                // A resource policy's exemption can only be judged unused if this run judged every resource it covers.
                const isStack = "validateStack" in (policies.get(e.policy) ?? {});
                if (isStack || resources.every((r) => state.analyzed.has(r.urn))) {
                    report(
                        `exemption ${e.id}: ${e.policy} found nothing to waive on ${resources.map((r) => r.name).join(", ")}: remove it (owner ${e.owner}).`,
                        resources[0].urn,
                    );
                }
            }
        },
    };
}
