/**
 * The offline plan: runs each stack's program under mocks in a worker process, sends every resource through the
 * policy pack over the analyzer protocol (ConfigureStack and Configure per stack, Analyze each, AnalyzeStack once) and
 * builds the report. Stacks are planned on a few slots (a worker and a pack process each, one slot per core) that take
 * the stacks one after another, so processes start once per slot, not once per stack (docs/performance.md).
 * Any failure (program, pack, config) rejects: there is never a partial report.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    AnalyzeResult,
    AnalyzerClient,
    AnalyzerInfo,
    EffectivePolicyConfig,
    engineRequests,
    reconcilePolicyConfig,
} from "./analyzer";
import { keyInputsOf } from "./key-inputs";
import { placeholderLabels } from "./placeholders";
import type { PlannedResource, ProgramRun } from "./mock-runtime";
import { loadPolicyMetadata } from "./policy-metadata";
import { ProgramWorker } from "./program-runner";
import { PlanReport, reportSchemaVersion, ResourceEntry, StackReport } from "./report/model";
import { programResourceLines } from "./report/program-lines";
import type { StackCostLimits } from "../catalogue/stack-settings";
import { StackTarget, UsageError } from "./stack-source";
import { renderValue, valueAt } from "./values";
import { computeVerdicts, countVerdicts, emptyCounts, VerdictCounts } from "./verdicts";

export const toolName = "azure-openai-plan";

export interface PlanOptions {
    packDir: string;
    preview: boolean;
    /** Stacks planned at once (slots: a worker process and a pack process each). Default: the number of cores, at most 4. */
    concurrency?: number;
    packTimeoutMs?: number;
}

function readPolicyConfig(file: string | undefined): unknown {
    if (!file) return undefined;
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`Policy config ${file} is not valid JSON: ${(e as Error).message}`);
    }
}

/**
 * Dependencies as the report keeps them, each URN once: property dependencies (non-empty lists only), and under
 * `dependencies` only those no property already gives (explicit `dependsOn`, inherited from a parent).
 */
function reportDependencies(r: PlannedResource): Pick<ResourceEntry, "dependencies" | "propertyDependencies"> {
    const propertyDependencies = Object.fromEntries(
        Object.entries(r.propertyDependencies).filter(([, urns]) => urns.length > 0),
    );
    const viaProperty = new Set(Object.values(propertyDependencies).flat());
    return { dependencies: r.dependencies.filter((u) => !viaProperty.has(u)), propertyDependencies };
}

function toEntry(r: PlannedResource, labels: ReadonlyMap<string, string>): ResourceEntry {
    const render = (v: unknown) => renderValue(v, labels);
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent ?? null,
        custom: r.custom,
        inputs: render(r.inputs) as Record<string, unknown>,
        keyInputs: keyInputsOf(r.type, r.inputs, render, valueAt),
        protect: r.protect,
        ...reportDependencies(r),
    };
}

const analyzeInFlight = 8;

/** The pack's description and the configuration a stack sends it (the engine's Configure), from the stack's policy config. */
export interface PackSetup {
    info: AnalyzerInfo;
    config: EffectivePolicyConfig;
}

async function packSetup(target: StackTarget, info: Promise<AnalyzerInfo>): Promise<PackSetup> {
    const userConfig = readPolicyConfig(target.policyConfigPath);
    return { info: await info, config: reconcilePolicyConfig(await info, userConfig) };
}

/** Sends a program run through a running pack (told the stack, mode and policy config first) and builds the stack's report. */
export async function analyzeRun(
    target: StackTarget,
    run: ProgramRun,
    options: PlanOptions,
    pack: AnalyzerClient,
    { info, config }: PackSetup,
): Promise<StackReport> {
    await pack.configureStack({ project: target.project, stack: target.stack, preview: options.preview });
    await pack.configure(config);
    // What the engine sends: Analyze with each resource's inputs, AnalyzeStack with every resource's outputs.
    const requests = engineRequests(run, target.config);
    // A few Analyze calls in flight, as the engine analyzes resources while they register: the pack never waits on a round trip.
    const analyze = new Map<string, AnalyzeResult>();
    let next = 0;
    await Promise.all(
        Array.from({ length: Math.min(analyzeInFlight, requests.analyze.length) }, async () => {
            while (next < requests.analyze.length) {
                const r = requests.analyze[next++];
                analyze.set(r.urn, await pack.analyze(r));
            }
        }),
    );
    const analyzeStack = await pack.analyzeStack(requests.analyzeStack);
    const analyzable = run.resources.filter((r) => !r.type.startsWith("pulumi:providers:"));
    const metadata = loadPolicyMetadata(options.packDir);
    const labels = placeholderLabels(run.invokes);
    const stackUrn =
        run.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ??
        `urn:pulumi:${target.stack}::${target.project}::pulumi:pulumi:Stack::${target.project}-${target.stack}`;
    const { verdicts, violations } = computeVerdicts({
        policies: info.policies,
        metadata,
        config,
        resources: analyzable,
        stackUrn,
        analyze,
        analyzeStack,
    });
    const levelOf = (name: string) => config[name]?.enforcementLevel ?? "advisory";
    const stackTypes = new Set(run.resources.map((r) => r.type));
    const mandatoryNotEvaluated = verdicts.filter(
        (v) =>
            v.verdict === "not-evaluated" &&
            levelOf(v.policyName) !== "advisory" &&
            levelOf(v.policyName) !== "disabled",
    ).length;
    const mandatoryViolations = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return {
        stack: target.stack,
        project: target.project,
        profile: target.profile ?? null,
        environment: target.environment ?? null,
        mode: options.preview ? "preview" : "update",
        strict: target.strict,
        source: {
            kind: target.sourceKind,
            file: target.sourceFile,
            ...(target.keyLines ? { keyLines: target.keyLines } : {}),
            ...(target.sourceKind === "program" ? { resourceLines: programResourceLines(run.resources) } : {}),
        },
        policyPack: { name: info.name, version: info.version },
        policyConfig: target.policyConfigPath
            ? path.relative(process.cwd(), target.policyConfigPath) || target.policyConfigPath
            : null,
        resources: run.resources.map((r) => toEntry(r, labels)),
        violations,
        verdicts,
        policies: info.policies.map((p) => ({
            name: p.name,
            description: p.description,
            type: p.type,
            enforcementLevel: levelOf(p.name),
            defaultEnforcementLevel: p.enforcementLevel,
            severity: p.severity ?? null,
            remediation: p.remediationSteps ?? null,
            url: metadata[p.name]?.url ?? p.url ?? null,
            // The types of this stack's resources the policy judges: the location rule concerns every type that takes a
            // location (over a thousand), which would fill every report with the SDK's catalogue.
            concerns: (metadata[p.name]?.concerns ?? []).filter((t) => stackTypes.has(t)),
            nonExemptable: metadata[p.name]?.nonExemptable ?? false,
            counts: countVerdicts(verdicts.filter((v) => v.policyName === p.name)),
        })),
        counts: countVerdicts(verdicts),
        result: {
            mandatoryViolations,
            advisoryViolations: violations.length - mandatoryViolations,
            mandatoryNotEvaluated,
            confirmedWithKnownValues: 0,
            failed: mandatoryViolations > 0 || (target.strict && mandatoryNotEvaluated > 0),
        },
        costLimits: target.costLimits ?? costLimitsOutput(run.outputs.costLimits),
    };
}

/** A program's `costLimits` stack output, when it has the report's shape (a preview leaves outputs unresolved). */
function costLimitsOutput(v: unknown): StackCostLimits | null {
    const o = v as Partial<StackCostLimits> | undefined;
    return o &&
        (o.enforcedBy === "gateway" || o.enforcedBy === "budget-alerts-only") &&
        typeof o.budget === "object" &&
        o.gateway !== undefined
        ? (o as StackCostLimits)
        : null;
}

/**
 * A worker process and a pack process, started together (both take about half a second to load) and reused for the
 * stacks planned on the slot one after another. The pack is told each stack with ConfigureStack and Configure, as the
 * analyzer protocol allows; it is started with the first stack's environment (PULUMI_STACK, PULUMI_CONFIG), which
 * this repository's pack never reads.
 */
export class PlanSlot {
    private worker?: ProgramWorker;
    private pack?: Promise<AnalyzerClient>;
    /** Asked as soon as the pack is up, while the program runs. */
    private info?: Promise<AnalyzerInfo>;

    /**
     * `lean`: the slot plans a single stack, so its processes trade throughput they will not use for memory: a small
     * young generation keeps each process ~20 MB smaller at the same start-up time (docs/performance.md).
     */
    constructor(
        private readonly options: PlanOptions,
        private readonly lean = false,
    ) {}

    /** Starts the slot's processes if they are not running; returns them. */
    start(target: StackTarget): { worker: ProgramWorker; pack: Promise<AnalyzerClient>; info: Promise<AnalyzerInfo> } {
        const nodeOptions = this.lean ? ["--max-semi-space-size=1"] : [];
        this.worker ??= new ProgramWorker(nodeOptions);
        if (!this.pack) {
            const o = this.options;
            this.pack = AnalyzerClient.start({
                packDir: o.packDir,
                project: target.project,
                stack: target.stack,
                config: target.config,
                preview: o.preview,
                timeoutMs: o.packTimeoutMs,
                nodeOptions,
                loader: "compiled",
            });
            this.info = this.pack.then((p) => p.getAnalyzerInfo());
            this.info.catch(() => undefined);
        }
        return { worker: this.worker, pack: this.pack, info: this.info! };
    }

    async close(): Promise<void> {
        this.worker?.close();
        this.worker = undefined;
        await this.pack?.then(
            (p) => p.close(),
            () => undefined,
        );
        this.pack = undefined;
        this.info = undefined;
    }
}

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
    const report = await analyzeRun(target, await runIn(options.preview), options, await pack, await setup);
    return confirmWithKnownValues(target, options, report, async () =>
        analyzeRun(target, await runIn(false), { ...options, preview: false }, await pack, await setup),
    );
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

/** Plans every target, up to `concurrency` at once; rejects on the first error (no partial report). */
export async function plan(targets: StackTarget[], options: PlanOptions): Promise<PlanReport> {
    const concurrency = options.concurrency ?? Math.min(4, Math.max(1, os.cpus().length));
    const count = Math.min(Math.max(1, concurrency), targets.length);
    const slots = Array.from({ length: count }, () => new PlanSlot(options, targets.length === count));
    slots.forEach((slot, i) => slot.start(targets[i]));
    try {
        // Loading the pack's metadata loads its SDK: do it while the slots' processes load.
        loadPolicyMetadata(options.packDir);
        const stacks: StackReport[] = new Array(targets.length);
        let next = 0;
        let failed = false;
        await Promise.all(
            slots.map(async (slot) => {
                while (!failed && next < targets.length) {
                    const i = next++;
                    try {
                        stacks[i] = await planStack(targets[i], options, slot);
                    } catch (e) {
                        failed = true;
                        throw e;
                    }
                }
            }),
        );
        return summarize(stacks, options.preview);
    } finally {
        await Promise.all(slots.map((s) => s.close()));
    }
}
