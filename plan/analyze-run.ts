/**
 * A program run sent through a running pack as the engine sends it: ConfigureStack and Configure, Analyze for each
 * resource, AnalyzeStack once; then the stack's report.
 */
import * as fs from "fs";
import {
    AnalyzeResult,
    AnalyzerClient,
    AnalyzerInfo,
    EffectivePolicyConfig,
    engineRequests,
    reconcilePolicyConfig,
} from "./analyzer";
import type { ProgramRun } from "./mock-runtime";
import type { PlanOptions } from "./plan-options";
import { StackReport } from "./report/model";
import { stackReport } from "./stack-report";
import { StackTarget, UsageError } from "./stack-source";

function readPolicyConfig(file: string | undefined): unknown {
    if (!file) return undefined;
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`Policy config ${file} is not valid JSON: ${(e as Error).message}`);
    }
}

const analyzeInFlight = 8;

/** The pack's description and the configuration a stack sends it (the engine's Configure), from the stack's policy config. */
export interface PackSetup {
    info: AnalyzerInfo;
    config: EffectivePolicyConfig;
}

export async function packSetup(target: StackTarget, info: Promise<AnalyzerInfo>): Promise<PackSetup> {
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
    return stackReport({ target, run, options, info, config, analyze, analyzeStack });
}
