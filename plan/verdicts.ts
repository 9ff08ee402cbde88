/**
 * Turns the pack's answers into one verdict per policy and resource it concerns, following
 * policies/verdict-protocol.ts: passed, violated (with level), not-applicable, not-evaluated or exempted.
 * Nothing is silently a pass: a stack policy that could not run marks every resource it concerns not-evaluated.
 */
import type { AnalyzeResult, Diagnostic, EffectivePolicyConfig, EnforcementLevel, PolicyInfo } from "./analyzer";
import type { MetadataByPolicy } from "./policy-metadata";
import {
    canonicalType,
    exemptedPrefix,
    exemptionsAppliedPolicy,
    ExemptionNotice,
    isNotEvaluated,
    parseExemption,
    Verdict,
    verdicts,
} from "../policies/verdict-protocol";

export type ReportLevel = "mandatory" | "advisory";

export interface VerdictRecord {
    policyName: string;
    urn: string;
    verdict: Verdict;
    /** The level a violation or a not-evaluated check carries (the policy's effective level). */
    enforcementLevel?: ReportLevel;
    message?: string;
    exemption?: ExemptionNotice;
    /** For a preview's not-evaluated check of a strict stack: its verdict once cloud-computed values are known. */
    confirmedWithKnownValues?: Verdict;
}

export interface ViolationRecord {
    policyName: string;
    enforcementLevel: ReportLevel;
    urn: string;
    message: string;
    remediation?: string;
    severity?: string;
}

export type VerdictCounts = Record<Verdict, number>;

export const emptyCounts = (): VerdictCounts => Object.fromEntries(verdicts.map((v) => [v, 0])) as VerdictCounts;

export function countVerdicts(records: VerdictRecord[]): VerdictCounts {
    const c = emptyCounts();
    for (const r of records) c[r.verdict]++;
    return c;
}

export interface VerdictInput {
    policies: PolicyInfo[];
    metadata: MetadataByPolicy;
    config: EffectivePolicyConfig;
    /** Every analyzed resource (urn and type). */
    resources: { urn: string; type: string }[];
    stackUrn: string;
    analyze: Map<string, AnalyzeResult>;
    analyzeStack: AnalyzeResult;
}

export interface VerdictOutput {
    verdicts: VerdictRecord[];
    violations: ViolationRecord[];
}

const sdkTypeFilter = "Policy only applies to resources of type";

export const toReportLevel = (l: EnforcementLevel): ReportLevel => (l === "advisory" ? "advisory" : "mandatory");

/** The SDK prefixes a string violation with the policy's description; the report shows the description apart. */
export function violationText(d: Diagnostic): string {
    const prefix = `${d.description}\n`;
    return (
        (d.description && d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message).trim() ||
        d.description
    );
}

function exemptionIn(text: string): ExemptionNotice | undefined {
    const at = text.indexOf(exemptedPrefix);
    return at < 0 ? undefined : parseExemption(text.slice(at));
}

export function computeVerdicts(input: VerdictInput): VerdictOutput {
    const out: VerdictRecord[] = [];
    const violations: ViolationRecord[] = [];
    const byName = new Map(input.policies.map((p) => [p.name, p]));
    const level = (name: string): EnforcementLevel =>
        input.config[name]?.enforcementLevel ?? byName.get(name)?.enforcementLevel ?? "advisory";
    // A type token with an explicit API version (`azure-native:cognitiveservices/v20250601:Account`) is the same
    // resource as its canonical token, which is what the pack's policies declare and judge.
    const concerned = (p: PolicyInfo) => {
        const concerns = input.metadata[p.name]?.concerns ?? [];
        return concerns.length
            ? input.resources.filter((r) => concerns.includes(r.type) || concerns.includes(canonicalType(r.type)))
            : undefined;
    };
    const addViolation = (d: Diagnostic, urn: string) => {
        const p = byName.get(d.policyName);
        violations.push({
            policyName: d.policyName,
            enforcementLevel: toReportLevel(d.enforcementLevel),
            urn,
            message: violationText(d),
            remediation: p?.remediationSteps,
            severity: d.severity ?? p?.severity,
        });
    };

    for (const p of input.policies) {
        if (p.name === exemptionsAppliedPolicy || level(p.name) === "disabled") continue;
        const effective = toReportLevel(level(p.name));
        if (p.type === "resource") {
            const declared = concerned(p);
            // A diagnostic on a resource outside the declared concerns still gets its verdict: never dropped.
            const targets = declared
                ? [
                      ...declared,
                      ...input.resources.filter(
                          (r) =>
                              !declared.includes(r) &&
                              input.analyze.get(r.urn)?.diagnostics.some((d) => d.policyName === p.name),
                      ),
                  ]
                : input.resources;
            for (const r of targets) {
                const result = input.analyze.get(r.urn);
                if (!result) continue;
                const diags = result.diagnostics.filter((d) => d.policyName === p.name);
                const na = result.notApplicable.find((n) => n.policyName === p.name);
                const notEvaluated = diags.find((d) => isNotEvaluated(d.message));
                const violated = diags.filter((d) => !isNotEvaluated(d.message));
                violated.forEach((d) => addViolation(d, d.urn ?? r.urn));
                if (violated.length) {
                    out.push({
                        policyName: p.name,
                        urn: r.urn,
                        verdict: "violated",
                        enforcementLevel: toReportLevel(violated[0].enforcementLevel),
                        message: violationText(violated[0]),
                    });
                } else if (notEvaluated) {
                    out.push({
                        policyName: p.name,
                        urn: r.urn,
                        verdict: "not-evaluated",
                        enforcementLevel: effective,
                        message: notEvaluated.message,
                    });
                } else if (na) {
                    const exemption = exemptionIn(na.reason);
                    if (exemption)
                        out.push({
                            policyName: p.name,
                            urn: r.urn,
                            verdict: "exempted",
                            message: na.reason,
                            exemption,
                        });
                    else if (!na.reason.startsWith(sdkTypeFilter) || concerned(p))
                        out.push({ policyName: p.name, urn: r.urn, verdict: "not-applicable", message: na.reason });
                } else {
                    out.push({ policyName: p.name, urn: r.urn, verdict: "passed" });
                }
            }
            continue;
        }
        // Stack policy: one verdict per concerned resource (the stack itself when the pack declares no concerns).
        const diags = input.analyzeStack.diagnostics.filter((d) => d.policyName === p.name);
        const couldNotRun = diags.find((d) => isNotEvaluated(d.message) && !d.urn);
        const na = input.analyzeStack.notApplicable.find((n) => n.policyName === p.name);
        const exemptions = input.analyzeStack.diagnostics.filter(
            (d) => d.policyName === exemptionsAppliedPolicy && d.urn && exemptionIn(d.message)?.policyName === p.name,
        );
        const targets = concerned(p) ?? [{ urn: input.stackUrn, type: "pulumi:pulumi:Stack" }];
        const urns = new Set(targets.map((t) => t.urn));
        for (const d of diags) {
            if (isNotEvaluated(d.message)) continue;
            addViolation(d, d.urn ?? input.stackUrn);
            // A finding on a resource outside the declared concerns still gets its verdict.
            if (d.urn && !urns.has(d.urn)) {
                urns.add(d.urn);
                targets.push({ urn: d.urn, type: "" });
            }
        }
        for (const t of targets) {
            const mine = diags.filter((d) => (d.urn ?? input.stackUrn) === t.urn);
            const violated = mine.filter((d) => !isNotEvaluated(d.message));
            const notEvaluated = mine.find((d) => isNotEvaluated(d.message)) ?? couldNotRun;
            const exemption = exemptions.find((d) => d.urn === t.urn);
            if (violated.length) {
                out.push({
                    policyName: p.name,
                    urn: t.urn,
                    verdict: "violated",
                    enforcementLevel: toReportLevel(violated[0].enforcementLevel),
                    message: violationText(violated[0]),
                });
            } else if (exemption) {
                out.push({
                    policyName: p.name,
                    urn: t.urn,
                    verdict: "exempted",
                    message: violationText(exemption),
                    exemption: exemptionIn(exemption.message),
                });
            } else if (notEvaluated) {
                out.push({
                    policyName: p.name,
                    urn: t.urn,
                    verdict: "not-evaluated",
                    enforcementLevel: effective,
                    message: notEvaluated.message,
                });
            } else if (na) {
                out.push({ policyName: p.name, urn: t.urn, verdict: "not-applicable", message: na.reason });
            } else {
                out.push({ policyName: p.name, urn: t.urn, verdict: "passed" });
            }
        }
        // Stack-level findings (no urn) that are not on any concerned resource: already recorded as violations above.
        if (diags.some((d) => !d.urn && !isNotEvaluated(d.message)) && !urns.has(input.stackUrn)) {
            const d = diags.find((x) => !x.urn && !isNotEvaluated(x.message))!;
            out.push({
                policyName: p.name,
                urn: input.stackUrn,
                verdict: "violated",
                enforcementLevel: toReportLevel(d.enforcementLevel),
                message: violationText(d),
            });
        }
    }
    return { verdicts: out, violations };
}
