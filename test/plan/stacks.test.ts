/**
 * Every committed stack planned once per mode through the planner (worker processes, the real program and the real
 * pack) is compliant. What each stack would create is reviewed as its security posture, a small snapshot derived
 * from every stack (test/reliability/posture.ts), not as a whole report per stack.
 */
import * as path from "path";
import { plan } from "../../plan/planner";
import { PlanReport } from "../../plan/report/model";
import { resolveTargets, stackNames } from "../../plan/stack-source";

const root = path.join(__dirname, "..", "..");
const packDir = path.join(root, "policies");
let preview: PlanReport;
let update: PlanReport;

beforeAll(async () => {
    const targets = resolveTargets({ root, stacks: [], config: [] });
    // One plan per mode, both at once: the time goes into loading modules in each stack's processes.
    [preview, update] = await Promise.all([plan(targets, { packDir, preview: true }), plan(targets, { packDir, preview: false })]);
}, 120000);

describe.each(stackNames(root))("stack %s", (stack) => {
    const of = (r: PlanReport) => r.stacks.find((s) => s.stack === stack)!;

    it("has no violation and nothing left unevaluated in update mode", () => {
        const s = of(update);
        expect(s.violations).toEqual([]);
        expect(s.counts["not-evaluated"]).toBe(0);
        expect(s.counts.passed).toBeGreaterThan(0);
    });

    it("passes in preview, where strict production stacks fail on any mandatory check that could not run", () => {
        const s = of(preview);
        expect(s.violations).toEqual([]);
        expect({ stack, mandatoryNotEvaluated: s.result.mandatoryNotEvaluated, failed: s.result.failed }).toEqual({ stack, mandatoryNotEvaluated: 0, failed: false });
    });
});
