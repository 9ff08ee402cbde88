/** The planner's slots: a stack whose run ends its worker does not take the next stack on the slot down with it. */
import * as path from "path";
import type * as Planner from "../../plan/planner";
import { resolveTargets } from "../../plan/stack-source";
import { assertBuilt, inWorkerRealm, requireDist } from "../support/dist";

const root = path.join(__dirname, "..", "..");
const fixtures = path.join(__dirname, "fixtures");
const program = (file: string, stack: string) =>
    resolveTargets({ root, stacks: [stack], config: [], program: path.join(fixtures, "programs", file), strict: true });

beforeAll(() => assertBuilt());

it("plans the next stack on a slot whose worker a strict preview's unneeded update pass ended", async () => {
    const { plan } = requireDist<typeof Planner>("plan/planner.js");
    // One slot: the first program throws in its update pass, which its strict preview does not need.
    const targets = inWorkerRealm([
        ...program("throws-in-update.js", "first"),
        ...program("private-account.js", "second"),
    ]);
    const report = await plan(targets, { packDir: path.join(fixtures, "pack"), preview: true, concurrency: 1 });
    expect(report.stacks.map((s) => [s.stack, s.result.failed])).toEqual([
        ["first", false],
        ["second", false],
    ]);
    expect(report.stacks[1].resources.length).toBeGreaterThan(1);
}, 60000);
