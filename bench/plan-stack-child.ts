/**
 * Child process of the benchmark: plans one stack's program under the mock runtime and prints one JSON line
 * `{"stack","resources","ms","heapUsedBytes"}`. `--mode fast` runs the precompiled program (what the offline plan does);
 * `--mode baseline` runs the TypeScript source through type-checking ts-node with a whole-package import.
 * `--out FILE` also writes the recorded resources (used to build synthetic fleets).
 * Usage: node dist/bench/plan-stack-child.js --stack eu-prod [--stacks-dir stacks] [--mode fast|baseline] [--out FILE]
 */
import * as fs from "fs";
import * as path from "path";
import { registerTypeCheckingTsNode, writeBaselineProgram } from "./baseline";
import { readStackConfig } from "./stack-config";

const repoRoot = path.resolve(__dirname, "..", "..");

function option(name: string, fallback?: string): string {
    const i = process.argv.indexOf(`--${name}`);
    const value = i >= 0 ? process.argv[i + 1] : fallback;
    if (value === undefined) throw new Error(`--${name}: expected a value`);
    return value;
}

async function main(): Promise<void> {
    const started = process.hrtime.bigint();
    const stack = option("stack");
    const mode = option("mode", "fast");
    if (mode !== "fast" && mode !== "baseline") throw new Error(`--mode: expected 'fast' or 'baseline', got '${mode}'`);
    const config = readStackConfig(path.resolve(option("stacks-dir", path.join(repoRoot, "stacks"))), stack);
    let program = path.join(repoRoot, "dist", "infra", "index.js");
    if (mode === "baseline") {
        registerTypeCheckingTsNode(repoRoot);
        program = writeBaselineProgram(repoRoot);
    } else {
        // The same start-up settings as the plan's worker.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("../runtime/lazy-sdk-deps");
    }
    // Loaded after ts-node (baseline), as the SDK's loader does, so nothing is cached before registration.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runProgram } = require("../plan/mock-runtime") as typeof import("../plan/mock-runtime");
    const { projectName } = await import("../infra/config");
    const run = await runProgram({ project: projectName, stack, config, preview: true, program });
    const outFile = process.argv.includes("--out") ? option("out") : undefined;
    if (outFile) fs.writeFileSync(outFile, JSON.stringify(run));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stdout.write(
        `${JSON.stringify({ stack, mode, resources: run.resources.length, ms, heapUsedBytes: process.memoryUsage().heapUsed })}\n`,
    );
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
});
