/** Types for preview-summary.js. */
export interface PolicyViolation {
    policy: string;
    pack: string;
    level: string;
    resource: string;
    message: string;
}
export interface PreviewSummary {
    stack: string;
    outcome: string;
    changes: Record<string, number>;
    complete: boolean;
    violations: PolicyViolation[];
    violationCount: number;
    errors: number;
}
export function summarize(text: string, args: { stack: string; outcome: string }): PreviewSummary;
export function parseArgs(argv: string[]): { stack: string; outcome: string; events: string; out: string };
export function main(argv: string[]): void;
