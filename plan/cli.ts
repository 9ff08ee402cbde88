#!/usr/bin/env node
/**
 * `npm run plan`: the offline plan. Exit codes: 0 no mandatory violation; 1 at least one (or, in strict mode, a
 * mandatory check that could not run) with the full report still written; 2 a usage, config, program or pack
 * error, printed as one message (every config problem with its key path) and no report at all.
 */
// First: the SDK (loaded here only to read the pack's policy metadata) skips its function-serialization deps.
import "../runtime/lazy-sdk-deps";
import * as fs from "fs";
import * as path from "path";
import { profileIds } from "../catalogue/profiles";
import { StackConfigError } from "../infra/config";
import { PolicyConfigError, PolicyPackError } from "./analyzer";
import { plan } from "./planner";
import { ProgramError } from "./program-runner";
import { PlanReport } from "./report/model";
import { renderJson } from "./report/json";
import { renderMarkdown } from "./report/markdown";
import { renderSarif } from "./report/sarif";
import { renderText } from "./report/text";
import { ConfigErrors, resolveTargets, UsageError } from "./stack-source";

export const formats = ["text", "json", "markdown", "sarif"] as const;
export type Format = (typeof formats)[number];

export interface CliOptions {
    stacks: string[];
    program?: string;
    config: string[];
    profile?: string;
    policyConfig?: string;
    policyPack?: string;
    stacksDir?: string;
    format: Format;
    out?: string;
    preview: boolean;
    strict?: boolean;
    help: boolean;
}

export const usage = `Usage: npm run plan -- [options]

Plans every stack in stacks/ (or the ones named) offline: runs the program under Pulumi's mock runtime, sends
every resource through the policy pack over the analyzer protocol and reports. No cloud, no credentials.

  --stack NAME            plan only this stack (repeatable); with --program it only names the stack
  --program FILE          plan a Pulumi TypeScript or JavaScript program instead of infra/
  --config KEY=VALUE      config for --program (repeatable); KEY without a namespace is the project's
  --profile NAME          compliance profile for --program: ${profileIds.join(", ")}
                          (selects policies/config/<NAME>.json)
  --policy-config FILE    policy pack config, as for pulumi preview --policy-pack-config
  --policy-pack DIR       the policy pack directory (default: policies/)
  --stacks-dir DIR        where the Pulumi.<stack>.yaml files live (default: stacks/)
  --format FORMAT         text (default), json, markdown or sarif
  --out FILE              write the report to FILE instead of standard output
  --preview | --update    preview (default: ids unknown, as pulumi preview) or update (ids known)
  --strict | --no-strict  fail on mandatory checks that could not run (default: on for prod stacks)
  --help                  this text

Exit codes: 0 no mandatory violation, 1 mandatory violations (report still written), 2 usage/config/program/pack error.`;

export function parseArgs(argv: string[]): CliOptions {
    const o: CliOptions = { stacks: [], config: [], format: "text", preview: true, help: false };
    let mode: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] =
            arg.startsWith("--") && arg.includes("=")
                ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
                : [arg, undefined];
        const value = (): string => {
            const v = inline ?? argv[++i];
            if (v === undefined || (inline === undefined && v.startsWith("--")))
                throw new UsageError(`${flag} needs a value`);
            return v;
        };
        switch (flag) {
            case "--stack":
                o.stacks.push(value());
                break;
            case "--program":
                o.program = value();
                break;
            case "--config":
                o.config.push(value());
                break;
            case "--profile":
                o.profile = value();
                break;
            case "--policy-config":
                o.policyConfig = value();
                break;
            case "--policy-pack":
                o.policyPack = value();
                break;
            case "--stacks-dir":
                o.stacksDir = value();
                break;
            case "--out":
                o.out = value();
                break;
            case "--format": {
                const f = value();
                if (!formats.includes(f as Format))
                    throw new UsageError(`--format '${f}': expected one of ${formats.join(", ")}`);
                o.format = f as Format;
                break;
            }
            case "--preview":
            case "--update":
                if (mode && mode !== flag) throw new UsageError("--preview and --update exclude each other");
                mode = flag;
                o.preview = flag === "--preview";
                break;
            case "--strict":
                o.strict = true;
                break;
            case "--no-strict":
                o.strict = false;
                break;
            case "--help":
            case "-h":
                o.help = true;
                break;
            default:
                // `npm run plan --stack eu-prod` hands `--stack` to npm itself and only `eu-prod` to the plan.
                if (!arg.startsWith("-"))
                    throw new UsageError(
                        `Unexpected argument '${arg}': npm keeps options written before \`--\` for itself, so write \`npm run plan -- --stack ${arg}\` (options after \`--\`). Run with --help for the options.`,
                    );
                throw new UsageError(`Unknown option '${arg}'. Run with --help for the options.`);
        }
    }
    return o;
}

/** The repository root: the nearest directory up from here with this project's package.json. */
export function repoRoot(from = __dirname): string {
    let dir = from;
    for (;;) {
        const pkg = path.join(dir, "package.json");
        if (
            fs.existsSync(pkg) &&
            (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "azure-openai-landing-zone"
        )
            return dir;
        const up = path.dirname(dir);
        if (up === dir) return process.cwd();
        dir = up;
    }
}

export function render(report: PlanReport, format: Format): string {
    switch (format) {
        case "json":
            return renderJson(report);
        case "markdown":
            return renderMarkdown(report);
        case "sarif":
            return renderSarif(report);
        default:
            return renderText(report);
    }
}

/** Runs the CLI; returns the exit code. Output goes through the given writers (tests capture them). */
export async function main(
    argv: string[],
    io = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) },
): Promise<number> {
    try {
        const opts = parseArgs(argv);
        if (opts.help) {
            io.out(`${usage}\n`);
            return 0;
        }
        const root = repoRoot();
        const packDir = path.resolve(opts.policyPack ?? path.join(root, "policies"));
        if (!fs.existsSync(path.join(packDir, "package.json")))
            throw new UsageError(
                `No policy pack at ${packDir}: expected a package.json there (build it with npm run build)`,
            );
        const targets = resolveTargets({
            root,
            stacksDir: opts.stacksDir,
            stacks: opts.stacks,
            program: opts.program,
            config: opts.config,
            profile: opts.profile,
            policyConfig: opts.policyConfig,
            strict: opts.strict,
        });
        const report = await plan(targets, { packDir, preview: opts.preview });
        const text = render(report, opts.format);
        if (opts.out) {
            fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
            fs.writeFileSync(opts.out, text);
            io.err(
                `Wrote ${opts.format} report to ${opts.out}: ${report.summary.failedStacks.length ? `FAILED (${report.summary.failedStacks.join(", ")})` : "all stacks pass"}\n`,
            );
        } else {
            io.out(text);
        }
        return report.summary.exitCode;
    } catch (e) {
        io.err(`${errorMessage(e)}\n`);
        return 2;
    }
}

function errorMessage(e: unknown): string {
    if (e instanceof ConfigErrors || e instanceof StackConfigError || e instanceof PolicyConfigError)
        return `error: ${e.message}`;
    if (e instanceof UsageError) return `error: ${e.message}`;
    if (e instanceof ProgramError || e instanceof PolicyPackError) return `error: ${e.message}`;
    return `error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
