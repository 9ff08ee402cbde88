/**
 * The analyzer protocol's data as the plan handles it: the pack's description (GetAnalyzerInfo), the configuration
 * the engine sends (Configure), the resources it sends (Analyze, AnalyzeStack) and the answers (diagnostics and
 * not-applicable reasons). Plain data only: encoding lives in ./encoding, the connection in ./client.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const enforcementLevels: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

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
export type EffectivePolicyConfig = Record<
    string,
    { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }
>;

/** The provider of a resource as the engine describes it to a pack (`AnalyzerProviderResource`): its inputs as properties. */
export interface AnalyzerProvider {
    urn: string;
    type: string;
    name: string;
    properties: Record<string, unknown>;
}

/** One resource of an Analyze request or of an AnalyzeStack request. */
export interface AnalyzerResourceInput {
    urn: string;
    type: string;
    name: string;
    /**
     * Wire-format properties (unknowns as the sentinel, secrets as signature objects): what the engine sends for the
     * call, i.e. the inputs for Analyze and the outputs for AnalyzeStack (plan/analyzer/engine-requests.ts).
     */
    properties: Record<string, unknown>;
    protect?: boolean;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    ignoreChanges?: string[];
    aliases?: string[];
    additionalSecretOutputs?: string[];
    /** Set only when the program set it, as the engine's optional `DeleteBeforeReplace`. */
    deleteBeforeReplace?: boolean;
    /** Custom timeouts in seconds (zero when unset, as the engine marshals them). */
    customTimeouts?: { create: number; update: number; delete: number };
    provider?: AnalyzerProvider;
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
        super(
            `Invalid policy pack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
        this.name = "PolicyConfigError";
    }
}
