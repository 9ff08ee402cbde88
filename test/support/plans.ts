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
    const work = jobs.flatMap((job) =>
        job.targets.map((target) => ({ target: inWorkerRealm(target), options: { packDir, preview: job.preview } })),
    );
    const slots = Array.from(
        { length: Math.min(slotCount, work.length) },
        () => new PlanSlot({ packDir, preview: work[0].options.preview }),
    );
    let stacks: StackReport[];
    try {
        stacks = await planner.planOnSlots(work, slots);
    } finally {
        await Promise.all(slots.map((s) => s.close()));
    }
    let offset = 0;
    return jobs.map((job) => {
        const mine = stacks.slice(offset, (offset += job.targets.length));
        return planner.summarize(mine, job.preview);
    });
}

/** One job: `plan(targets, { packDir, preview })`. */
export async function planOnce(packDir: string, targets: StackTarget[], preview: boolean): Promise<PlanReport> {
    return (await planJobs(packDir, [{ targets, preview }]))[0];
}
