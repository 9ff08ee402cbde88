/** Types for rules-check.js. */
import type { Finding, Rules } from "./rules-diff";
export interface JudgementGroup {
    policyConfig?: string;
    profile: string;
    stacks: string[];
}
export interface StackJudgement {
    stack: string;
    profile: string;
    mandatoryViolations?: number;
    failed?: boolean;
    violations?: { policy: string; resource: string; message: string }[];
    error?: string;
}
export interface Review {
    user: { login: string } | null;
    state: string;
    commit_id: string;
}
export function judgementPlan(base: Rules, head: Rules, baseRoot: string): JudgementGroup[];
export function judgeWithBase(groups: JudgementGroup[], baseRoot: string, headRoot: string): StackJudgement[];
export function approvalOf(
    reviews: Review[],
    owners: string[],
    headSha: string,
): { approved: boolean; approvers: string[]; stale: string[] };
export function renderVerdict(args: {
    passed: boolean;
    findings: Finding[];
    judgement: StackJudgement[];
    approval?: { approved: boolean; approvers: string[]; stale: string[] };
    owners: string[];
    baseSha?: string;
    headSha?: string;
    errors: string[];
}): string;
export function main(argv: string[], env: Record<string, string | undefined>): Promise<number>;
