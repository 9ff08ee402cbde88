/**
 * Runs stacks' programs in a child process of their own (plan/worker): Pulumi's runtime is process-global, so programs
 * never share the planning process. One worker runs the stacks given to it one after another, so the SDK and provider
 * modules load once per worker rather than once per stack (docs/performance.md).
 */
import { ChildProcess, fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ProgramRun } from "./mock-runtime";
import type { WorkerRequest, WorkerResponse } from "./worker";

export class ProgramError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProgramError";
    }
}

/** The compiled worker: beside this file when running from dist/, else in dist/ of the repository. */
function workerPath(): string {
    const beside = path.join(__dirname, "worker.js");
    if (fs.existsSync(beside)) return beside;
    const built = path.join(__dirname, "..", "dist", "plan", "worker.js");
    if (fs.existsSync(built)) return built;
    throw new ProgramError("The plan's worker is not built: run `npm run build` first");
}

/**
 * This process's Node options for a child, without the code it was told to run (`-e`/`--eval`, `-p`/`--print`):
 * `fork` passes `process.execArgv` on as it is, so a plan started with `node -e` had each worker run that code again.
 */
export function inheritedNodeOptions(execArgv: readonly string[] = process.execArgv): string[] {
    const out: string[] = [];
    for (let i = 0; i < execArgv.length; i++) {
        const a = execArgv[i];
        // `-e`, `-p` and clusters such as `-pe` take the code as the next argument.
        if (a === "--eval" || a === "--print" || /^-[a-zA-Z]*[ep]$/.test(a)) i++;
        else if (!/^(--eval|--print)=/.test(a)) out.push(a);
    }
    return out;
}

/** A worker process that runs one program at a time. A run that fails or times out ends the worker. */
export class ProgramWorker {
    private readonly child: ChildProcess;
    private output = "";
    private exited?: string;
    private closed = false;
    private pending?: { stack: string; settle(err?: Error, run?: ProgramRun): void };

    /** `nodeOptions`: Node options for the worker process (e.g. V8 heap sizing), added to this process's own. */
    constructor(
        nodeOptions: string[] = [],
        private readonly timeoutMs = 120000,
    ) {
        this.child = fork(workerPath(), [], {
            stdio: ["ignore", "pipe", "pipe", "ipc"],
            execArgv: [...inheritedNodeOptions(), ...nodeOptions],
        });
        const collect = (d: Buffer) => {
            this.output = (this.output + d.toString()).slice(-6000);
        };
        this.child.stdout?.on("data", collect);
        this.child.stderr?.on("data", collect);
        this.child.on("message", (resp: WorkerResponse) => {
            if (resp.ok) this.pending?.settle(undefined, resp.run);
            else this.pending?.settle(new ProgramError(resp.error));
        });
        this.child.on("exit", (code, signal) => {
            this.exited = signal ?? `code ${code}`;
            // The IPC answer can trail the exit event by a tick.
            setTimeout(() => {
                const tail = this.output.trim().split("\n").slice(-10).join("\n");
                this.pending?.settle(
                    new ProgramError(
                        `Program for stack '${this.pending.stack}' exited before finishing (${this.exited})${tail ? `:\n${tail}` : ""}`,
                    ),
                );
            }, 100);
        });
    }

    run(req: WorkerRequest): Promise<ProgramRun> {
        if (this.pending)
            return Promise.reject(new ProgramError(`The worker is still running stack '${this.pending.stack}'`));
        if (this.exited || this.closed)
            return Promise.reject(
                new ProgramError(
                    `Program for stack '${req.stack}' could not start: its worker exited (${this.exited ?? "closed"})`,
                ),
            );
        return new Promise((resolve, reject) => {
            const timer = setTimeout(
                () =>
                    this.pending?.settle(
                        new ProgramError(
                            `Program for stack '${req.stack}' did not finish within ${this.timeoutMs / 1000} s`,
                        ),
                    ),
                this.timeoutMs,
            );
            this.pending = {
                stack: req.stack,
                settle: (err, run) => {
                    clearTimeout(timer);
                    this.pending = undefined;
                    if (err) {
                        this.close();
                        reject(err);
                    } else resolve(run!);
                },
            };
            this.output = "";
            this.child.send(req);
        });
    }

    /** False once a run failed or timed out (which ends the worker) or the worker was closed. */
    get usable(): boolean {
        return !this.closed && this.exited === undefined;
    }

    close(): void {
        this.closed = true;
        if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    }
}
