/**
 * The built program, components, plan and pack, loaded as the offline plan runs them (compiled JavaScript from dist/)
 * by Node's own loader (./worker-require.ts), not jest's module registry: the SDK and azure-native are loaded once per
 * jest worker process and shared by every test file it runs, instead of being evaluated again for each file (about
 * half a second each time). The program file registers at load, so it is re-evaluated per run (milliseconds) while
 * everything it imports stays loaded, instead of a fresh module graph per run. `npm test` builds first; a stale build
 * fails with what to run. Tests import only types (`import type`) from the modules they load here.
 *
 * Modules loaded this way live in the worker's realm, not in the test file's sandbox: the SDK tells arrays and
 * promises apart with `instanceof`, so a program is compiled in the worker's realm (freshProgram) and what a test
 * hands built code is strings (runStack's config) or data copied by `inWorkerRealm`.
 */
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import type * as MockRuntime from "../../plan/mock-runtime";
import { projectName } from "../../infra/config";
import { nodeModules, workerRequire } from "./worker-require";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const buildState = require("../../bin/build-state") as {
    staleReason(root: string): string | undefined;
    staleSources(root: string): string[];
};

export const repoRoot = path.join(__dirname, "..", "..");
export const distDir = path.join(repoRoot, "dist");

/** Plain data (JSON) copied into the worker's realm, for built code that checks `instanceof Array`. */
export function inWorkerRealm<T>(value: T): T {
    return (vm.runInThisContext("JSON.parse") as (text: string) => T)(JSON.stringify(value));
}

/** Throws, naming the changed files and the command, unless dist/ was built from the sources as they are now (by content). */
export function assertBuilt(): void {
    const reason = buildState.staleReason(repoRoot);
    if (reason) throw new Error(`${reason} before these tests`);
}

/** Requires a built module by its path under dist (e.g. `plan/mock-runtime.js`). */
export function requireDist<T>(rel: string): T {
    return workerRequire(path.join(distDir, rel)) as T;
}

export const programPath = path.join(distDir, "infra", "index.js");

const programRequire = nodeModules.createRequire(programPath);

/**
 * The built program, evaluated afresh: its code is compiled in the worker's realm (as Node's loader would) with Node's
 * require bound to its own directory, so its imports (components, SDK) stay loaded for the whole worker while the
 * program itself runs anew.
 */
export function freshProgram(): Record<string, unknown> {
    const code = fs.readFileSync(programPath, "utf8");
    const module = { exports: {} as Record<string, unknown> };
    const evaluate = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, {
        filename: programPath,
    }) as (...a: unknown[]) => void;
    evaluate(module.exports, programRequire, module, programPath, path.dirname(programPath));
    return { ...module.exports };
}

export type Runtime = typeof MockRuntime;
export const runtime = (): Runtime => requireDist<Runtime>("plan/mock-runtime.js");

/** Runs the built program for a stack's raw config under the plan's mocks. */
export function runStack(
    stack: string,
    raw: Record<string, unknown>,
    preview: boolean,
    program: () => unknown = freshProgram,
): Promise<MockRuntime.ProgramRun> {
    const config = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [`${projectName}:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    return runtime().runProgram({ project: projectName, stack, config, preview, program });
}
