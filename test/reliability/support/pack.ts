/**
 * One policy-pack process for a whole test file, spoken to over the analyzer protocol exactly as the offline plan does
 * (plan/analyze-run.ts `analyzeRun`: the engine's requests, plan/analyzer/engine-requests.ts), but kept open across
 * stacks, modes and mutants: ConfigureStack and Configure are sent again only when the stack, mode or profile changes.
 * A mutant changes inputs after the run: the outputs AnalyzeStack sees are computed afresh from them, as the provider
 * would return them (plan/provider/outputs.ts).
 */
import * as fs from "fs";
import * as path from "path";
import type * as AnalyzerClientModule from "../../../plan/analyzer";
import type * as OutputsModule from "../../../plan/provider/outputs";
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
    /** The mode the pack was last told (ConfigureStack's dryRun): the outputs AnalyzeStack gets are that mode's. */
    private preview = true;
    private config: AnalyzerClientModule.EffectivePolicyConfig = {};
    private readonly analyzeCache = new Map<string, AnalyzeResult>();
    /** The effective config of each profile: reconciling compiles every policy's config schema (Ajv), once is enough. */
    private readonly profileConfigs = new Map<string, AnalyzerClientModule.EffectivePolicyConfig>();

    private constructor(
        readonly client: Client,
        readonly info: AnalyzerClientModule.AnalyzerInfo,
        readonly metadata: MetadataModule.MetadataByPolicy,
    ) {}

    static async start(): Promise<PackSession> {
        const { AnalyzerClient } = requireDist<typeof AnalyzerClientModule>("plan/analyzer/index.js");
        const { loadPolicyMetadata } = requireDist<typeof MetadataModule>("plan/policy-metadata.js");
        const client = await AnalyzerClient.start({
            packDir,
            project: projectName,
            stack: "reliability",
            preview: true,
        });
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
            const { reconcilePolicyConfig } = requireDist<typeof AnalyzerClientModule>("plan/analyzer/index.js");
            const configFile = path.join(packDir, "config", `${profile}.json`);
            config = reconcilePolicyConfig(this.info, JSON.parse(fs.readFileSync(configFile, "utf8")));
            this.profileConfigs.set(profile, config);
        }
        await this.client.configureStack({ project: projectName, stack, preview });
        await this.client.configure(config);
        this.config = config;
        this.preview = preview;
        this.current = key;
        this.analyzeCache.clear();
    }

    /**
     * Sends a run's resources through the pack as the engine does: Analyze with each resource's inputs, AnalyzeStack
     * once with every resource's outputs (recomputed from the inputs, which a mutant may have changed), then the
     * verdicts the plan computes (plan/verdicts.ts). Analyze answers are cached by request: a mutant re-sends only what
     * changed. `stackConfig` is the stack's flat config (the default providers' inputs come from it).
     */
    async evaluate(
        run: Pick<ProgramRun, "resources" | "stack"> & { project?: string },
        stackConfig: Record<string, string> = {},
    ): Promise<Evaluation> {
        const { computeVerdicts } = requireDist<typeof VerdictsModule>("plan/verdicts.js");
        const { engineRequests } = requireDist<typeof AnalyzerClientModule>("plan/analyzer/index.js");
        const { withProviderOutputs } = requireDist<typeof OutputsModule>("plan/provider/outputs.js");
        const resources = withProviderOutputs(run.resources, this.preview);
        const requests = engineRequests(
            { project: run.project ?? projectName, stack: run.stack, resources },
            stackConfig,
        );
        const analyze = new Map<string, AnalyzeResult>();
        for (const r of requests.analyze) {
            const key = `${r.urn}\n${r.type}\n${JSON.stringify(r.properties)}\n${r.protect}\n${r.provider?.urn ?? ""}`;
            let result = this.analyzeCache.get(key);
            if (!result) {
                result = await this.client.analyze(r);
                this.analyzeCache.set(key, result);
            }
            analyze.set(r.urn, result);
        }
        const analyzeStack = await this.client.analyzeStack(requests.analyzeStack);
        const analyzable = resources.filter((r) => !r.type.startsWith("pulumi:providers:"));
        const config = this.config;
        const stackUrn = run.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
        const { verdicts, violations } = computeVerdicts({
            policies: this.info.policies,
            metadata: this.metadata,
            config,
            resources: analyzable,
            stackUrn,
            analyze,
            analyzeStack,
        });
        const blocking = (name: string) =>
            config[name]?.enforcementLevel === "mandatory" || config[name]?.enforcementLevel === "remediate";
        return {
            findings: violations.map((v) => ({
                policy: v.policyName,
                urn: v.urn,
                level: v.enforcementLevel,
                message: v.message,
            })),
            notEvaluated: verdicts
                .filter((v) => v.verdict === "not-evaluated" && blocking(v.policyName))
                .map((v) => ({ policy: v.policyName, urn: v.urn, level: "mandatory", message: v.message ?? "" })),
        };
    }
}
