/** Runs a stack's program in its own child process (plan/worker) and returns what it registered. */
import { fork } from "child_process";
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

export function runInWorker(req: WorkerRequest, timeoutMs = 120000): Promise<ProgramRun> {
    return new Promise((resolve, reject) => {
        const child = fork(workerPath(), [], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
        let output = "";
        let settled = false;
        const collect = (d: Buffer) => {
            output = (output + d.toString()).slice(-6000);
        };
        child.stdout?.on("data", collect);
        child.stderr?.on("data", collect);
        const finish = (err?: Error, run?: ProgramRun) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (child.exitCode === null) child.kill("SIGKILL");
            if (err) reject(err);
            else resolve(run!);
        };
        const timer = setTimeout(() => finish(new ProgramError(`Program for stack '${req.stack}' did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
        child.on("message", (resp: WorkerResponse) => {
            if (resp.ok) finish(undefined, resp.run);
            else finish(new ProgramError(resp.error));
        });
        child.on("exit", (code, signal) => {
            // The IPC answer can trail the exit event by a tick.
            setTimeout(() => {
                const tail = output.trim().split("\n").slice(-10).join("\n");
                finish(new ProgramError(`Program for stack '${req.stack}' exited before finishing (${signal ?? `code ${code}`})${tail ? `:\n${tail}` : ""}`));
            }, 100);
        });
        child.send(req);
    });
}
