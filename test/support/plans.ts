/**
 * Plans for tests, through the built planner (loaded once per jest worker, ./dist.ts) and the planner's own slots: every
 * target of every job (a set of targets in one mode) is planned in turn on two slots, a worker and a pack process each,
 * the pack told each stack's mode by ConfigureStack as the analyzer protocol allows. A test file then starts two pairs
 * of processes, not a pair per stack and mode. Each job's report is what `plan()` returns for it.
 */
import type * as Planner from "../../plan/planner";
import type * as Slots from "../../plan/plan-slot";
import type { PlanReport, StackReport } from "../../plan/report/model";
import type { StackTarget } from "../../plan/stack-source";
import { assertBuilt, inWorkerRealm, requireDist } from "./dist";

export interface PlanJob {
    targets: StackTarget[];
    preview: boolean;
}

export async function planJobs(packDir: string, jobs: PlanJob[], slotCount = 2): Promise<PlanReport[]> {
    assertBuilt();
    const planner = requireDist<typeof Planner>("plan/planner.js");
    const { PlanSlot } = requireDist<typeof Slots>("plan/plan-slot.js");
    const work = jobs.flatMap((job, j) =>
        job.targets.map((target, i) => ({ j, i, target: inWorkerRealm(target), preview: job.preview })),
    );
    const slots = Array.from(
        { length: Math.min(slotCount, work.length) },
        () => new PlanSlot({ packDir, preview: work[0].preview }),
    );
    const stacks: StackReport[][] = jobs.map((job) => new Array(job.targets.length));
    let next = 0;
    // As plan() does: after a failure no slot takes another stack (closing it would not stop a new start).
    let failed = false;
    try {
        await Promise.all(
            slots.map(async (slot) => {
                while (!failed && next < work.length) {
                    const w = work[next++];
                    try {
                        stacks[w.j][w.i] = await planner.planStack(w.target, { packDir, preview: w.preview }, slot);
                    } catch (e) {
                        failed = true;
                        throw e;
                    }
                }
            }),
        );
    } finally {
        await Promise.all(slots.map((s) => s.close()));
    }
    return jobs.map((job, j) => planner.summarize(stacks[j], job.preview));
}

/** One job: `plan(targets, { packDir, preview })`. */
export async function planOnce(packDir: string, targets: StackTarget[], preview: boolean): Promise<PlanReport> {
    return (await planJobs(packDir, [{ targets, preview }]))[0];
}
