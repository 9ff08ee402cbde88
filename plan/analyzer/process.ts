/**
 * Starts a policy pack the way the Pulumi CLI does: the pack directory as working directory, `node
 * <@pulumi/pulumi/cmd/run-policy-pack> <engine-address> .`, the CLI's environment, and the gRPC port read from the
 * pack's first stdout line.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackError } from "./protocol";

export interface SpawnPackOptions {
    /** The pack directory (holds the pack's package.json). */
    packDir: string;
    project: string;
    stack: string;
    organization?: string;
    /** Flat stack config, passed as PULUMI_CONFIG like the CLI does. */
    config?: Record<string, string>;
    preview: boolean;
    /** How long the pack may take to print its port, and each call to answer. Default 30 s. */
    timeoutMs?: number;
    /** Node options for the pack process (e.g. V8 heap sizing). */
    nodeOptions?: string[];
    /**
     * How the pack starts: `cli` (default) through the Pulumi CLI's own loader, as `pulumi preview --policy-pack`
     * does; `compiled` through plan/pack-host.js when the pack's `main` is JavaScript (the loader minus its ts-node
     * registration; a TypeScript `main` still goes through the CLI's loader).
     */
    loader?: "cli" | "compiled";
}

/** The pack's entry point (package.json `main`, else index.js), as Node resolves the directory. */
function packMain(packDir: string): string {
    try {
        const main = (JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { main?: string })
            .main;
        return path.join(packDir, main ?? "index.js");
    } catch {
        return path.join(packDir, "index.js");
    }
}

/** Where the CLI's policy-pack loader lives, resolved from the pack's own directory as the CLI resolves it. */
function runPolicyPackPath(packDir: string): string {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    } catch {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    }
}

/** The program that starts the pack, and its arguments after the Node options. */
function packCommand(packDir: string, loader: SpawnPackOptions["loader"]): string[] {
    // Beside the plan when running from dist/, else in dist/ of the repository (tests load the plan from source).
    const host = [
        path.join(__dirname, "..", "pack-host.js"),
        path.join(__dirname, "..", "..", "dist", "plan", "pack-host.js"),
    ].find((f) => fs.existsSync(f));
    if (loader === "compiled" && host && /\.c?js$/.test(packMain(packDir))) return [host, "127.0.0.1:0", packDir];
    return [runPolicyPackPath(packDir), "127.0.0.1:0", "."];
}

/** Spawns the pack with the CLI's environment; `packDir` must be absolute. */
export function spawnPack(options: SpawnPackOptions, packDir: string): ChildProcess {
    const env = {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(options.config ?? {}),
        PULUMI_PROJECT: options.project,
        PULUMI_STACK: options.stack,
        PULUMI_ORGANIZATION: options.organization ?? "organization",
        PULUMI_DRY_RUN: String(options.preview),
        PULUMI_NODEJS_PROJECT: options.project,
        PULUMI_NODEJS_STACK: options.stack,
        PULUMI_NODEJS_ORGANIZATION: options.organization ?? "organization",
        PULUMI_NODEJS_DRY_RUN: String(options.preview),
    };
    // The engine address is only used by packs that log back to the engine; there is none offline.
    return spawn(process.execPath, [...(options.nodeOptions ?? []), ...packCommand(packDir, options.loader)], {
        cwd: packDir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
    });
}

/** The port the pack prints on its first stdout line; rejects with a PolicyPackError if it never does or dies first. */
export function readPort(child: ChildProcess, timeoutMs: number, packDir: string): Promise<number> {
    return new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        const fail = (why: string) => {
            cleanup();
            child.kill("SIGKILL");
            const tail = err.trim().split("\n").slice(-12).join("\n");
            reject(new PolicyPackError(`Policy pack in ${packDir} ${why}${tail ? `:\n${tail}` : ""}`));
        };
        const timer = setTimeout(() => fail(`printed no port within ${timeoutMs} ms`), timeoutMs);
        const onOut = (d: Buffer) => {
            out += d.toString();
            const nl = out.indexOf("\n");
            if (nl < 0) return;
            const first = out.slice(0, nl).trim();
            const port = Number(first);
            if (!Number.isInteger(port) || port <= 0) return fail(`printed '${first.slice(0, 200)}' instead of a port`);
            cleanup();
            resolve(port);
        };
        const onErr = (d: Buffer) => {
            err = (err + d.toString()).slice(-8000);
        };
        const onExit = (code: number | null, signal: string | null) =>
            fail(`exited before printing its port (${signal ? `signal ${signal}` : `code ${code}`})`);
        const onError = (e: Error) => fail(`could not be started: ${e.message}`);
        function cleanup() {
            clearTimeout(timer);
            child.stdout?.off("data", onOut);
            child.off("exit", onExit);
            child.off("error", onError);
            // Keep draining stderr so a chatty pack never blocks on a full pipe.
            child.stderr?.off("data", onErr);
        }
        child.stdout?.on("data", onOut);
        child.stderr?.on("data", onErr);
        child.on("exit", onExit);
        child.on("error", onError);
    });
}
