/** An exemption past its expiry covers nothing (the wrappers ignore it) and is itself a mandatory finding naming its owner. */
import { docsUrl, PackStackPolicy } from "../core";
import { effectiveToday } from "./clock";
import { isExpired, matchedBy } from "./match";
import { currentStack, governanceConfig, governanceFields, PackPolicies } from "./governance";

export function expiredExemptionPolicy(policies: PackPolicies): PackStackPolicy {
    return {
        ...governanceFields,
        name: "azure-openai-exemption-expired",
        description:
            "An exemption past its expiry date no longer waives anything and must be renewed or removed by its owner.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Fix the finding the exemption covered, or have the exemption's owner renew it in policies/exemptions.yaml with a new expiry date and ticket, then run `npm run policy-config`.",
        url: docsUrl("azure-openai-exemption-expired"),
        validateStack: (args, report) => {
            const { exemptions, today } = governanceConfig(args);
            const stack = currentStack(args);
            const on = effectiveToday(today);
            const mine = exemptions.filter((e) => e.stack === stack && isExpired(e, on));
            const matched = matchedBy(mine, args.resources, policies);
            for (const e of mine) {
                const target = matched.get(e.id)?.[0];
                report(
                    `exemption ${e.id} of ${e.policy} expired on ${e.expires}: owner ${e.owner} must renew it (ticket ${e.ticket}) or the finding must be fixed; until then the finding is enforced.`,
                    target?.urn,
                );
            }
        },
    };
}
