/** Types for deploy-permissions.js. */
export interface PlannedLike {
    urn: string;
    type: string;
    custom: boolean;
    id?: string;
    inputs: Record<string, unknown>;
}
export interface RequiredAction {
    action: string;
    target: string;
    inStack: boolean;
    from: string;
}
export function requiredActions(resources: PlannedLike[]): RequiredAction[];
export const VERBS: string[];
export const POLLING: Record<string, string[]>;
