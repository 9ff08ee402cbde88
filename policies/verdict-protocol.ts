/**
 * How the pack's answers over the analyzer protocol map to verdicts, shared by the pack (which writes them)
 * and the offline plan (which reads them). The protocol itself only carries diagnostics and not-applicable
 * reasons; these conventions carry the rest without breaking `pulumi preview --policy-pack`.
 *
 * - violated:        a diagnostic (mandatory or advisory) that is none of the below.
 * - not-evaluated:   a diagnostic whose message starts with the SDK's "can't run policy" (a value it needed was
 *                    unknown, e.g. an id in preview). Policies signal it by throwing `UnknownValueError`.
 * - exempted:        a not-applicable reason (resource policies) or an advisory diagnostic of the
 *                    `exemptionsAppliedPolicy` (stack policies) starting with `exemptedPrefix`.
 * - not-applicable:  any other not-applicable reason.
 * - passed:          a policy that concerns the resource and said none of the above.
 */
/** `azure-native:cognitiveservices/v20250601:Account` is the same resource as `azure-native:cognitiveservices:Account`. */
export function canonicalType(type: string): string {
    return type.replace(/^(azure-native:[a-zA-Z]+)\/v[0-9a-z]+:/, "$1:");
}

export type Verdict = "passed" | "violated" | "not-applicable" | "not-evaluated" | "exempted";
export const verdicts: readonly Verdict[] = ["passed", "violated", "not-applicable", "not-evaluated", "exempted"];

/** Prefix of the SDK's message when a policy read an unknown value (@pulumi/policy server.js). */
export const notEvaluatedPrefix = "can't run policy";
export const exemptedPrefix = "exempted:";
/** Advisory stack policy that reports, per resource, the findings of stack policies that an exemption covered. */
export const exemptionsAppliedPolicy = "azure-openai-exemptions-applied";

export interface ExemptionNotice {
    exemptionId: string;
    policyName: string;
    reason: string;
    owner: string;
    ticket: string;
    expires: string;
}

/** `exempted: <id> <policy>: <reason> (owner <owner>, ticket <ticket>, expires <yyyy-mm-dd>)` */
export function formatExemption(n: ExemptionNotice): string {
    return `${exemptedPrefix} ${n.exemptionId} ${n.policyName}: ${n.reason} (owner ${n.owner}, ticket ${n.ticket}, expires ${n.expires})`;
}

export function parseExemption(text: string): ExemptionNotice | undefined {
    const m = /^exempted: (\S+) (\S+): (.*) \(owner (.*), ticket (.*), expires (\d{4}-\d{2}-\d{2})\)$/s.exec(
        text.trim(),
    );
    return m
        ? { exemptionId: m[1], policyName: m[2], reason: m[3], owner: m[4], ticket: m[5], expires: m[6] }
        : undefined;
}

export function isNotEvaluated(message: string): boolean {
    return message.startsWith(notEvaluatedPrefix);
}

/** What every policy of the pack declares beyond what @pulumi/policy knows (see policies/all.ts). */
export interface PolicyMetadata {
    /** Pulumi type tokens of the resources the policy judges: one verdict per such resource. */
    concerns: string[];
    /** A rule no exemption can cover (public network access, local auth, Global SKUs under residency profiles). */
    nonExemptable?: boolean;
    /** Where others have the same rule: MCSB control, Azure Policy definition id, Checkov id, PSRule rule. */
    anchors?: { mcsb?: string; azurePolicy?: string; checkov?: string; psrule?: string };
    /** Documentation link for the rule (SARIF helpUri). */
    url?: string;
}
