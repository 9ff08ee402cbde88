/** Renders benchmark results as the markdown table in docs/benchmarks/results.md, with each target checked. */
import { MachineInfo } from "./machine";
import { formatMegabytes, formatRate, formatSeconds, Summary } from "./stats";

export interface ProcessFigure {
    wall: Summary;
    /** Peak resident memory of the whole process tree, bytes (medians over runs). */
    peak: Summary;
    detail?: string;
}

export interface FleetFigure {
    zones: number;
    resources: number;
    ms: Summary;
    analyzeMs: number;
    analyzeStackMs: number;
}

export interface BenchResults {
    machine: MachineInfo;
    runs: number;
    warmups: number;
    stack: string;
    planOne?: ProcessFigure;
    planAll?: ProcessFigure & { stacks: number };
    programOnly?: ProcessFigure & { resources: number };
    baseline?: ProcessFigure & { resources: number };
    packColdStart?: ProcessFigure;
    evaluation?: FleetFigure[];
    /** The largest fleet through a pack of one no-op policy: the analyzer protocol's own cost. */
    evaluationFloor?: FleetFigure;
    fleetPlan?: ProcessFigure & { stacks: number };
    /** `npm test` run again right after `npmTestCold`, its tools' caches warm: how a developer meets it. */
    npmTest?: { wallMs: number; exitCode: number | null };
    /** `npm test` in a fresh clone's state: built (as `npm ci` leaves it), no lint, format, type-check or jest cache. */
    npmTestCold?: { wallMs: number; exitCode: number | null };
    /** Figures that could not be measured on this run, with why. */
    skipped: { figure: string; reason: string }[];
}

export interface TargetCheck {
    target: string;
    measured: string;
    met: boolean | undefined;
}

const mb = 1024 * 1024;

export function ratePerSecond(f: FleetFigure): number {
    return f.resources / (f.ms.median / 1000);
}

export function checkTargets(r: BenchResults): TargetCheck[] {
    const checks: TargetCheck[] = [];
    const add = (target: string, measured: string | undefined, met: boolean | undefined) =>
        checks.push({ target, measured: measured ?? "not measured", met });
    const one = r.planOne;
    add("one stack's plan <= 1.5 s wall", one && formatSeconds(one.wall.median), one && one.wall.median <= 1500);
    add("one stack's plan <= 300 MB peak", one && formatMegabytes(one.peak.median), one && one.peak.median <= 300 * mb);
    const ratio = one && r.baseline ? r.baseline.wall.median / one.wall.median : undefined;
    add(
        "one stack's plan >= 3x faster than the default-template baseline",
        ratio === undefined ? undefined : `${ratio.toFixed(1)}x`,
        ratio === undefined ? undefined : ratio >= 3,
    );
    // The target is for 50 stacks; a smaller fleet (--fleet-stacks) is reported but does not count.
    const fleet = r.fleetPlan && r.fleetPlan.stacks >= 50 ? r.fleetPlan : undefined;
    add(
        "50-stack fleet planned <= 30 s",
        fleet && formatSeconds(fleet.wall.median),
        fleet && fleet.wall.median <= 30_000,
    );
    add(
        "pack cold start <= 1 s through the CLI loader",
        r.packColdStart && formatSeconds(r.packColdStart.wall.median),
        r.packColdStart && r.packColdStart.wall.median <= 1000,
    );
    const at = (zones: number) => r.evaluation?.find((f) => f.zones === zones);
    const e500 = at(500);
    const e10 = at(10);
    add(
        "evaluation >= 3,000 resources/s at 500 zones",
        e500 && formatRate(ratePerSecond(e500)),
        e500 && ratePerSecond(e500) >= 3000,
    );
    const floor = r.evaluationFloor?.zones === 500 ? r.evaluationFloor : undefined;
    const ofFloor = e500 && floor ? ratePerSecond(e500) / ratePerSecond(floor) : undefined;
    add(
        "evaluation at 500 zones >= 0.8x the no-op pack's, same rounds",
        ofFloor === undefined ? undefined : `${ofFloor.toFixed(2)}x`,
        ofFloor === undefined ? undefined : ofFloor >= 0.8,
    );
    const growth = e500 && e10 ? e500.ms.median / e10.ms.median : undefined;
    add(
        "evaluation linear: time(500 zones) <= 60 x time(10 zones)",
        growth === undefined ? undefined : `${growth.toFixed(1)}x`,
        growth === undefined ? undefined : growth <= 60,
    );
    // A failing `npm test` stops early: its duration is no figure for the target.
    const test = r.npmTest;
    add(
        "npm test <= 60 s, run again with caches warm",
        test &&
            `${formatSeconds(test.wallMs)}${test.exitCode === 0 ? "" : ` (exit ${test.exitCode}: failed, not counted)`}` +
                (r.npmTestCold ? ` (fresh clone: ${formatSeconds(r.npmTestCold.wallMs)})` : ""),
        test && test.exitCode === 0 ? test.wallMs <= 60_000 : undefined,
    );
    return checks;
}

const mark = (met: boolean | undefined) => (met === undefined ? "not measured" : met ? "met" : "**not met**");

function processRow(label: string, f: ProcessFigure | undefined, note = ""): string | undefined {
    if (!f) return undefined;
    return `| ${label} | ${formatSeconds(f.wall.median)} | ${formatSeconds(f.wall.min)} – ${formatSeconds(f.wall.max)} | ${formatMegabytes(f.peak.median)} | ${[f.detail, note].filter(Boolean).join("; ")} |`;
}

function loadNote(m: MachineInfo): string {
    // Only the load before the first section tells of other work: the benchmark's own sections load the machine.
    const { start, end } = m.loadAverage;
    const busy = start > m.cores;
    return `1-minute load average: ${start} at the start${end === undefined ? "" : ` (${end} before \`npm test\`, from the benchmark's own sections)`}${busy ? ` — **above the ${m.cores} cores: other work shared the machine and inflated these figures**` : ""}.`;
}

export function renderMarkdown(r: BenchResults): string {
    const m = r.machine;
    const lines = [
        "# Benchmark results",
        "",
        `Generated by \`npm run bench\` on ${m.date}. Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB memory, Node ${m.node}, ${m.platform}.`,
        `Each figure is the median of ${r.runs} runs after ${r.warmups} warm-up run${r.warmups === 1 ? "" : "s"} (unless noted); memory is the peak resident memory of the whole process tree (the plan and the policy pack it spawns).`,
        loadNote(m),
        "",
        "## Targets",
        "",
        "| target | measured | status |",
        "|---|---|---|",
        ...checkTargets(r).map((c) => `| ${c.target} | ${c.measured} | ${mark(c.met)} |`),
        "",
        "## Whole processes",
        "",
        "| what | median wall | range | peak memory | notes |",
        "|---|---|---|---|---|",
        ...[
            processRow(`offline plan, one stack (\`node dist/plan/cli.js --stack ${r.stack}\`)`, r.planOne),
            processRow(`offline plan, all ${r.planAll?.stacks ?? ""} stacks (\`node dist/plan/cli.js\`)`, r.planAll),
            processRow(
                `offline plan, synthetic ${r.fleetPlan?.stacks ?? ""}-region fleet (\`--stacks-dir\`)`,
                r.fleetPlan,
            ),
            processRow(
                `program only under mocks, precompiled (${r.programOnly?.resources ?? "?"} resources)`,
                r.programOnly,
                "no policy pack",
            ),
            processRow(
                `baseline: default template (type-checking ts-node, whole \`@pulumi/azure-native\`), program only`,
                r.baseline,
                r.planOne && r.baseline
                    ? `plan is ${(r.baseline.wall.median / r.planOne.wall.median).toFixed(1)}x faster`
                    : "",
            ),
            processRow(
                "policy pack cold start, spawn to port, via `@pulumi/pulumi/cmd/run-policy-pack`",
                r.packColdStart,
                "memory: the pack process when it prints its port",
            ),
            r.npmTestCold
                ? `| \`npm test\` in a fresh clone's state (built, no lint, format, type-check or jest cache) | ${formatSeconds(r.npmTestCold.wallMs)} | – | – | exit ${r.npmTestCold.exitCode} |`
                : undefined,
            r.npmTest
                ? `| \`npm test\` again, caches warm (the target's figure) | ${formatSeconds(r.npmTest.wallMs)} | – | – | exit ${r.npmTest.exitCode} |`
                : undefined,
        ].filter((l): l is string => Boolean(l)),
        "",
    ];
    if (r.evaluation?.length) {
        lines.push(
            "## Policy evaluation over synthetic fleets",
            "",
            `One stack's planned resources (\`${r.stack}\`, preview) cloned as N regional landing zones in one stack; Analyze for every resource, then AnalyzeStack once, over gRPC against one running pack. Chart: [fleet.svg](fleet.svg).`,
            "",
            "| zones | resources | median wall | Analyze | AnalyzeStack | resources/s |",
            "|---|---|---|---|---|---|",
            ...r.evaluation.map(
                (f) =>
                    `| ${f.zones} | ${f.resources.toLocaleString("en-US")} | ${formatSeconds(f.ms.median)} | ${formatSeconds(f.analyzeMs)} | ${formatSeconds(f.analyzeStackMs)} | ${formatRate(ratePerSecond(f))} |`,
            ),
            ...(r.evaluationFloor
                ? [
                      "",
                      `The protocol's floor, measured in the same rounds as the pack's samples, on the same fleet, the order swapped each round: the ${r.evaluationFloor.zones}-zone fleet through a pack of one policy that does nothing (\`bench/noop-pack\`), same client and calls, takes ${formatSeconds(r.evaluationFloor.ms.median)} (Analyze ${formatSeconds(r.evaluationFloor.analyzeMs)}, AnalyzeStack ${formatSeconds(r.evaluationFloor.analyzeStackMs)}): ${formatRate(ratePerSecond(r.evaluationFloor))}. No pack evaluated this way is faster on this machine.`,
                  ]
                : []),
            "",
            "![Policy evaluation time vs fleet size](fleet.svg)",
            "",
        );
    }
    if (r.skipped.length) {
        lines.push("## Not measured on this run", "", ...r.skipped.map((s) => `- ${s.figure}: ${s.reason}`), "");
    }
    return lines.join("\n");
}
