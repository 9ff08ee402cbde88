/**
 * Property-based tests over the config schema: every config generated within a profile's rules validates, and every
 * single-field corruption of one is refused with a problem at (or above) the corrupted path.
 */
import * as fc from "fast-check";
import { StackConfigError, validateStackConfig } from "../../infra/config";
import { profileIds } from "../../catalogue/profiles";
import { corruptionsOf, validConfig } from "./arbitraries";

/** Fixed seed: a failure reproduces; fast-check prints the counterexample and the seed. */
const seed = 20250601;

describe("config schema properties", () => {
    it.each(profileIds)(
        "random configs within profile %s always validate, keeping their profile's rules",
        (profile) => {
            fc.assert(
                fc.property(validConfig(profile), (raw) => {
                    const s = validateStackConfig("prop", raw);
                    expect(s.resolvedProfile.allowedRegions).toContain(s.location);
                    expect(s.worstCaseDailySpend).toBeLessThanOrEqual(s.dailySpendLimit);
                    expect(s.retention.totalDays).toBeGreaterThanOrEqual(s.retention.interactiveDays);
                    expect(s.customerManagedKeyEnabled || !s.resolvedProfile.customerManagedKeyRequired).toBe(true);
                }),
                { numRuns: 60, seed },
            );
        },
    );

    it("every single-field corruption of a random valid config is rejected at its path", () => {
        let checked = 0;
        fc.assert(
            fc.property(validConfig(), fc.nat(), (raw, pick) => {
                const all = corruptionsOf(raw);
                // Each run checks one corruption drawn at random plus one of each kind (wrong type, unknown key, missing key, profile rule), so all kinds are always covered.
                const chosen = [
                    all[pick % all.length],
                    ...["wrong-type", "unknown-key", "missing-required", "profile-rule"].map(
                        (k) => all.filter((c) => c.kind === k)[pick % all.filter((c) => c.kind === k).length],
                    ),
                ];
                for (const c of chosen) {
                    const broken = structuredClone(raw);
                    c.apply(broken);
                    let error: unknown;
                    try {
                        validateStackConfig("prop", broken);
                    } catch (e) {
                        error = e;
                    }
                    expect(error).toBeInstanceOf(StackConfigError);
                    const paths = (error as StackConfigError).problems.map((p) => p.path);
                    // The problem names the corrupted key or one of its ancestors (a list reports itself when its item is wrong).
                    expect(
                        paths.some(
                            (p) =>
                                c.path === p ||
                                c.path.startsWith(`${p}.`) ||
                                c.path.startsWith(`${p}[`) ||
                                (p !== "" && p.startsWith(c.path)),
                        ),
                    ).toBe(true);
                    checked++;
                }
            }),
            { numRuns: 150, seed },
        );
        expect(checked).toBe(750);
    });
});
