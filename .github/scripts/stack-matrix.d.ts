/** Types for stack-matrix.js (plain JavaScript so the pipelines can run it before `npm ci`). */
export interface StackEntry {
    stack: string;
    file: string;
    environment: "prod" | "nonprod";
    profile: string;
    subscriptionId?: string;
}
export interface Rings {
    all: StackEntry[];
    nonprod: StackEntry[];
    prod: StackEntry[];
    canary: StackEntry[];
    production: StackEntry[];
}
export function listStacks(repoRoot: string): StackEntry[];
export function rings(stacks: StackEntry[], canaryName?: string): Rings;
export function readProjectName(repoRoot: string): string;
export const PRODUCTION_NAME_PATTERNS: string[];
