/**
 * Property: every config the generator (arbitraries.ts) calls valid plans with no mandatory violation through the real
 * pack. Per profile, enough configs (fixed seed) to reach every branch of the generator, which the suite checks; each
 * is planned in update mode by the built program and judged with its profile's committed policy config, under a stack
 * name production patterns match when the config is prod. A failure names the profile, seed and index that reproduce it.
 */
import * as fc from "fast-check";
import { profileIds } from "../../catalogue/profiles";
import { assertBuilt, runStack } from "../support/dist";
import { Evaluation, PackSession } from "./support/pack";
import {
    branchesOf,
    generatorBranches,
    plannedConfigSeed as seedOf,
    plannedConfigsPerProfile as runsPerProfile,
    validConfig,
} from "./arbitraries";

type Raw = Record<string, unknown>;
interface Planned {
    profile: string;
    index: number;
    raw: Raw;
    evaluation: Evaluation;
}

let pack: PackSession;
const planned: Planned[] = [];

beforeAll(async () => {
    assertBuilt();
    pack = await PackSession.start();
    const jobs = profileIds
        .flatMap((profile) =>
            fc.sample(validConfig(profile), { numRuns: runsPerProfile, seed: seedOf(profile) }).map((raw, index) => ({
                profile,
                index,
                raw,
                stack: `property-${profile}-${raw.environment === "prod" ? "prod" : "dev"}`,
            })),
        )
        .sort((a, b) => a.stack.localeCompare(b.stack));
    // The next config's program runs here while the pack process judges the last one: one run at a time each.
    const start = (i: number) => {
        const run = runStack(jobs[i].stack, jobs[i].raw, false);
        run.catch(() => undefined); // awaited below; a failure is not an unhandled rejection meanwhile
        return run;
    };
    let next = jobs.length > 0 ? start(0) : undefined;
    for (const [i, job] of jobs.entries()) {
        const run = await next!;
        next = i + 1 < jobs.length ? start(i + 1) : undefined;
        await pack.use(job.stack, job.profile, false);
        planned.push({ profile: job.profile, index: job.index, raw: job.raw, evaluation: await pack.evaluate(run) });
    }
}, 180000);

afterAll(async () => {
    await pack?.close();
});

const violations = (p: Planned) =>
    p.evaluation.findings
        .filter((f) => f.level === "mandatory")
        .map((f) => `${f.policy} on ${f.urn.split("::").pop()}: ${f.message}`);
const reproduce = (p: Planned) =>
    `profile ${p.profile}, seed ${seedOf(p.profile)}, config #${p.index} of fc.sample(validConfig("${p.profile}"), { numRuns: ${runsPerProfile}, seed: ${seedOf(p.profile)} }): ${JSON.stringify(p.raw)}`;

describe.each(profileIds)("random valid configs of %s", (profile) => {
    const mine = () => planned.filter((p) => p.profile === profile);

    it(`samples ${runsPerProfile} configs that reach every branch of the generator`, () => {
        expect(mine()).toHaveLength(runsPerProfile);
        const reached = new Set(mine().flatMap((p) => branchesOf(p.raw)));
        expect(generatorBranches(profile).filter((b) => !reached.has(b))).toEqual([]);
    });

    it("plan with no mandatory violation", () => {
        const failures = mine()
            .map((p) => ({ config: reproduce(p), violations: violations(p) }))
            .filter((f) => f.violations.length > 0);
        expect(failures).toEqual([]);
    });
});
