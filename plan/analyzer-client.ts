/**
 * Talks to a CrossGuard policy pack exactly as the Pulumi CLI does: spawns it with the pack directory as working
 * directory through `@pulumi/pulumi/cmd/run-policy-pack`, reads the gRPC port from its first stdout line, then calls
 * GetAnalyzerInfo, Configure (schema defaults, the pack's initial config, then the user's config, validated),
 * Analyze per resource and AnalyzeStack once. Used by the offline plan and by the pack's contract tests.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import Ajv, { ValidateFunction } from "ajv";
import type { PlannedResource } from "./mock-runtime";
import { unknownSentinel } from "./sentinel";

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb") as Record<string, new () => Msg> & { EnforcementLevel: Record<string, number>; PolicyType: Record<string, number> };
const analyzergrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as { AnalyzerClient: new (address: string, creds: grpc.ChannelCredentials, options?: object) => RpcClient };
const structpb = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { new (): Msg; fromJavaScript(v: Record<string, unknown>): Msg }; Value: { fromJavaScript(v: unknown): Msg } };
const emptypb = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => Msg };
/* eslint-enable @typescript-eslint/no-require-imports */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;
type Unary = (req: Msg, cb: (err: grpc.ServiceError | null, resp: Msg) => void) => void;
interface RpcClient {
    getAnalyzerInfo: Unary;
    configure: Unary;
    configureStack: Unary;
    analyze: Unary;
    analyzeStack: Unary;
    close(): void;
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const enforcementLevels: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    type: "resource" | "stack";
    /** The policy's own level, or the pack's when the policy has none (as the SDK reports it). */
    enforcementLevel: EnforcementLevel;
    severity?: "low" | "medium" | "high" | "critical";
    remediationSteps?: string;
    url?: string;
    tags: string[];
    framework?: { name: string; version: string; reference: string; specification: string };
    configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    displayName: string;
    description: string;
    policies: PolicyInfo[];
    /** Config the pack itself declares (PolicyPack's `initialConfig`). */
    initialConfig: Record<string, PolicyConfig>;
}

export interface PolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** The configuration the engine would send: every policy with its effective level and complete properties. */
export type EffectivePolicyConfig = Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>;

export interface AnalyzerResourceInput {
    urn: string;
    type: string;
    name: string;
    /** Wire-format properties (unknowns as the sentinel, secrets as signature objects). */
    properties: Record<string, unknown>;
    /** Sent as the `id` property (as the engine's outputs carry it), for AnalyzeStack; the properties stay shared. */
    id?: string;
    protect?: boolean;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    ignoreChanges?: string[];
    aliases?: string[];
    additionalSecretOutputs?: string[];
    deleteBeforeReplace?: boolean;
}

/** What the pack receives for a planned resource: its inputs, plus its id (unknown in preview) for stack policies. */
export function analyzerInputOf(r: PlannedResource, withId: boolean): AnalyzerResourceInput {
    return {
        urn: r.urn, type: r.type, name: r.name, properties: r.inputs, id: withId && r.custom ? r.id ?? unknownSentinel : undefined, protect: r.protect, parent: r.parent,
        dependencies: r.dependencies, propertyDependencies: r.propertyDependencies, ignoreChanges: r.ignoreChanges,
        aliases: r.aliases, additionalSecretOutputs: r.additionalSecretOutputs, deleteBeforeReplace: r.deleteBeforeReplace || undefined,
    };
}

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn?: string;
    severity?: string;
}

export interface NotApplicable {
    policyName: string;
    reason: string;
}

export interface AnalyzeResult {
    diagnostics: Diagnostic[];
    notApplicable: NotApplicable[];
}

export class PolicyPackError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyPackError";
    }
}

export class PolicyConfigError extends Error {
    constructor(public readonly problems: string[]) {
        super(`Invalid policy pack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PolicyConfigError";
    }
}

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

const levelName = (n: number): EnforcementLevel => {
    const entry = Object.entries(analyzerpb.EnforcementLevel).find(([, v]) => v === n);
    return (entry ? entry[0].toLowerCase() : "advisory") as EnforcementLevel;
};
const levelNumber = (l: EnforcementLevel): number => analyzerpb.EnforcementLevel[l.toUpperCase()];
const severityName = (n: number): PolicyInfo["severity"] => (["low", "medium", "high", "critical"] as const)[n - 1];

/** The pack's entry point (package.json `main`, else index.js), as Node resolves the directory. */
function packMain(packDir: string): string {
    try {
        const main = (JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { main?: string }).main;
        return path.join(packDir, main ?? "index.js");
    } catch {
        return path.join(packDir, "index.js");
    }
}

/** The program that starts the pack, and its arguments after the Node options. */
function packCommand(packDir: string, loader: SpawnPackOptions["loader"]): string[] {
    // Beside this file when running from dist/, else in dist/ of the repository (tests load the plan from source).
    const host = [path.join(__dirname, "pack-host.js"), path.join(__dirname, "..", "dist", "plan", "pack-host.js")].find((f) => fs.existsSync(f));
    if (loader === "compiled" && host && /\.c?js$/.test(packMain(packDir))) return [host, "127.0.0.1:0", packDir];
    return [runPolicyPackPath(packDir), "127.0.0.1:0", "."];
}

/** Where the CLI's policy-pack loader lives, resolved from the pack's own directory as the CLI resolves it. */
function runPolicyPackPath(packDir: string): string {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    } catch {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    }
}

/** A running policy pack and a gRPC client connected to it. Always `close()` it. */
export class AnalyzerClient {
    private exited?: string;
    private stderr = "";
    private closed = false;
    private readonly exitWaiters = new Set<(reason: string) => void>();

    private constructor(private readonly child: ChildProcess, private readonly client: RpcClient, private readonly timeoutMs: number, readonly packDir: string) {
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
        const child = spawn(process.execPath, [...(options.nodeOptions ?? []), ...packCommand(packDir, options.loader)], { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
        const port = await readPort(child, timeoutMs, packDir);
        const client = new analyzergrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 1024 * 1024 * 400,
            "grpc.max_send_message_length": 1024 * 1024 * 400,
            // A local pack is not retried (a failed call fails the plan); retry bookkeeping costs every call.
            "grpc.enable_retries": 0,
        });
        const ac = new AnalyzerClient(child, client, timeoutMs, packDir);
        return ac;
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
            const timer = setTimeout(() => finish(new PolicyPackError(`${what} timed out after ${this.timeoutMs} ms: the policy pack did not answer${this.stderrTail()}`)), this.timeoutMs);
            const deadline = new Date(Date.now() + this.timeoutMs);
            (this.client[method] as (r: Msg, md: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r: Msg) => void) => void).call(
                this.client, req, new grpc.Metadata(), { deadline },
                (err, resp) => {
                    if (err) {
                        const reason = this.exited ?? err.details ?? err.message;
                        finish(new PolicyPackError(`${what} failed: ${reason}`));
                    } else {
                        finish(undefined, resp);
                    }
                },
            );
        });
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const info = await this.call("getAnalyzerInfo", new emptypb.Empty(), "GetAnalyzerInfo");
        const initialConfig: Record<string, PolicyConfig> = {};
        info.getInitialconfigMap().forEach((v: Msg, k: string) => {
            initialConfig[k] = { enforcementLevel: levelName(v.getEnforcementlevel()), properties: v.getProperties()?.toJavaScript() };
        });
        return {
            name: info.getName(),
            version: info.getVersion(),
            displayName: info.getDisplayname(),
            description: info.getDescription(),
            initialConfig,
            policies: info.getPoliciesList().map((p: Msg): PolicyInfo => {
                const schema = p.getConfigschema();
                const framework = p.getFramework();
                return {
                    name: p.getName(),
                    displayName: p.getDisplayname(),
                    description: p.getDescription(),
                    type: p.getPolicyType() === analyzerpb.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
                    enforcementLevel: levelName(p.getEnforcementlevel()),
                    severity: severityName(p.getSeverity()),
                    remediationSteps: p.getRemediationSteps() || undefined,
                    url: p.getUrl() || undefined,
                    tags: p.getTagsList(),
                    framework: framework ? { name: framework.getName(), version: framework.getVersion(), reference: framework.getReference(), specification: framework.getSpecification() } : undefined,
                    configSchema: schema ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() } : undefined,
                };
            }),
        };
    }

    /** Sends the effective configuration (see `reconcilePolicyConfig`) to the pack. */
    async configure(config: EffectivePolicyConfig): Promise<void> {
        const req = new analyzerpb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of Object.entries(config)) {
            const pc = new analyzerpb.PolicyConfig();
            pc.setEnforcementlevel(levelNumber(c.enforcementLevel));
            // The SDK reads the properties of every entry: always send a Struct, even an empty one.
            pc.setProperties(structpb.Struct.fromJavaScript(c.properties));
            map.set(name, pc);
        }
        await this.call("configure", req, "Configure");
    }

    /** Tells the pack the stack it judges (ConfigureStack), as the CLI does before Configure. */
    async configureStack(stack: { project: string; stack: string; organization?: string; preview: boolean }): Promise<void> {
        const req = new analyzerpb.AnalyzerStackConfigureRequest();
        req.setProject(stack.project);
        req.setStack(stack.stack);
        req.setOrganization(stack.organization ?? "organization");
        req.setDryRun(stack.preview);
        await this.call("configureStack", req, "ConfigureStack");
    }

    async analyze(resource: AnalyzerResourceInput): Promise<AnalyzeResult> {
        const req = describeResource(new analyzerpb.AnalyzeRequest(), resource);
        return toResult(await this.call("analyze", req, `Analyze of ${resource.urn}`));
    }

    async analyzeStack(resources: AnalyzerResourceInput[]): Promise<AnalyzeResult> {
        const req = new analyzerpb.AnalyzeStackRequest();
        req.setResourcesList(resources.map((r) => {
            const ar = describeResource(new analyzerpb.AnalyzerResource(), r);
            if (r.parent) ar.setParent(r.parent);
            ar.setDependenciesList(r.dependencies ?? []);
            const deps = ar.getPropertydependenciesMap();
            for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                const pd = new analyzerpb.AnalyzerPropertyDependencies();
                pd.setUrnsList(urns);
                deps.set(k, pd);
            }
            return ar;
        }));
        return toResult(await this.call("analyzeStack", req, "AnalyzeStack"));
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

/** Encoded properties per properties object: Analyze and AnalyzeStack send the same resource, encoded once. */
const encoded = new WeakMap<object, Msg>();

function propertiesStruct(r: AnalyzerResourceInput): Msg {
    let struct = encoded.get(r.properties);
    if (!struct) {
        struct = structpb.Struct.fromJavaScript(r.properties);
        encoded.set(r.properties, struct);
    }
    if (r.id === undefined) return struct;
    // The id joins a shallow copy: the shared encoding's values are reused, never changed.
    const withId = new structpb.Struct();
    const fields = withId.getFieldsMap();
    struct.getFieldsMap().forEach((v: Msg, k: string) => fields.set(k, v));
    fields.set("id", structpb.Value.fromJavaScript(r.id));
    return withId;
}

/** What Analyze and AnalyzeStack both say of a resource: urn, type, name, properties and options. */
function describeResource(msg: Msg, r: AnalyzerResourceInput): Msg {
    msg.setUrn(r.urn);
    msg.setType(r.type);
    msg.setName(r.name);
    msg.setProperties(propertiesStruct(r));
    msg.setOptions(resourceOptions(r));
    return msg;
}

function resourceOptions(r: AnalyzerResourceInput): Msg {
    const opts = new analyzerpb.AnalyzerResourceOptions();
    opts.setProtect(Boolean(r.protect));
    opts.setIgnorechangesList(r.ignoreChanges ?? []);
    opts.setAliasesList(r.aliases ?? []);
    opts.setAdditionalsecretoutputsList(r.additionalSecretOutputs ?? []);
    if (r.deleteBeforeReplace !== undefined) {
        opts.setDeletebeforereplacedefined(true);
        opts.setDeletebeforereplace(r.deleteBeforeReplace);
    }
    if (r.parent) opts.setParent(r.parent);
    return opts;
}

function toResult(resp: Msg): AnalyzeResult {
    return {
        diagnostics: resp.getDiagnosticsList().map((d: Msg): Diagnostic => ({
            policyName: d.getPolicyname(),
            policyPackName: d.getPolicypackname(),
            policyPackVersion: d.getPolicypackversion(),
            description: d.getDescription(),
            message: d.getMessage(),
            enforcementLevel: levelName(d.getEnforcementlevel()),
            urn: d.getUrn() || undefined,
            severity: severityName(d.getSeverity()),
        })),
        notApplicable: (resp.getNotApplicableList?.() ?? []).map((n: Msg) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
    };
}

function readPort(child: ChildProcess, timeoutMs: number, packDir: string): Promise<number> {
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
        const onExit = (code: number | null, signal: string | null) => fail(`exited before printing its port (${signal ? `signal ${signal}` : `code ${code}`})`);
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

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** A compiled validator per distinct schema: every stack of a plan reconciles the same pack's schemas. */
function configValidator(schema: object): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
        validate = (ajv ??= new Ajv({ allErrors: true, strict: false })).compile(schema);
        validators.set(key, validate);
    }
    return validate;
}

/**
 * What the engine sends to Configure: each policy's schema defaults, then the pack's initial config, then the
 * user's config (`all` sets every level first), each policy's properties validated against its schema.
 * `userConfig` is the JSON of `pulumi preview --policy-pack-config`: policy name to a level string or an object.
 */
export function reconcilePolicyConfig(info: AnalyzerInfo, userConfig: unknown): EffectivePolicyConfig {
    const problems: string[] = [];
    const user = normalizeUserConfig(userConfig, problems);
    const known = new Set(info.policies.map((p) => p.name));
    for (const name of Object.keys(user)) {
        if (name !== "all" && !known.has(name)) problems.push(`${name}: no policy of that name in pack ${info.name} (expected one of ${[...known].join(", ")})`);
    }
    const result: EffectivePolicyConfig = {};
    for (const p of info.policies) {
        const properties: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (schema && "default" in schema) properties[k] = structuredClone(schema.default);
        }
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties };
    }
    // A policy left at its schema's own defaults needs no validation, unless its schema requires properties.
    const configured = new Set<string>();
    for (const layer of [info.initialConfig, user]) {
        const all = layer.all?.enforcementLevel;
        if (all) for (const c of Object.values(result)) c.enforcementLevel = all;
        for (const [name, c] of Object.entries(layer)) {
            const target = result[name];
            if (!target) continue;
            if (c.enforcementLevel) target.enforcementLevel = c.enforcementLevel;
            if (c.properties && Object.keys(c.properties).length > 0) configured.add(name);
            Object.assign(target.properties, c.properties ?? {});
        }
    }
    for (const p of info.policies) {
        if (!p.configSchema || (!configured.has(p.name) && p.configSchema.required.length === 0)) continue;
        const validate = configValidator({ type: "object", properties: p.configSchema.properties, required: p.configSchema.required.length ? p.configSchema.required : undefined });
        if (!validate(result[p.name].properties)) {
            for (const e of validate.errors ?? []) {
                const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "";
                problems.push(`${p.name}${where ? `.${where}` : ""}: ${e.message}${e.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : ""}`);
            }
        }
    }
    if (problems.length) throw new PolicyConfigError(problems);
    return result;
}

function normalizeUserConfig(raw: unknown, problems: string[]): Record<string, PolicyConfig> {
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== "object" || Array.isArray(raw)) {
        problems.push("(root): expected a JSON object of policy name to enforcement level or settings");
        return {};
    }
    const out: Record<string, PolicyConfig> = {};
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
        const level = (v: unknown): EnforcementLevel | undefined => {
            if (v === undefined) return undefined;
            if (typeof v === "string" && enforcementLevels.includes(v as EnforcementLevel)) return v as EnforcementLevel;
            problems.push(`${name}.enforcementLevel: '${String(v)}' is not an enforcement level (expected one of ${enforcementLevels.join(", ")})`);
            return undefined;
        };
        if (typeof value === "string") {
            out[name] = { enforcementLevel: level(value) };
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            out[name] = { enforcementLevel: level(enforcementLevel), properties };
        } else {
            problems.push(`${name}: expected an enforcement level string or an object`);
        }
    }
    return out;
}
