/** Types for rules-diff.js. */
export interface PackPolicyRules {
    level: string;
    nonExemptable: boolean;
    defaults: Record<string, unknown>;
}
export interface ExemptionRule {
    id: string;
    policy: string;
    stack: string;
    target: string;
    expires: string;
    where: string;
}
export interface StackRules {
    profile?: string;
    environment?: string;
    deletionLocks: string;
}
export interface Rules {
    pack: Record<string, PackPolicyRules>;
    configs: Record<string, Record<string, unknown>>;
    exemptions: ExemptionRule[];
    stacks: Record<string, StackRules>;
}
export interface Finding {
    kind: string;
    subject: string;
    detail: string;
}
export const LEVEL_RANK: Record<string, number>;
export const VALUE_ORDER: Record<string, string>;
export function relaxation(kind: string, base: unknown, head: unknown): string | undefined;
export function loadRules(root: string, project: string): Rules;
export function loadPack(root: string): Record<string, PackPolicyRules>;
export function diffRules(base: Rules, head: Rules): Finding[];
export function entryOf(
    config: Record<string, unknown>,
    policy: string,
): { level?: string; props: Record<string, unknown> };
