/**
 * The offline plan: runs each stack's program under mocks in a worker process, sends every resource through the
 * policy pack over the analyzer protocol (ConfigureStack and Configure per stack, Analyze each, AnalyzeStack once) and
 * builds the report. Stacks are planned on a few slots (a worker and a pack process each, one slot per core) that take
 * the stacks one after another, so processes start once per slot, not once per stack (docs/performance.md).
 * Any failure (program, pack, config) rejects: there is never a partial report.
 */
import * as os from "os";
import { analyzeRun, packSetup } from "./analyze-run";
import type { PlanOptions } from "./plan-options";
import { PlanSlot } from "./plan-slot";
import { loadPolicyMetadata } from "./policy-metadata";
import { PlanReport, reportSchemaVersion, StackReport } from "./report/model";
import { StackTarget } from "./stack-source";
import { emptyCounts, VerdictCounts } from "./verdicts";

export type { PlanOptions } from "./plan-options";

export const toolName = "azure-openai-plan";

/**
 * A preview cannot judge what depends on values Azure computes on first deploy (e.g. the key version and identity
 * client id of a customer-managed key, which azure-native folds into the account's whole `properties`). Strict stacks
 * re-run such checks with those values known (update mode): a check stays unresolved, and fails strict mode, unless
 * it then passes. The preview verdict is kept as not-evaluated; the confirmation is reported beside it.
 */
async function confirmWithKnownValues(
    target: StackTarget,
    options: PlanOptions,
    report: StackReport,
    planUpdate: () => Promise<StackReport>,
): Promise<StackReport> {
    const pending = report.verdicts.filter((v) => v.verdict === "not-evaluated" && v.enforcementLevel === "mandatory");
    if (!options.preview || !target.strict || pending.length === 0) return report;
    const update = await planUpdate();
    const byKey = new Map(update.verdicts.map((v) => [`${v.policyName}\u0000${v.urn}`, v.verdict]));
    for (const v of pending) v.confirmedWithKnownValues = byKey.get(`${v.policyName}\u0000${v.urn}`) ?? "not-evaluated";
    const unresolved = pending.filter(
        (v) => !["passed", "not-applicable", "exempted"].includes(v.confirmedWithKnownValues as string),
    ).length;
    const result = {
        ...report.result,
        mandatoryNotEvaluated: unresolved,
        confirmedWithKnownValues: pending.length - unresolved,
    };
    return {
        ...report,
        result: { ...result, failed: result.mandatoryViolations > 0 || (target.strict && unresolved > 0) },
    };
}

/** Plans one stack on a slot (starting its processes if needed), confirming strict previews with values known. */
export async function planStack(target: StackTarget, options: PlanOptions, slot: PlanSlot): Promise<StackReport> {
    const { worker, pack, info } = slot.start(target);
    const runIn = (preview: boolean) =>
        worker.run({
            project: target.project,
            stack: target.stack,
            config: target.config,
            preview,
            programPath: target.programPath,
            constructionSites: target.sourceKind === "program",
        });
    // The pack's description and this stack's Configure are ready while the program runs.
    const setup = packSetup(target, info);
    setup.catch(() => undefined);
    const run = await runIn(options.preview);
    // A strict preview is confirmed in update mode whenever it leaves a mandatory check unjudged (most first
    // deployments do): the worker runs the program in update mode while the pack judges the preview. Unused, its
    // result is dropped, and so is its error, as when it was never run.
    const update = options.preview && target.strict ? runIn(false) : undefined;
    update?.catch(() => undefined);
    try {
        const report = await analyzeRun(target, run, options, await pack, await setup);
        return await confirmWithKnownValues(target, options, report, async () =>
            analyzeRun(target, await (update ?? runIn(false)), { ...options, preview: false }, await pack, await setup),
        );
    } finally {
        // The worker takes one run at a time: the slot's next stack waits for this one's.
        await update?.catch(() => undefined);
    }
}

const addCounts = (a: VerdictCounts, b: VerdictCounts): VerdictCounts =>
    Object.fromEntries(
        Object.keys(a).map((k) => [k, a[k as keyof VerdictCounts] + b[k as keyof VerdictCounts]]),
    ) as VerdictCounts;

export function summarize(stacks: StackReport[], preview: boolean): PlanReport {
    const failedStacks = stacks.filter((s) => s.result.failed).map((s) => s.stack);
    return {
        schemaVersion: reportSchemaVersion,
        tool: toolName,
        mode: preview ? "preview" : "update",
        stacks,
        summary: {
            stacks: stacks.length,
            resources: stacks.reduce((n, s) => n + s.resources.length, 0),
            counts: stacks.reduce((c, s) => addCounts(c, s.counts), emptyCounts()),
            mandatoryViolations: stacks.reduce((n, s) => n + s.result.mandatoryViolations, 0),
            advisoryViolations: stacks.reduce((n, s) => n + s.result.advisoryViolations, 0),
            mandatoryNotEvaluated: stacks.reduce((n, s) => n + s.result.mandatoryNotEvaluated, 0),
            confirmedWithKnownValues: stacks.reduce((n, s) => n + s.result.confirmedWithKnownValues, 0),
            failedStacks,
            exitCode: failedStacks.length ? 1 : 0,
        },
    };
}

/**
 * Plans each target with its options on the slots, every slot taking the next target when it is free; after a
 * failure no slot takes another, and the first error rejects. Reports come back in the order of `work`.
 */
export async function planOnSlots(
    work: { target: StackTarget; options: PlanOptions }[],
    slots: PlanSlot[],
): Promise<StackReport[]> {
    const stacks: StackReport[] = new Array(work.length);
    let next = 0;
    let failed = false;
    await Promise.all(
        slots.map(async (slot) => {
            while (!failed && next < work.length) {
                const i = next++;
                try {
                    stacks[i] = await planStack(work[i].target, work[i].options, slot);
                } catch (e) {
                    failed = true;
                    throw e;
                }
            }
        }),
    );
    return stacks;
}

/** Plans every target, up to `concurrency` at once; rejects on the first error (no partial report). */
export async function plan(targets: StackTarget[], options: PlanOptions): Promise<PlanReport> {
    const concurrency = options.concurrency ?? Math.min(4, Math.max(1, os.cpus().length));
    const count = Math.min(Math.max(1, concurrency), targets.length);
    const slots = Array.from({ length: count }, () => new PlanSlot(options, targets.length === count));
    slots.forEach((slot, i) => slot.start(targets[i]));
    try {
        // Loading the pack's metadata loads its SDK: do it while the slots' processes load.
        loadPolicyMetadata(options.packDir);
        const stacks = await planOnSlots(
            targets.map((target) => ({ target, options })),
            slots,
        );
        return summarize(stacks, options.preview);
    } finally {
        await Promise.all(slots.map((s) => s.close()));
    }
}
