/**
 * Child-process entry: runs ONE stack's program under the mock runtime (Pulumi's runtime is process-global, so
 * each stack gets its own process) and sends the recorded registrations back over IPC.
 */
// First: lazy SDK dependencies and no stack capture before @pulumi/pulumi loads (see fast-start.ts).
import "./fast-start";
import { ProgramRun, ProgramRunError, runProgram } from "./mock-runtime";
import { registerTypeScript } from "./ts-require";

export interface WorkerRequest {
    project: string;
    stack: string;
    config: Record<string, string>;
    preview: boolean;
    programPath: string;
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

async function handle(req: WorkerRequest): Promise<WorkerResponse> {
    try {
        if (/\.ts$/.test(req.programPath)) registerTypeScript();
        const run = await runProgram({ project: req.project, stack: req.stack, config: req.config, preview: req.preview, program: req.programPath });
        return { ok: true, run: { ...run, outputs: jsonSafe(run.outputs) } };
    } catch (e) {
        const message = e instanceof ProgramRunError || e instanceof Error ? e.message : String(e);
        return { ok: false, error: message };
    }
}

if (require.main === module && process.send) {
    process.once("message", (req: WorkerRequest) => {
        void handle(req).then((resp) => process.send!(resp, () => process.exit(0)));
    });
}
