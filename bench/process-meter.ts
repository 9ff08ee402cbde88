/**
 * Runs a command as a child process and measures it as a user would feel it: wall time from spawn to exit,
 * and peak memory of the whole process tree (the plan spawns the policy pack, so the child alone would under-count).
 * Memory is sampled from /proc (Linux); elsewhere only the child's own peak is known (from its resource usage).
 */
import { spawn } from "child_process";
import * as fs from "fs";

export interface ProcessMeasurement {
    wallMs: number;
    /** Highest sampled sum of resident memory over the child and its descendants, bytes. */
    peakTreeRssBytes: number;
    /** Highest resident memory of any single process of the tree (kernel high-water mark), bytes. */
    peakProcessRssBytes: number;
    exitCode: number | null;
    stdout: string;
    stderr: string;
}

export interface MeterOptions {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    /** Sampling interval for /proc, ms. */
    sampleMs?: number;
    /** Fail when the process does not exit within this time, ms. */
    timeoutMs?: number;
}

const procAvailable = fs.existsSync("/proc/self/status");

/** Parent pid of every process visible in /proc. */
function parentMap(): Map<number, number[]> {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            // Field 4 (ppid) follows the command name, which may itself contain spaces or parentheses.
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            const list = children.get(ppid) ?? [];
            list.push(Number(entry));
            children.set(ppid, list);
        } catch {
            // The process exited between readdir and read.
        }
    }
    return children;
}

function statusField(pid: number, field: "VmRSS" | "VmHWM"): number {
    try {
        const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return match ? Number(match[1]) * 1024 : 0;
    } catch {
        return 0;
    }
}

/** Children of a process from /proc/<pid>/task/<tid>/children (a few reads), or undefined where the kernel lacks it. */
function childrenOf(pid: number): number[] | undefined {
    try {
        const out: number[] = [];
        for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
            out.push(
                ...fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").filter(Boolean).map(Number),
            );
        }
        return out;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "ENOENT" && fs.existsSync(`/proc/${pid}`) ? undefined : [];
    }
}

/**
 * The process and its descendants. Reads each process's children list where the kernel has it: scanning all of /proc
 * every sample costs ~1.3 ms of the meter's CPU, which the measured processes would feel on a two-core machine.
 */
function descendants(root: number): number[] {
    const out = [root];
    let children: Map<number, number[]> | undefined;
    for (let i = 0; i < out.length; i++) {
        const direct = children ? undefined : childrenOf(out[i]);
        if (direct) out.push(...direct);
        else out.push(...((children ??= parentMap()).get(out[i]) ?? []));
    }
    return out;
}

export function measureProcess(
    command: string,
    args: string[],
    options: MeterOptions = {},
): Promise<ProcessMeasurement> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(command, args, {
            cwd: options.cwd,
            env: options.env ?? process.env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        let peakTree = 0;
        let peakProcess = 0;
        const sample = () => {
            if (!procAvailable || child.pid === undefined) return;
            let sum = 0;
            for (const pid of descendants(child.pid)) {
                sum += statusField(pid, "VmRSS");
                peakProcess = Math.max(peakProcess, statusField(pid, "VmHWM"));
            }
            peakTree = Math.max(peakTree, sum);
        };
        const timer = setInterval(sample, options.sampleMs ?? 25);
        const timeout = options.timeoutMs
            ? setTimeout(() => {
                  child.kill("SIGKILL");
                  reject(new Error(`'${command} ${args.join(" ")}' did not exit within ${options.timeoutMs} ms`));
              }, options.timeoutMs)
            : undefined;
        child.on("error", (e) => {
            clearInterval(timer);
            if (timeout) clearTimeout(timeout);
            reject(e);
        });
        child.on("close", (code) => {
            const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
            clearInterval(timer);
            if (timeout) clearTimeout(timeout);
            // Without /proc, fall back to the kernel's figure for the largest reaped child (includes earlier children).
            if (!procAvailable) peakProcess = process.resourceUsage().maxRSS * 1024;
            resolve({
                wallMs,
                peakTreeRssBytes: Math.max(peakTree, peakProcess),
                peakProcessRssBytes: peakProcess,
                exitCode: code,
                stdout,
                stderr,
            });
        });
    });
}

/** Like measureProcess, but fails with the command's output when it exits non-zero (a broken run is not a figure). */
export async function measureSuccessful(
    command: string,
    args: string[],
    options: MeterOptions = {},
    allowedExitCodes = [0],
): Promise<ProcessMeasurement> {
    const m = await measureProcess(command, args, options);
    if (!allowedExitCodes.includes(m.exitCode ?? -1)) {
        throw new Error(`'${command} ${args.join(" ")}' exited ${m.exitCode}:\n${(m.stderr || m.stdout).slice(-2000)}`);
    }
    return m;
}

/**
 * Spawns a server-like process and measures the time until its first stdout line (a policy pack prints its port),
 * with the peak RSS reached by then; then stops it. Rejects if it exits or times out first.
 */
export function measureUntilFirstLine(
    command: string,
    args: string[],
    options: MeterOptions = {},
): Promise<{ wallMs: number; line: string; peakProcessRssBytes: number }> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(command, args, {
            cwd: options.cwd,
            env: options.env ?? process.env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        let done = false;
        const finish = (err: Error | undefined, line = "") => {
            if (done) return;
            done = true;
            const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
            const peak = child.pid !== undefined ? statusField(child.pid, "VmHWM") : 0;
            clearTimeout(timeout);
            child.kill("SIGKILL");
            if (err) reject(err);
            else resolve({ wallMs, line, peakProcessRssBytes: peak });
        };
        const timeout = setTimeout(
            () =>
                finish(
                    new Error(`'${command} ${args.join(" ")}' printed no line within ${options.timeoutMs ?? 30000} ms`),
                ),
            options.timeoutMs ?? 30000,
        );
        child.stdout.on("data", (d: Buffer) => {
            stdout += d.toString();
            const nl = stdout.indexOf("\n");
            if (nl >= 0) finish(undefined, stdout.slice(0, nl).trim());
        });
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", (e) => finish(e));
        child.on("exit", (code) =>
            finish(
                new Error(
                    `'${command} ${args.join(" ")}' exited ${code} before printing a line:\n${stderr.slice(-2000)}`,
                ),
            ),
        );
    });
}
