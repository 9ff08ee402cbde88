/**
 * `npm run bench`: measures the platform on the machine it runs on and writes docs/benchmarks/results.md,
 * results.json and fleet.svg. A benchmark, not a test: it asserts nothing, it reports each target as met or not.
 * Options (all optional):
 *   --runs N (5)  --warmups N (1)  --baseline-runs N (3)  --fleet-runs N (3)  --eval-runs N (3)  --stack NAME (eu-prod)
 *   --zones 1,10,100,500  --fleet-stacks N (50)  --concurrency N (8, Analyze calls in flight)
 *   --skip plan,pack,eval,baseline,fleet,test  --out DIR (docs/benchmarks)
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fleetChartSvg } from "./chart";
import { describeMachine } from "./machine";
import { BenchResults, checkTargets, ProcessFigure, renderMarkdown } from "./report";
import { measureProcess, measureSuccessful, measureUntilFirstLine, ProcessMeasurement } from "./process-meter";
import { listStacks, readStackConfig, stackFilePath } from "./stack-config";
import { repeat, summarize } from "./stats";
import { measureEvaluation } from "./evaluation-bench";
import { fleetStackConfigs } from "./fleet";

const repoRoot = path.resolve(__dirname, "..", "..");
const node = process.execPath;
const sections = ["plan", "pack", "eval", "baseline", "fleet", "test"] as const;
type Section = (typeof sections)[number];

export interface BenchOptions {
    runs: number;
    warmups: number;
    baselineRuns: number;
    fleetRuns: number;
    evalRuns: number;
    stack: string;
    zones: number[];
    fleetStacks: number;
    concurrency: number;
    skip: Set<Section>;
    out: string;
}

function parseOptions(argv: string[]): BenchOptions {
    const get = (name: string): string | undefined => {
        const i = argv.indexOf(`--${name}`);
        if (i >= 0 && argv[i + 1] === undefined) throw new Error(`--${name}: expected a value`);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const int = (name: string, fallback: number, min: number): number => {
        const raw = get(name);
        if (raw === undefined) return fallback;
        const n = Number(raw);
        if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected an integer >= ${min}, got '${raw}'`);
        return n;
    };
    const known = new Set([
        "runs",
        "warmups",
        "baseline-runs",
        "fleet-runs",
        "eval-runs",
        "stack",
        "zones",
        "fleet-stacks",
        "concurrency",
        "skip",
        "out",
    ]);
    for (const a of argv) {
        if (a.startsWith("--") && !known.has(a.slice(2)))
            throw new Error(`${a}: unknown option (expected one of ${[...known].map((k) => `--${k}`).join(", ")})`);
    }
    const zones = (get("zones") ?? "1,10,100,500").split(",").map((z) => Number(z));
    if (zones.some((z) => !Number.isInteger(z) || z < 1))
        throw new Error(`--zones: expected comma-separated integers >= 1, got '${get("zones")}'`);
    const skip = new Set((get("skip") ?? "").split(",").filter(Boolean));
    for (const s of skip)
        if (!sections.includes(s as Section))
            throw new Error(`--skip: '${s}' is not a section (expected ${sections.join(", ")})`);
    return {
        runs: int("runs", 5, 1),
        warmups: int("warmups", 1, 0),
        baselineRuns: int("baseline-runs", 3, 1),
        fleetRuns: int("fleet-runs", 3, 1),
        evalRuns: int("eval-runs", 3, 1),
        stack: get("stack") ?? "eu-prod",
        zones,
        fleetStacks: int("fleet-stacks", 50, 1),
        concurrency: int("concurrency", 8, 1),
        skip: skip as Set<Section>,
        out: path.resolve(get("out") ?? path.join(repoRoot, "docs", "benchmarks")),
    };
}

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

async function measureRepeated(
    label: string,
    warmups: number,
    runs: number,
    measure: () => Promise<ProcessMeasurement>,
): Promise<ProcessFigure> {
    const samples = await repeat(warmups, runs, async (i) => {
        const m = await measure();
        log(
            `${label}${i < 0 ? " (warm-up)" : ""}: ${(m.wallMs / 1000).toFixed(2)} s, ${Math.round(m.peakTreeRssBytes / 1024 / 1024)} MB`,
        );
        return m;
    });
    return { wall: summarize(samples.map((s) => s.wallMs)), peak: summarize(samples.map((s) => s.peakTreeRssBytes)) };
}

const planCli = path.join(repoRoot, "dist", "plan", "cli.js");
const planChild = path.join(repoRoot, "dist", "bench", "plan-stack-child.js");

function requireFile(file: string, what: string): void {
    if (!fs.existsSync(file))
        throw new Skip(`${path.relative(repoRoot, file)} is missing (${what}); run \`npm run build\``);
}

/** A figure that cannot be measured here (a missing prerequisite), as opposed to a failure. */
class Skip extends Error {}

async function run(o: BenchOptions): Promise<BenchResults> {
    const results: BenchResults = {
        machine: describeMachine(),
        runs: o.runs,
        warmups: o.warmups,
        stack: o.stack,
        skipped: [],
    };
    let failed = false;
    const section = async (name: Section, figure: string, body: () => Promise<void>) => {
        if (o.skip.has(name)) {
            results.skipped.push({ figure, reason: `skipped with --skip ${name}` });
            return;
        }
        try {
            await body();
        } catch (e) {
            if (!(e instanceof Skip)) failed = true;
            const reason = e instanceof Error ? e.message.split("\n").slice(0, 6).join(" ") : String(e);
            log(`${figure}: ${reason}`);
            results.skipped.push({ figure, reason: e instanceof Skip ? reason : `failed: ${reason}` });
        }
    };
    const stacksDir = path.join(repoRoot, "stacks");
    const stacks = listStacks(stacksDir);
    if (!stacks.includes(o.stack))
        throw new Error(
            `--stack: '${o.stack}' has no stacks/Pulumi.${o.stack}.yaml (expected one of ${stacks.join(", ")})`,
        );

    await section("plan", "offline plan (one stack, all stacks)", async () => {
        requireFile(planCli, "the offline plan CLI");
        // Exit 1 (a mandatory violation) is still a complete plan; 2 is an error and no figure.
        results.planOne = await measureRepeated(`plan --stack ${o.stack}`, o.warmups, o.runs, () =>
            measureSuccessful(node, [planCli, "--stack", o.stack], { cwd: repoRoot }, [0, 1]),
        );
        results.planAll = {
            ...(await measureRepeated("plan (all stacks)", o.warmups, o.runs, () =>
                measureSuccessful(node, [planCli], { cwd: repoRoot }, [0, 1]),
            )),
            stacks: stacks.length,
        };
    });
    await section("plan", "program only under mocks", async () => {
        requireFile(planChild, "the benchmark's planning child");
        let resources = 0;
        const figure = await measureRepeated("program only", o.warmups, o.runs, async () => {
            const m = await measureSuccessful(node, [planChild, "--stack", o.stack], { cwd: repoRoot });
            resources = JSON.parse(m.stdout.trim()).resources;
            return m;
        });
        results.programOnly = { ...figure, resources };
    });
    await section("baseline", "baseline (default template)", async () => {
        let resources = 0;
        const figure = await measureRepeated("baseline", Math.min(o.warmups, 1), o.baselineRuns, async () => {
            // ts-node caches compiled files in the temp dir; a fresh cache per run is a CI runner or the first run after a change.
            const cache = fs.mkdtempSync(path.join(os.tmpdir(), "bench-ts-node-"));
            const env = { ...process.env, TS_NODE_CACHE_DIRECTORY: cache };
            const m = await measureSuccessful(node, [planChild, "--stack", o.stack, "--mode", "baseline"], {
                cwd: repoRoot,
                env,
            }).finally(() => fs.rmSync(cache, { recursive: true, force: true }));
            resources = JSON.parse(m.stdout.trim()).resources;
            return m;
        });
        results.baseline = { ...figure, resources };
    });
    await section("pack", "policy pack cold start", async () => {
        const packDir = path.join(repoRoot, "policies");
        requireFile(path.join(packDir, "package.json"), "the policy pack's package.json");
        const loader = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
        const env = {
            ...process.env,
            PULUMI_CONFIG: JSON.stringify(readStackConfig(stacksDir, o.stack)),
            PULUMI_PROJECT: "azure-openai-landing-zone",
            PULUMI_STACK: o.stack,
            PULUMI_DRY_RUN: "true",
        };
        const samples = await repeat(o.warmups, o.runs, async (i) => {
            const m = await measureUntilFirstLine(node, [loader, "127.0.0.1:0", "."], { cwd: packDir, env });
            if (!/^\d+$/.test(m.line))
                throw new Error(`the pack's first stdout line is '${m.line}', expected its port`);
            log(
                `pack cold start${i < 0 ? " (warm-up)" : ""}: ${(m.wallMs / 1000).toFixed(2)} s, ${Math.round(m.peakProcessRssBytes / 1024 / 1024)} MB`,
            );
            return m;
        });
        results.packColdStart = {
            wall: summarize(samples.map((s) => s.wallMs)),
            peak: summarize(samples.map((s) => s.peakProcessRssBytes)),
        };
    });
    await section("eval", "policy evaluation over synthetic fleets", async () => {
        requireFile(path.join(repoRoot, "policies", "package.json"), "the policy pack's package.json");
        const evaluation = await measureEvaluation({
            repoRoot,
            stacksDir,
            stack: o.stack,
            zones: o.zones,
            runs: o.evalRuns,
            warmups: o.warmups,
            concurrency: o.concurrency,
            log,
        });
        results.evaluation = evaluation.fleets;
        results.evaluationFloor = evaluation.floor;
    });
    await section("fleet", `synthetic ${o.fleetStacks}-region fleet plan`, async () => {
        requireFile(planCli, "the offline plan CLI");
        if (!fs.readFileSync(planCli, "utf8").includes("stacks-dir"))
            throw new Skip("the plan CLI has no --stacks-dir option yet");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-fleet-"));
        try {
            const bases = stacks.map((stack) => ({
                stack,
                text: fs.readFileSync(stackFilePath(stacksDir, stack), "utf8"),
            }));
            for (const s of fleetStackConfigs(bases, o.fleetStacks))
                fs.writeFileSync(stackFilePath(dir, s.stack), s.text);
            const figure = await measureRepeated(
                `plan ${o.fleetStacks}-stack fleet`,
                Math.min(o.warmups, 1),
                o.fleetRuns,
                () => measureSuccessful(node, [planCli, "--stacks-dir", dir], { cwd: repoRoot }, [0, 1]),
            );
            results.fleetPlan = { ...figure, stacks: o.fleetStacks };
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
    // Taken before npm test, whose own lint and jest workers load the machine.
    results.machine.loadAverage.end = Math.round(os.loadavg()[0] * 10) / 10;
    await section("test", "npm test", async () => {
        // First as a fresh clone meets it (built by `npm ci`, no caches), then again as a developer does.
        const cache = path.join(repoRoot, ".jestcache");
        const aside = `${cache}.bench-${process.pid}`;
        if (fs.existsSync(cache)) fs.renameSync(cache, aside);
        try {
            const cold = await measureProcess("npm", ["test"], { cwd: repoRoot });
            log(`npm test, no caches: ${(cold.wallMs / 1000).toFixed(1)} s, exit ${cold.exitCode}`);
            results.npmTestCold = { wallMs: cold.wallMs, exitCode: cold.exitCode };
        } finally {
            fs.rmSync(aside, { recursive: true, force: true });
        }
        const m = await measureProcess("npm", ["test"], { cwd: repoRoot });
        log(`npm test, caches warm: ${(m.wallMs / 1000).toFixed(1)} s, exit ${m.exitCode}`);
        results.npmTest = { wallMs: m.wallMs, exitCode: m.exitCode };
    });
    if (failed) process.exitCode = 1;
    return results;
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    const results = await run(options);
    fs.mkdirSync(options.out, { recursive: true });
    fs.writeFileSync(path.join(options.out, "results.md"), renderMarkdown(results));
    fs.writeFileSync(path.join(options.out, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
    if (results.evaluation?.length) {
        fs.writeFileSync(
            path.join(options.out, "fleet.svg"),
            fleetChartSvg(results.evaluation.map((f) => ({ zones: f.zones, resources: f.resources, ms: f.ms.median }))),
        );
    }
    for (const c of checkTargets(results))
        log(`${c.met === undefined ? "?" : c.met ? "met    " : "NOT MET"} ${c.target}: ${c.measured}`);
    log(`wrote ${path.relative(process.cwd(), path.join(options.out, "results.md"))}`);
}

main().catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
});
