/** Types for pr-comment.js (plain JavaScript, run by the preview workflow). */
export interface IssueComment {
    id: number;
    body?: string;
    user?: { login: string } | null;
}
export function previewMarker(project: string, stack: string): string;
export function findMarkedComment<T extends IssueComment>(comments: T[], marker: string, author: string): T | undefined;
export function renderComment(args: { project: string; stack: string; outcome: string; output: string; runUrl?: string; sha?: string }): string;
export function truncateOutput(output: string, max?: number): string;
export function parseArgs(argv: string[]): { stack: string; outcome: string; file: string };
export function main(argv: string[], env: Record<string, string | undefined>): Promise<void>;
