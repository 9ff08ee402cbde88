/**
 * The program line a `--program` plan's finding is located at, so code scanning marks the `new` a program author
 * edits: the line that constructs the resource, else the line that constructs its nearest ancestor with one (a
 * component whose child was constructed with no frame of the program on the stack).
 */
import type { PlannedResource } from "../program-run";
import { StackReport } from "./model";

/** Each resource's construction line in the program (URN to line), for the resources that have one. */
export function programResourceLines(resources: PlannedResource[]): Record<string, number> {
    return Object.fromEntries(resources.flatMap((r) => (r.programLine ? [[r.urn, r.programLine]] : [])));
}

/** The program line of a finding on `urn`, and the ancestor it was taken from when not the resource's own. */
export function programLine(s: StackReport, urn: string): { line: number; ancestor?: string } | undefined {
    const lines = s.source.resourceLines ?? {};
    const parents = new Map(s.resources.map((r) => [r.urn, r.parent]));
    const seen = new Set<string>();
    for (let u: string | null | undefined = urn; u && !seen.has(u); u = parents.get(u)) {
        seen.add(u);
        if (lines[u] !== undefined) return u === urn ? { line: lines[u] } : { line: lines[u], ancestor: u };
    }
    return undefined;
}
