/**
 * Child-process entry: runs stacks' programs under the mock runtime, one at a time as the planner sends them, and
 * sends each run's registrations back over IPC. Pulumi's runtime is process-global, so a worker never runs two
 * programs at once; between runs it forgets the program's own modules, so each run evaluates the program afresh
 * with the stack's config, while the SDK and provider modules (node_modules) stay loaded.
 */
// First: the SDK skips loading dependencies the plan never uses (lazy-sdk-deps.ts). runProgram captures no stacks.
import "../runtime/lazy-sdk-deps";
import * as path from "path";
import { ProgramRun, ProgramRunError, runProgram } from "./mock-runtime";
import { registerTypeScript } from "./ts-require";

export interface WorkerRequest {
    project: string;
    stack: string;
    config: Record<string, string>;
    preview: boolean;
    programPath: string;
    /** Record the line of the program file at which each resource is constructed (for `--program` plans). */
    constructionSites?: boolean;
}

export type WorkerResponse = { ok: true; run: ProgramRun } | { ok: false; error: string };

/** Stack exports may hold anything; keep what JSON can carry. */
function jsonSafe<T>(value: T): T {
    try {
        return JSON.parse(JSON.stringify(value ?? {}));
    } catch {
        return {} as T;
    }
}

const nodeModules = `${path.sep}node_modules${path.sep}`;

/**
 * Drops every loaded module outside node_modules and this directory, so the program and its own modules load anew.
 * Modules that stay loaded also forget them as children, or each run's module tree would stay reachable.
 */
function forgetProgramModules(): void {
    const forgotten = new Set<NodeModule>();
    for (const [file, mod] of Object.entries(require.cache)) {
        if (file.includes(nodeModules) || path.dirname(file) === __dirname || !mod) continue;
        forgotten.add(mod);
        delete require.cache[file];
    }
    for (const mod of Object.values(require.cache)) {
        if (mod?.children.some((c) => forgotten.has(c))) mod.children = mod.children.filter((c) => !forgotten.has(c));
    }
}

async function handle(req: WorkerRequest): Promise<WorkerResponse> {
    try {
        forgetProgramModules();
        if (/\.ts$/.test(req.programPath)) registerTypeScript();
        const run = await runProgram({
            project: req.project,
            stack: req.stack,
            config: req.config,
            preview: req.preview,
            program: req.programPath,
            constructionSitesIn: req.constructionSites ? req.programPath : undefined,
        });
        return { ok: true, run: { ...run, outputs: jsonSafe(run.outputs) } };
    } catch (e) {
        const message = e instanceof ProgramRunError || e instanceof Error ? e.message : String(e);
        return { ok: false, error: message };
    }
}

if (require.main === module && process.send) {
    process.on("message", (req: WorkerRequest) => {
        void handle(req).then((resp) => process.send!(resp));
    });
    // The planner closing the channel ends the worker.
    process.on("disconnect", () => process.exit(0));
}
