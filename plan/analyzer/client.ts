/**
 * A running policy pack and a gRPC client connected to it: GetAnalyzerInfo, ConfigureStack, Configure, Analyze and
 * AnalyzeStack, each with a deadline, failing with the pack's stderr when the pack dies. Used by the offline plan, the
 * bench and the pack's contract tests.
 */
import { ChildProcess } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import {
    decodeAnalyzerInfo,
    decodeResult,
    emptyRequest,
    encodeAnalyze,
    encodeAnalyzeStack,
    encodeConfigure,
    encodeConfigureStack,
    Msg,
} from "./encoding";
import { readPort, spawnPack, SpawnPackOptions } from "./process";
import { AnalyzeResult, AnalyzerInfo, AnalyzerResourceInput, EffectivePolicyConfig, PolicyPackError } from "./protocol";

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzergrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as {
    AnalyzerClient: new (address: string, creds: grpc.ChannelCredentials, options?: object) => RpcClient;
};
/* eslint-enable @typescript-eslint/no-require-imports */

type Unary = (req: Msg, cb: (err: grpc.ServiceError | null, resp: Msg) => void) => void;
interface RpcClient {
    getAnalyzerInfo: Unary;
    configure: Unary;
    configureStack: Unary;
    analyze: Unary;
    analyzeStack: Unary;
    close(): void;
}

/** A running policy pack and a gRPC client connected to it. Always `close()` it. */
export class AnalyzerClient {
    private exited?: string;
    private stderr = "";
    private closed = false;
    private readonly exitWaiters = new Set<(reason: string) => void>();

    private constructor(
        private readonly child: ChildProcess,
        private readonly client: RpcClient,
        private readonly timeoutMs: number,
        readonly packDir: string,
    ) {
        child.on("exit", (code, signal) => {
            this.exited = `the policy pack exited (${signal ? `signal ${signal}` : `code ${code}`})${this.stderrTail()}`;
            for (const w of this.exitWaiters) w(this.exited);
        });
        child.stderr?.on("data", (d: Buffer) => {
            this.stderr = (this.stderr + d.toString()).slice(-4000);
        });
    }

    /** Spawns the pack and connects; rejects with a PolicyPackError if it never prints a port or dies first. */
    static async start(options: SpawnPackOptions): Promise<AnalyzerClient> {
        const timeoutMs = options.timeoutMs ?? 30000;
        const packDir = path.resolve(options.packDir);
        const child = spawnPack(options, packDir);
        const port = await readPort(child, timeoutMs, packDir);
        const client = new analyzergrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 1024 * 1024 * 400,
            "grpc.max_send_message_length": 1024 * 1024 * 400,
            // A local pack is not retried (a failed call fails the plan); retry bookkeeping costs every call.
            "grpc.enable_retries": 0,
        });
        return new AnalyzerClient(child, client, timeoutMs, packDir);
    }

    private stderrTail(): string {
        const tail = this.stderr.trim().split("\n").slice(-8).join("\n");
        return tail ? `:\n${tail}` : "";
    }

    private call(method: keyof RpcClient, req: Msg, what: string): Promise<Msg> {
        if (this.closed) return Promise.reject(new PolicyPackError(`${what}: the policy pack connection is closed`));
        if (this.exited) return Promise.reject(new PolicyPackError(`${what} failed: ${this.exited}`));
        return new Promise((resolve, reject) => {
            let settled = false;
            const finish = (err?: Error, resp?: Msg) => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                this.exitWaiters.delete(onExit);
                if (err) reject(err);
                else resolve(resp);
            };
            const onExit = (reason: string) => finish(new PolicyPackError(`${what} failed: ${reason}`));
            this.exitWaiters.add(onExit);
            const timer = setTimeout(
                () =>
                    finish(
                        new PolicyPackError(
                            `${what} timed out after ${this.timeoutMs} ms: the policy pack did not answer${this.stderrTail()}`,
                        ),
                    ),
                this.timeoutMs,
            );
            const deadline = new Date(Date.now() + this.timeoutMs);
            (
                this.client[method] as (
                    r: Msg,
                    md: grpc.Metadata,
                    o: grpc.CallOptions,
                    cb: (e: grpc.ServiceError | null, r: Msg) => void,
                ) => void
            ).call(this.client, req, new grpc.Metadata(), { deadline }, (err, resp) => {
                if (err) {
                    const reason = this.exited ?? err.details ?? err.message;
                    finish(new PolicyPackError(`${what} failed: ${reason}`));
                } else {
                    finish(undefined, resp);
                }
            });
        });
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        return decodeAnalyzerInfo(await this.call("getAnalyzerInfo", emptyRequest(), "GetAnalyzerInfo"));
    }

    /** Sends the effective configuration (see `reconcilePolicyConfig`) to the pack. */
    async configure(config: EffectivePolicyConfig): Promise<void> {
        await this.call("configure", encodeConfigure(config), "Configure");
    }

    /** Tells the pack the stack it judges (ConfigureStack), as the CLI does before Configure. */
    async configureStack(stack: {
        project: string;
        stack: string;
        organization?: string;
        preview: boolean;
    }): Promise<void> {
        await this.call("configureStack", encodeConfigureStack(stack), "ConfigureStack");
    }

    /** One resource as Analyze receives it: its inputs (plan/analyzer/engine-requests.ts `analyzeRequests`). */
    async analyze(resource: AnalyzerResourceInput): Promise<AnalyzeResult> {
        return decodeResult(await this.call("analyze", encodeAnalyze(resource), `Analyze of ${resource.urn}`));
    }

    /** Every resource as AnalyzeStack receives it: its outputs (plan/analyzer/engine-requests.ts `analyzeStackRequest`). */
    async analyzeStack(resources: AnalyzerResourceInput[]): Promise<AnalyzeResult> {
        return decodeResult(await this.call("analyzeStack", encodeAnalyzeStack(resources), "AnalyzeStack"));
    }

    /** Closes the connection and stops the pack. */
    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        this.client.close();
        if (this.exited === undefined) {
            const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
            this.child.kill("SIGTERM");
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
            await gone;
            clearTimeout(timer);
        }
    }
}
