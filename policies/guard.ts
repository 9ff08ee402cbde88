/**
 * The pack as a library, in awsguard's pattern: `new AzureOpenAiGuard({ all: "mandatory", "<policy>": "advisory" })`
 * starts the analyzer with every policy of the pack at the levels and config given. A process runs one pack (the SDK
 * exits on a second), so construct it once, in the pack's entry file; `guardConfig` checks the arguments alone.
 */
import { EnforcementLevel, PolicyPack, PolicyPackConfig } from "@pulumi/policy";
import { allPolicies, packName } from "./all";

const levels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A policy's level, or its level and config properties (as `pulumi preview --policy-pack-config` takes them). */
export type GuardPolicyArgs = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

export interface AzureOpenAiGuardArgs {
    /** The level of every policy not named in `policies` (default: each policy's own level, mandatory unless it says advisory). */
    all?: EnforcementLevel;
    /** Per policy, by name: its level or its level and config. */
    policies?: Record<string, GuardPolicyArgs>;
    /** The pack's name as the Pulumi service and reports show it (default: azure-openai). */
    name?: string;
}

/** The pack's initial config for `args`; throws naming every unknown policy or level, and what was expected. */
export function guardConfig(args: AzureOpenAiGuardArgs = {}): PolicyPackConfig {
    const known = new Set(allPolicies.map((p) => p.name));
    const ownLevel = new Map(allPolicies.map((p) => [p.name, p.enforcementLevel ?? "mandatory"]));
    const problems: string[] = [];
    const levelOk = (where: string, l: unknown) => {
        if (l !== undefined && !levels.includes(l as EnforcementLevel))
            problems.push(`${where}: '${String(l)}' is not an enforcement level: expected one of ${levels.join(", ")}`);
    };
    levelOk("all", args.all);
    const config: PolicyPackConfig = {};
    for (const [name, value] of Object.entries(args.policies ?? {})) {
        if (!known.has(name)) {
            problems.push(
                `policies.${name}: no policy of that name in the pack: expected one of ${[...known].join(", ")}`,
            );
            continue;
        }
        levelOk(
            `policies.${name}${typeof value === "string" ? "" : ".enforcementLevel"}`,
            typeof value === "string" ? value : value.enforcementLevel,
        );
        // An entry with config but no level would reach the engine as level 0, advisory (@pulumi/policy protoutil
        // makeAnalyzerInfo leaves it unset): config alone never lowers a policy, so its level is spelled out.
        config[name] =
            typeof value === "string"
                ? value
                : { ...value, enforcementLevel: value.enforcementLevel ?? args.all ?? ownLevel.get(name) };
    }
    // Spelled out per policy rather than as the engine's `all` key, so the levels hold however the pack is run.
    if (args.all) for (const name of known) config[name] ??= args.all;
    if (problems.length)
        throw new Error(
            `AzureOpenAiGuard: ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
    return config;
}

export class AzureOpenAiGuard {
    readonly pack: PolicyPack;

    constructor(args: AzureOpenAiGuardArgs = {}) {
        const config = guardConfig(args);
        this.pack = new PolicyPack(
            args.name ?? packName,
            {
                policies: allPolicies,
                enforcementLevel: "mandatory",
                description:
                    "Blocks insecure Azure OpenAI landing zones: public access, API keys, data outside the compliance profile's regions, missing audit logs, weak content filters, over-wide roles.",
            },
            config,
        );
    }
}

export { allPolicies, packName };
