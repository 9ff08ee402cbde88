/**
 * Where each planned stack comes from: its stack file (validated before any program runs) or a program file
 * with config given on the command line. Produces Pulumi's flat config map, the profile and the policy config.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { projectName, projectConfigFromFlat, StackConfigError, validateStackConfig } from "../infra/config";
import { getProfile } from "../catalogue/profiles";
import { StackCostLimits, stackCostLimits } from "../catalogue/stack-settings";

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Several stacks' config errors at once: every problem of every stack. */
export class ConfigErrors extends Error {
    constructor(public readonly errors: Error[]) {
        super(errors.map((e) => e.message).join("\n"));
        this.name = "ConfigErrors";
    }
}

export interface StackTarget {
    stack: string;
    project: string;
    /** Absolute path of the program module. */
    programPath: string;
    /** The file a finding is located at (stack file, or the program file), relative to the repository root. */
    sourceFile: string;
    sourceKind: "stack-file" | "program";
    /** Pulumi's flat config map (`<namespace>:<key>` to string, objects JSON-encoded). */
    config: Record<string, string>;
    profile?: string;
    environment?: string;
    /** `--policy-config` or the profile's committed pack config; undefined: the pack's no-config baseline. */
    policyConfigPath?: string;
    strict: boolean;
    /** The effective cost limits of a stack file's validated config (programs report theirs as a `costLimits` output). */
    costLimits?: StackCostLimits;
}

export interface TargetOptions {
    root: string;
    /** Where stack files live (default <root>/stacks, Pulumi.yaml's stackConfigDir). */
    stacksDir?: string;
    stacks: string[];
    program?: string;
    config: string[];
    profile?: string;
    policyConfig?: string;
    /** undefined: on for production stacks. */
    strict?: boolean;
}

let stacksDirOverride: string | undefined;

export function stacksDir(root: string): string {
    return stacksDirOverride ?? path.join(root, "stacks");
}

export function stackNames(root: string): string[] {
    const dir = stacksDir(root);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => Boolean(s)).sort();
}

/** The program the repository's stacks run: the compiled one when built, else the TypeScript source. */
export function defaultProgram(root: string): string {
    const built = path.join(root, "dist", "infra", "index.js");
    return fs.existsSync(built) ? built : path.join(root, "infra", "index.ts");
}

/** Pulumi's flat form of a stack file's `config:` block. */
export function flattenConfig(block: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(block).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

function readStackFile(root: string, stack: string): Record<string, unknown> {
    const file = path.join(stacksDir(root), `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new UsageError(`No stack file for stack '${stack}': expected ${path.relative(root, file)} (known stacks: ${stackNames(root).join(", ") || "none"})`);
    }
    let doc: unknown;
    try {
        doc = parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new StackConfigError(stack, [{ path: "(file)", message: `${path.relative(root, file)} is not valid YAML: ${(e as Error).message}` }]);
    }
    const config = (doc as { config?: unknown } | null)?.config;
    if (config === undefined || config === null) return {};
    if (typeof config !== "object" || Array.isArray(config)) {
        throw new StackConfigError(stack, [{ path: "config", message: "expected a mapping of <project>:<key> to values" }]);
    }
    return config as Record<string, unknown>;
}

/** `--config KEY=VALUE`: a key without a namespace belongs to the project. */
export function parseConfigArgs(pairs: string[], project: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const pair of pairs) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new UsageError(`--config '${pair}': expected KEY=VALUE`);
        const key = pair.slice(0, eq);
        out[key.includes(":") ? key : `${project}:${key}`] = pair.slice(eq + 1);
    }
    return out;
}

function profilePolicyConfig(root: string, profile: string | undefined): string | undefined {
    if (!profile) return undefined;
    const file = path.join(root, "policies", "config", `${profile}.json`);
    return fs.existsSync(file) ? file : undefined;
}

/** The project a program belongs to: the `name:` of the Pulumi.yaml beside it, else this project. */
function programProject(programPath: string): string {
    const file = path.join(path.dirname(programPath), "Pulumi.yaml");
    if (fs.existsSync(file)) {
        const doc = parse(fs.readFileSync(file, "utf8")) as { name?: unknown } | null;
        if (typeof doc?.name === "string") return doc.name;
    }
    return projectName;
}

/**
 * Resolves every stack to plan. Stack files are validated here, before any program runs; all stacks' problems
 * are collected and thrown together.
 */
export function resolveTargets(opts: TargetOptions): StackTarget[] {
    stacksDirOverride = opts.stacksDir ? path.resolve(opts.stacksDir) : undefined;
    const policyConfigPath = opts.policyConfig ? path.resolve(opts.policyConfig) : undefined;
    if (policyConfigPath && !fs.existsSync(policyConfigPath)) throw new UsageError(`--policy-config ${opts.policyConfig}: no such file`);
    if (opts.profile) {
        try {
            getProfile(opts.profile);
        } catch (e) {
            throw new UsageError(`--profile: ${(e as Error).message}`);
        }
    }

    if (opts.program) {
        const programPath = path.resolve(opts.program);
        if (!fs.existsSync(programPath)) throw new UsageError(`--program ${opts.program}: no such file`);
        if (!/\.(ts|js|cjs)$/.test(programPath)) throw new UsageError(`--program ${opts.program}: expected a .ts or .js file`);
        if (opts.stacks.length > 1) throw new UsageError("--program plans one stack: give at most one --stack");
        const project = programProject(programPath);
        const config = parseConfigArgs(opts.config, project);
        const raw = projectConfigFromFlat(config, project);
        const profile = opts.profile ?? (typeof raw.profile === "string" ? raw.profile : undefined);
        if (profile && !opts.profile) {
            try {
                getProfile(profile);
            } catch (e) {
                throw new UsageError(`--config profile: ${(e as Error).message}`);
            }
        }
        if (opts.profile && raw.profile === undefined) config[`${project}:profile`] = opts.profile;
        const environment = typeof raw.environment === "string" ? raw.environment : undefined;
        return [{
            stack: opts.stacks[0] ?? "dev",
            project,
            programPath,
            sourceFile: path.relative(opts.root, programPath) || programPath,
            sourceKind: "program",
            config,
            profile,
            environment,
            policyConfigPath: policyConfigPath ?? profilePolicyConfig(opts.root, profile),
            strict: opts.strict ?? environment === "prod",
        }];
    }

    if (opts.config.length || opts.profile) throw new UsageError("--config and --profile supply what a stack file would: use them with --program");
    const names = opts.stacks.length ? opts.stacks : stackNames(opts.root);
    if (names.length === 0) throw new UsageError(`No stacks to plan: ${path.relative(opts.root, stacksDir(opts.root)) || "stacks"}/ has no Pulumi.<stack>.yaml`);
    const errors: Error[] = [];
    const targets: StackTarget[] = [];
    for (const stack of names) {
        try {
            const block = readStackFile(opts.root, stack);
            const config = flattenConfig(block);
            const settings = validateStackConfig(stack, projectConfigFromFlat(config, projectName));
            targets.push({
                stack,
                project: projectName,
                programPath: defaultProgram(opts.root),
                sourceFile: path.relative(opts.root, path.join(stacksDir(opts.root), `Pulumi.${stack}.yaml`)),
                sourceKind: "stack-file",
                config,
                profile: settings.profile,
                environment: settings.environment,
                policyConfigPath: policyConfigPath ?? profilePolicyConfig(opts.root, settings.profile),
                strict: opts.strict ?? settings.environment === "prod",
                costLimits: stackCostLimits(settings),
            });
        } catch (e) {
            if (e instanceof StackConfigError) errors.push(e);
            else throw e;
        }
    }
    if (errors.length) throw new ConfigErrors(errors);
    return targets;
}
