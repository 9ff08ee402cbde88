/**
 * One policy-pack process for a whole test file, spoken to over the analyzer protocol exactly as the offline plan does
 * (plan/planner.ts `analyzeRun`), but kept open across stacks, modes and mutants: ConfigureStack and Configure are sent
 * again only when the stack, mode or profile changes.
 */
import * as fs from "fs";
import * as path from "path";
import type * as AnalyzerClientModule from "../../../plan/analyzer-client";
import type { ProgramRun } from "../../../plan/mock-runtime";
import type * as VerdictsModule from "../../../plan/verdicts";
import type * as MetadataModule from "../../../plan/policy-metadata";
import { projectName } from "../../../infra/config";
import { repoRoot, requireDist } from "../../support/dist";

export const packDir = path.join(repoRoot, "policies");

type Client = AnalyzerClientModule.AnalyzerClient;
type AnalyzeResult = AnalyzerClientModule.AnalyzeResult;

/** A violation as the plan reports it: the policy, the resource (or the stack) and whether it blocks. */
export interface Finding {
    policy: string;
    urn: string;
    level: "mandatory" | "advisory";
    message: string;
}

export interface Evaluation {
    /** Violations (not-evaluated excluded). */
    findings: Finding[];
    /** Mandatory policies that could not judge a resource (a value was unknown). */
    notEvaluated: Finding[];
}

export class PackSession {
    private current = "";
    private config: AnalyzerClientModule.EffectivePolicyConfig = {};
    private readonly analyzeCache = new Map<string, AnalyzeResult>();
    /** The effective config of each profile: reconciling compiles every policy's config schema (Ajv), once is enough. */
    private readonly profileConfigs = new Map<string, AnalyzerClientModule.EffectivePolicyConfig>();

    private constructor(readonly client: Client, readonly info: AnalyzerClientModule.AnalyzerInfo, readonly metadata: MetadataModule.MetadataByPolicy) {}

    static async start(): Promise<PackSession> {
        const { AnalyzerClient } = requireDist<typeof AnalyzerClientModule>("plan/analyzer-client.js");
        const { loadPolicyMetadata } = requireDist<typeof MetadataModule>("plan/policy-metadata.js");
        const client = await AnalyzerClient.start({ packDir, project: projectName, stack: "reliability", preview: true });
        return new PackSession(client, await client.getAnalyzerInfo(), loadPolicyMetadata(packDir));
    }

    close(): Promise<void> {
        return this.client.close();
    }

    /** Tells the pack the stack, mode and profile (the committed policy config of the profile), when they change. */
    async use(stack: string, profile: string, preview: boolean): Promise<void> {
        const key = `${stack}/${profile}/${preview}`;
        if (key === this.current) return;
        let config = this.profileConfigs.get(profile);
        if (!config) {
            const { reconcilePolicyConfig } = requireDist<typeof AnalyzerClientModule>("plan/analyzer-client.js");
            const configFile = path.join(packDir, "config", `${profile}.json`);
            config = reconcilePolicyConfig(this.info, JSON.parse(fs.readFileSync(configFile, "utf8")));
            this.profileConfigs.set(profile, config);
        }
        await this.client.configureStack({ project: projectName, stack, preview });
        await this.client.configure(config);
        this.config = config;
        this.current = key;
        this.analyzeCache.clear();
    }

    /**
     * Sends a run's resources through the pack: Analyze for each resource, AnalyzeStack once, then the verdicts the
     * plan computes (plan/verdicts.ts). Analyze answers are cached by URN and inputs: a mutant re-sends only what changed.
     */
    async evaluate(run: Pick<ProgramRun, "resources" | "stack">): Promise<Evaluation> {
        const { computeVerdicts } = requireDist<typeof VerdictsModule>("plan/verdicts.js");
        const { analyzerInputOf } = requireDist<typeof AnalyzerClientModule>("plan/analyzer-client.js");
        const analyzable = run.resources.filter((r) => !r.type.startsWith("pulumi:providers:"));
        const analyze = new Map<string, AnalyzeResult>();
        for (const r of analyzable) {
            const key = `${r.urn}\n${r.type}\n${JSON.stringify(r.inputs)}\n${r.protect}`;
            let result = this.analyzeCache.get(key);
            if (!result) {
                result = await this.client.analyze(analyzerInputOf(r, false));
                this.analyzeCache.set(key, result);
            }
            analyze.set(r.urn, result);
        }
        const analyzeStack = await this.client.analyzeStack(analyzable.map((r) => analyzerInputOf(r, true)));
        const config = this.config;
        const stackUrn = run.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
        const { verdicts, violations } = computeVerdicts({ policies: this.info.policies, metadata: this.metadata, config, resources: analyzable, stackUrn, analyze, analyzeStack });
        const blocking = (name: string) => config[name]?.enforcementLevel === "mandatory" || config[name]?.enforcementLevel === "remediate";
        return {
            findings: violations.map((v) => ({ policy: v.policyName, urn: v.urn, level: v.enforcementLevel, message: v.message })),
            notEvaluated: verdicts.filter((v) => v.verdict === "not-evaluated" && blocking(v.policyName)).map((v) => ({ policy: v.policyName, urn: v.urn, level: "mandatory", message: v.message ?? "" })),
        };
    }
}
