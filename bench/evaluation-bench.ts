/** Section 3 of the benchmark: plans one real stack once, clones it into fleets of N zones, evaluates each through the pack. */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AnalyzerClient, EngineRequests, engineRequests, reconcilePolicyConfig } from "../plan/analyzer";
import { ProgramRun } from "../plan/mock-runtime";
import { projectName } from "../infra/config";
import { evaluate, EvaluationResult } from "./evaluate";
import { cloneZones } from "./fleet";
import { FleetFigure } from "./report";
import { readStackConfig } from "./stack-config";
import { summarize } from "./stats";

export interface EvaluationOptions {
    repoRoot: string;
    stacksDir: string;
    stack: string;
    zones: number[];
    runs: number;
    warmups: number;
    concurrency: number;
    log(msg: string): void;
}

/** The planned resources of one stack, from a child process (the SDK's runtime state is process-wide). */
function planOnce(o: EvaluationOptions): ProgramRun {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-run-")), "run.json");
    try {
        execFileSync(
            process.execPath,
            [
                path.join(o.repoRoot, "dist", "bench", "plan-stack-child.js"),
                "--stack",
                o.stack,
                "--stacks-dir",
                o.stacksDir,
                "--out",
                out,
            ],
            { stdio: ["ignore", "ignore", "pipe"] },
        );
        return JSON.parse(fs.readFileSync(out, "utf8")) as ProgramRun;
    } finally {
        fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
}

/** The pipeline's policy config for the stack's profile, when the pack ships one (policies/config/<profile>.json). */
function profilePolicyConfig(repoRoot: string, config: Record<string, string>): unknown {
    const profile = config[`${projectName}:profile`];
    const file = path.join(repoRoot, "policies", "config", `${profile}.json`);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
}

/** One fleet's samples summarized as a figure (the median sample's phase split). */
function figureOf(samples: EvaluationResult[], zones: number, resources: number): FleetFigure {
    const ms = summarize(samples.map((s) => s.ms));
    const mid = samples.find((s) => s.ms === ms.median) ?? samples[Math.floor(samples.length / 2)];
    return { zones, resources, ms, analyzeMs: mid.analyzeMs, analyzeStackMs: mid.analyzeStackMs };
}

interface Measured {
    label: string;
    client: AnalyzerClient;
    samples: EvaluationResult[];
}

/**
 * Evaluates `fleet` on each running, configured pack: warm-ups, then `runs` rounds in which every pack takes one
 * sample, the order swapped each round, so a drift of the machine or of the client's heap weighs on every pack alike.
 */
async function measureFleet(
    packs: Measured[],
    fleet: EngineRequests,
    zones: number,
    warmups: number,
    o: EvaluationOptions,
): Promise<void> {
    for (let i = -warmups; i < o.runs; i++) {
        // Each pack goes first in every other round: the garbage one leaves behind weighs on both alike.
        for (const pack of i % 2 === 0 ? packs : [...packs].reverse()) {
            const r = await evaluate(pack.client, fleet, o.concurrency);
            o.log(
                `${pack.label} ${zones} zones (${r.resources} resources)${i < 0 ? " (warm-up)" : ""}: ${(r.ms / 1000).toFixed(2)} s, ${r.diagnostics} diagnostics`,
            );
            if (i >= 0) pack.samples.push(r);
        }
    }
}

/** Starts a pack through the CLI's loader and configures it for the stack. */
async function startConfigured(
    packDir: string,
    o: EvaluationOptions,
    config: Record<string, string>,
    policyConfig: unknown,
): Promise<AnalyzerClient> {
    // One AnalyzeStack over the largest fleet (tens of thousands of resources) can outlast the plan's 30 s per call on a
    // loaded machine: the bench measures it rather than timing out.
    const client = await AnalyzerClient.start({
        packDir,
        project: projectName,
        stack: o.stack,
        config,
        preview: true,
        timeoutMs: 300_000,
    });
    try {
        const info = await client.getAnalyzerInfo();
        await client.configureStack({ project: projectName, stack: o.stack, preview: true });
        await client.configure(reconcilePolicyConfig(info, policyConfig));
        return client;
    } catch (e) {
        await client.close();
        throw e;
    }
}

export interface EvaluationFigures {
    /** This repository's pack, per fleet size. */
    fleets: FleetFigure[];
    /**
     * The protocol's floor: the largest fleet through a pack of one policy that does nothing (bench/noop-pack), same
     * client, same calls. What this costs, any pack costs before its policies run.
     */
    floor: FleetFigure;
}

export async function measureEvaluation(o: EvaluationOptions): Promise<EvaluationFigures> {
    const config = readStackConfig(o.stacksDir, o.stack);
    const namePrefix = config[`${projectName}:namePrefix`];
    if (!namePrefix) throw new Error(`stack '${o.stack}': expected ${projectName}:namePrefix in its config`);
    const run = planOnce(o);
    const fleetOf = (zones: number) =>
        engineRequests({ ...run, resources: cloneZones(run.resources, namePrefix, zones) }, config);
    const largest = Math.max(...o.zones);
    const pack = await startConfigured(
        path.join(o.repoRoot, "policies"),
        o,
        config,
        profilePolicyConfig(o.repoRoot, config),
    );
    try {
        const noop = await startConfigured(path.join(o.repoRoot, "bench", "noop-pack"), o, config, undefined);
        try {
            const fleets: FleetFigure[] = [];
            for (const zones of [...new Set(o.zones)].sort((a, b) => a - b)) {
                const fleet = fleetOf(zones);
                const measured: Measured = { label: "evaluate", client: pack, samples: [] };
                // The floor is measured on the largest fleet, in the same rounds as the pack.
                const floor: Measured = { label: "protocol floor (no-op pack): evaluate", client: noop, samples: [] };
                // One pack serves every size: warming it up on the first size is enough (JIT, lazy modules).
                const warmups = fleets.length === 0 || zones === largest ? o.warmups : 0;
                await measureFleet(zones === largest ? [measured, floor] : [measured], fleet, zones, warmups, o);
                fleets.push(figureOf(measured.samples, zones, fleet.analyzeStack.length));
                if (zones === largest)
                    return { fleets, floor: figureOf(floor.samples, zones, fleet.analyzeStack.length) };
            }
            throw new Error("no fleet sizes to evaluate");
        } finally {
            await noop.close();
        }
    } finally {
        await pack.close();
    }
}
