/** Types for deletion-locks.js. */
export interface LockInfo {
    urn: string;
    id: string;
    scope: string;
    level: "CanNotDelete" | "ReadOnly";
    op: string;
}
export interface LockedDeletion {
    urn: string;
    id: string;
    op: string;
    armType: string;
    why: string;
    lockScopes: string[];
}
export interface RefusedDeletion {
    urn: string;
    id: string;
    armType: string;
    reason: string;
}
export interface LockLiftPlan {
    lift: boolean;
    locks: LockInfo[];
    lockedDeletions: LockedDeletion[];
    refused: RefusedDeletion[];
    locksRemoved: { urn: string; id: string }[];
}
export const DAY2_DELETIONS: Record<string, string>;
export function lockLiftPlan(preview: unknown): LockLiftPlan;
export function describe(plan: LockLiftPlan): string;
export function main(argv: string[]): number;
