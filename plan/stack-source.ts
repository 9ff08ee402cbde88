/**
 * Where each planned stack comes from: its stack file (validated before any program runs) or a program file
 * with config given on the command line. Produces Pulumi's flat config map, the profile and the policy config.
 */
import * as fs from "fs";
import * as path from "path";
import { LineCounter, parse, parseDocument } from "yaml";
import { projectName, projectConfigFromFlat, StackConfigError, validateStackConfig } from "../infra/config";
import { getProfile, profileIds } from "../catalogue/profiles";
import { stackConfigSchema } from "../catalogue/stack-schema";
import { configKeyLines, locate, locateConfigKey } from "./yaml-positions";
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
    /** For a stack file: the line of each config key (`location`, `network.allowedOutboundFqdns`, `deployments[chat]`). */
    keyLines?: Record<string, number>;
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
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => Boolean(s))
        .sort();
}

/** The program the repository's stacks run: the compiled one when built, else the TypeScript source. */
export function defaultProgram(root: string): string {
    const built = path.join(root, "dist", "infra", "index.js");
    return fs.existsSync(built) ? built : path.join(root, "infra", "index.ts");
}

/** Pulumi's flat form of a stack file's `config:` block. */
export function flattenConfig(block: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(
        Object.entries(block).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
}

interface StackFile {
    /** The `config:` block. */
    config: Record<string, unknown>;
    /** `file:line:column` of a config key path (relative file name). */
    locate(keyPath: string): string;
    /** Line of each config key (see configKeyLines). */
    keyLines: Record<string, number>;
}

function readStackFile(root: string, stack: string): StackFile {
    const file = path.join(stacksDir(root), `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new UsageError(
            `No stack file for stack '${stack}': expected ${path.relative(root, file)} (known stacks: ${stackNames(root).join(", ") || "none"})`,
        );
    }
    const rel = path.relative(root, file);
    const lines = new LineCounter();
    const doc = parseDocument(fs.readFileSync(file, "utf8"), { lineCounter: lines });
    if (doc.errors.length > 0) {
        const e = doc.errors[0];
        const at = e.linePos?.[0] ? `${rel}:${e.linePos[0].line}:${e.linePos[0].col}` : rel;
        throw new StackConfigError(stack, [
            { path: "(file)", where: at, message: `not valid YAML: ${e.message.split("\n")[0]}` },
        ]);
    }
    const locateKey = (keyPath: string) => locateConfigKey(doc, lines, rel, projectName, keyPath);
    const config = (doc.toJS() as { config?: unknown } | null)?.config;
    if (config === undefined || config === null) return { config: {}, locate: locateKey, keyLines: {} };
    if (typeof config !== "object" || Array.isArray(config)) {
        throw new StackConfigError(stack, [
            { path: "config", where: locateKey(""), message: "expected a mapping of <project>:<key> to values" },
        ]);
    }
    const block = config as Record<string, unknown>;
    // Keys written without the project's namespace are not this project's config to Pulumi: say so once per key,
    // instead of reporting every required key as missing.
    const known = new Set(Object.keys(stackConfigSchema.shape));
    const bare = Object.keys(block).filter((k) => !k.includes(":") && known.has(k));
    if (bare.length > 0) {
        throw new StackConfigError(
            stack,
            bare.map((k) => ({
                path: k,
                where: locate(doc, lines, rel, ["config", k]),
                message: `has no namespace: Pulumi stack config keys are <namespace>:<name>, so write ${projectName}:${k}`,
            })),
        );
    }
    return { config: block, locate: locateKey, keyLines: configKeyLines(doc, lines, projectName) };
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

/** The profile's generated pack config. A profile without one fails: planning it against the pack's defaults would pass silently. */
function profilePolicyConfig(root: string, profile: string | undefined): string | undefined {
    if (!profile) return undefined;
    const file = path.join(root, "policies", "config", `${profile}.json`);
    if (!fs.existsSync(file)) {
        throw new UsageError(
            `Profile '${profile}' has no policy config: expected ${path.relative(root, file)}. Run \`npm run build && npm run policy-config\` (it writes one per profile of catalogue/profiles.ts: ${profileIds.join(", ")}) and commit it`,
        );
    }
    return file;
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
    if (policyConfigPath && !fs.existsSync(policyConfigPath))
        throw new UsageError(`--policy-config ${opts.policyConfig}: no such file`);
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
        if (!/\.(ts|js|cjs)$/.test(programPath))
            throw new UsageError(`--program ${opts.program}: expected a .ts or .js file`);
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
        return [
            {
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
            },
        ];
    }

    if (opts.config.length || opts.profile)
        throw new UsageError("--config and --profile supply what a stack file would: use them with --program");
    const names = opts.stacks.length ? opts.stacks : stackNames(opts.root);
    if (names.length === 0)
        throw new UsageError(
            `No stacks to plan: ${path.relative(opts.root, stacksDir(opts.root)) || "stacks"}/ has no Pulumi.<stack>.yaml`,
        );
    const errors: Error[] = [];
    const targets: StackTarget[] = [];
    for (const stack of names) {
        try {
            const stackFile = readStackFile(opts.root, stack);
            const config = flattenConfig(stackFile.config);
            let settings;
            try {
                settings = validateStackConfig(stack, projectConfigFromFlat(config, projectName));
            } catch (e) {
                if (!(e instanceof StackConfigError)) throw e;
                throw new StackConfigError(
                    stack,
                    e.problems.map((p) => ({ ...p, where: p.where ?? stackFile.locate(p.path) })),
                );
            }
            targets.push({
                stack,
                project: projectName,
                programPath: defaultProgram(opts.root),
                sourceFile: path.relative(opts.root, path.join(stacksDir(opts.root), `Pulumi.${stack}.yaml`)),
                sourceKind: "stack-file",
                keyLines: stackFile.keyLines,
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
