/** Types for pr-comment.js (plain JavaScript, run by the comment jobs). */
import type { PreviewSummary } from "./preview-summary";
export interface IssueComment {
    id: number;
    body?: string;
    user?: { login: string } | null;
}
export function previewMarker(project: string, stack: string): string;
export function rulesMarker(project: string): string;
export function findMarkedComment<T extends IssueComment>(comments: T[], marker: string, author: string): T | undefined;
export function renderPreviewComment(args: {
    project: string;
    summary: PreviewSummary;
    runUrl?: string;
    sha?: string;
}): string;
export function renderRulesComment(args: { project: string; markdown: string }): string;
export function validateSummary(summary: unknown): PreviewSummary;
export function cell(value: unknown, max?: number): string;
export function parseArgs(argv: string[]): {
    kind: "preview" | "rules";
    stack?: string;
    summary?: string;
    file?: string;
};
export function main(argv: string[], env: Record<string, string | undefined>): Promise<void>;
