/** Types for environment-check.js. */
import type { StackEntry } from "./stack-matrix";
export interface EnvironmentRequirement {
    reviewers: boolean;
    refs: { name: string; type: "branch" | "tag" }[] | null;
}
export const PIPELINE_ENVIRONMENTS: Record<string, EnvironmentRequirement>;
export function requirements(stacks: StackEntry[]): Record<string, EnvironmentRequirement>;
export function check(name: string, req: EnvironmentRequirement, env: unknown, branchPolicies: unknown[]): string[];
export function main(
    env: Record<string, string | undefined>,
    repoRoot?: string,
): Promise<{ checked: string[]; problems: string[] }>;
