/**
 * Exemptions as code. Entries live in `policies/exemptions.yaml`, reach the pack through its policy config (each
 * exemptable policy's `exemptions` property; the governance policies get every entry) and are applied by the pack
 * itself, so `pulumi preview --policy-pack` and the offline plan honour exactly the same waivers. One job per file in
 * exemption/: schema.ts (what an entry is), clock.ts (today), match.ts (what an entry covers), run-state.ts (what a
 * run used), exemptable.ts (rules honour entries), expired.ts, invalid.ts and stale.ts (the governance policies).
 */
import { PackPolicy, PackStackPolicy } from "./core";
import { expiredExemptionPolicy } from "./exemption/expired";
import { invalidExemptionPolicy } from "./exemption/invalid";
import { staleExemptionPolicy } from "./exemption/stale";

export { addDays, effectiveToday, runDate, utcDate } from "./exemption/clock";
export { makeExemptable, noticeOf } from "./exemption/exemptable";
export { isExpired, matches } from "./exemption/match";
export { exemptionSchema } from "./exemption/schema";
export type { Exemption } from "./exemption/schema";

/**
 * The three governance policies of the exemption register. `rules` is the rest of the pack: an exemption must name
 * one of them, and not a non-exemptable one. They run after every other policy (stale needs to know what was used).
 */
export function governancePolicies(rules: readonly PackPolicy[]): PackStackPolicy[] {
    const byName = new Map(rules.map((p) => [p.name, p]));
    return [expiredExemptionPolicy(byName), invalidExemptionPolicy(byName), staleExemptionPolicy(byName)];
}
