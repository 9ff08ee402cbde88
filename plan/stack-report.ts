/** One stack's report: its resources as the report keeps them, the verdicts of the pack's answers, and the result. */
import * as path from "path";
import { AnalyzeResult, AnalyzerInfo, EffectivePolicyConfig } from "./analyzer";
import { keyInputsOf } from "./key-inputs";
import type { PlannedResource, ProgramRun } from "./mock-runtime";
import type { PlanOptions } from "./plan-options";
import { placeholderLabels } from "./placeholders";
import { loadPolicyMetadata } from "./policy-metadata";
import { ResourceEntry, StackReport } from "./report/model";
import { programResourceLines } from "./report/program-lines";
import type { StackCostLimits } from "../catalogue/stack-settings";
import { StackTarget } from "./stack-source";
import { renderValue, valueAt } from "./values";
import { computeVerdicts, countVerdicts } from "./verdicts";

/** A program run and what the pack answered for it: everything a stack's report is built from. */
export interface AnalyzedRun {
    target: StackTarget;
    run: ProgramRun;
    options: PlanOptions;
    info: AnalyzerInfo;
    config: EffectivePolicyConfig;
    /** Analyze's answer by resource URN. */
    analyze: Map<string, AnalyzeResult>;
    analyzeStack: AnalyzeResult;
}

/**
 * Dependencies as the report keeps them, each URN once: property dependencies (non-empty lists only), and under
 * `dependencies` only those no property already gives (explicit `dependsOn`, inherited from a parent).
 */
function reportDependencies(r: PlannedResource): Pick<ResourceEntry, "dependencies" | "propertyDependencies"> {
    const propertyDependencies = Object.fromEntries(
        Object.entries(r.propertyDependencies).filter(([, urns]) => urns.length > 0),
    );
    const viaProperty = new Set(Object.values(propertyDependencies).flat());
    return { dependencies: r.dependencies.filter((u) => !viaProperty.has(u)), propertyDependencies };
}

function toEntry(r: PlannedResource, labels: ReadonlyMap<string, string>): ResourceEntry {
    const render = (v: unknown) => renderValue(v, labels);
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent ?? null,
        custom: r.custom,
        inputs: render(r.inputs) as Record<string, unknown>,
        keyInputs: keyInputsOf(r.type, r.inputs, render, valueAt),
        protect: r.protect,
        ...reportDependencies(r),
    };
}

/** A program's `costLimits` stack output, when it has the report's shape (a preview leaves outputs unresolved). */
function costLimitsOutput(v: unknown): StackCostLimits | null {
    const o = v as Partial<StackCostLimits> | undefined;
    return o &&
        (o.enforcedBy === "gateway" || o.enforcedBy === "budget-alerts-only") &&
        typeof o.budget === "object" &&
        o.gateway !== undefined
        ? (o as StackCostLimits)
        : null;
}

export function stackReport({ target, run, options, info, config, analyze, analyzeStack }: AnalyzedRun): StackReport {
    const analyzable = run.resources.filter((r) => !r.type.startsWith("pulumi:providers:"));
    const metadata = loadPolicyMetadata(options.packDir);
    const labels = placeholderLabels(run.invokes);
    const stackUrn =
        run.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ??
        `urn:pulumi:${target.stack}::${target.project}::pulumi:pulumi:Stack::${target.project}-${target.stack}`;
    const { verdicts, violations } = computeVerdicts({
        policies: info.policies,
        metadata,
        config,
        resources: analyzable,
        stackUrn,
        analyze,
        analyzeStack,
    });
    const levelOf = (name: string) => config[name]?.enforcementLevel ?? "advisory";
    const stackTypes = new Set(run.resources.map((r) => r.type));
    const mandatoryNotEvaluated = verdicts.filter(
        (v) =>
            v.verdict === "not-evaluated" &&
            levelOf(v.policyName) !== "advisory" &&
            levelOf(v.policyName) !== "disabled",
    ).length;
    const mandatoryViolations = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return {
        stack: target.stack,
        project: target.project,
        profile: target.profile ?? null,
        environment: target.environment ?? null,
        mode: options.preview ? "preview" : "update",
        strict: target.strict,
        source: {
            kind: target.sourceKind,
            file: target.sourceFile,
            ...(target.keyLines ? { keyLines: target.keyLines } : {}),
            ...(target.sourceKind === "program" ? { resourceLines: programResourceLines(run.resources) } : {}),
        },
        policyPack: { name: info.name, version: info.version },
        policyConfig: target.policyConfigPath
            ? path.relative(process.cwd(), target.policyConfigPath) || target.policyConfigPath
            : null,
        resources: run.resources.map((r) => toEntry(r, labels)),
        violations,
        verdicts,
        policies: info.policies.map((p) => ({
            name: p.name,
            description: p.description,
            type: p.type,
            enforcementLevel: levelOf(p.name),
            defaultEnforcementLevel: p.enforcementLevel,
            severity: p.severity ?? null,
            remediation: p.remediationSteps ?? null,
            url: metadata[p.name]?.url ?? p.url ?? null,
            // The types of this stack's resources the policy judges: the location rule concerns every type that takes a
            // location (over a thousand), which would fill every report with the SDK's catalogue.
            concerns: (metadata[p.name]?.concerns ?? []).filter((t) => stackTypes.has(t)),
            nonExemptable: metadata[p.name]?.nonExemptable ?? false,
            counts: countVerdicts(verdicts.filter((v) => v.policyName === p.name)),
        })),
        counts: countVerdicts(verdicts),
        result: {
            mandatoryViolations,
            advisoryViolations: violations.length - mandatoryViolations,
            mandatoryNotEvaluated,
            confirmedWithKnownValues: 0,
            failed: mandatoryViolations > 0 || (target.strict && mandatoryNotEvaluated > 0),
        },
        costLimits: target.costLimits ?? costLimitsOutput(run.outputs.costLimits),
    };
}
