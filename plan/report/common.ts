/** Pieces the text and markdown reports share. */
import { verdicts } from "../../policies/verdict-protocol";
import { VerdictCounts } from "../verdicts";
import { ResourceEntry, StackReport } from "./model";
import { shortValue } from "../values";
import { modelCatalogueReadOn, pricesAsOf, retirementSource } from "../../catalogue/models";

export function countsLine(c: VerdictCounts): string {
    return verdicts.map((v) => `${c[v]} ${v}`).join(", ");
}

export function resultLine(s: StackReport): string {
    const r = s.result;
    // A violated check (one policy on one resource) can report several findings: both numbers are shown as such.
    const violated = s.counts.violated;
    const parts = [
        `${violated} violated check${violated === 1 ? "" : "s"} with ${r.mandatoryViolations} mandatory and ${r.advisoryViolations} advisory finding${r.mandatoryViolations + r.advisoryViolations === 1 ? "" : "s"}`,
    ];
    if (r.mandatoryNotEvaluated)
        parts.push(`${r.mandatoryNotEvaluated} mandatory not evaluated${s.strict ? " (strict: fails)" : ""}`);
    if (r.confirmedWithKnownValues)
        parts.push(`${r.confirmedWithKnownValues} not evaluable in preview, passed with cloud-computed values known`);
    return `${r.failed ? "FAIL" : "PASS"}: ${parts.join(", ")}`;
}

/** `type::name` of a URN, readable in a line. */
export function shortUrn(urn: string): string {
    const parts = urn.split("::");
    const type = (parts[2] ?? "").split("$").pop() ?? "";
    return `${type}::${parts[3] ?? urn}`;
}

export function keyInputsLine(r: ResourceEntry): string {
    return Object.entries(r.keyInputs)
        .map(([k, v]) => `${k}=${shortValue(v, 60)}`)
        .join(", ");
}

/** Resources as a tree under their parents (components group their children). */
export function resourceTree(s: StackReport): { resource: ResourceEntry; depth: number }[] {
    const children = new Map<string | null, ResourceEntry[]>();
    const urns = new Set(s.resources.map((r) => r.urn));
    for (const r of s.resources) {
        const parent = r.parent && urns.has(r.parent) ? r.parent : null;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const out: { resource: ResourceEntry; depth: number }[] = [];
    const walk = (parent: string | null, depth: number) => {
        for (const r of (children.get(parent) ?? []).sort(
            (a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
        )) {
            out.push({ resource: r, depth });
            walk(r.urn, depth + 1);
        }
    };
    walk(null, 0);
    return out;
}

export function stackHeading(s: StackReport): string {
    const bits = [
        `project ${s.project}`,
        s.profile ? `profile ${s.profile}` : "no profile (pack baseline)",
        s.environment ?? "environment unknown",
        s.mode,
        s.strict ? "strict" : "not strict",
    ];
    return `Stack ${s.stack} (${bits.join(", ")})`;
}

/** One line per policy that ran (disabled ones are listed as such): its level and its non-zero verdict counts. */
export function policyLines(s: StackReport): string[] {
    return s.policies.map((p) => {
        const counts = verdicts
            .filter((v) => p.counts[v] > 0)
            .map((v) => `${p.counts[v]} ${v}`)
            .join(", ");
        return `${p.name} [${p.enforcementLevel}]: ${p.enforcementLevel === "disabled" ? "not run" : counts || "no resource it concerns"}`;
    });
}

/** How old the dated facts behind the plan are (model lifecycle and availability, prices): catalogue/model-catalogue.ts. */
export function catalogueLine(): string {
    return `Model catalogue read ${modelCatalogueReadOn} (lifecycle and availability, ${retirementSource.page}); prices as of ${pricesAsOf}`;
}

const n = (v: number) => v.toLocaleString("en-US");

/** The stack's effective cost limits as rows of [what, per day, per month, per request, per minute], for the text and markdown reports. */
export function costLimitRows(s: StackReport): { heading: string; rows: string[][]; note: string } | undefined {
    const c = s.costLimits;
    if (!c) return undefined;
    const b = c.budget;
    const note = `Budget ${n(b.monthlyAmountUsd)} USD/month (alerts only); worst case at full capacity ${b.worstCaseDailySpendUsd.toFixed(2)} of ${n(b.dailySpendLimitUsd)} USD/day${c.gateway ? `, the gateway's own ${c.gateway.dailyCostUsd.toFixed(2)} USD/day included` : ""}.`;
    if (!c.gateway)
        return { heading: "Cost limits (no gateway: nothing refuses a request; budgets alert only)", rows: [], note };
    const g = c.gateway;
    return {
        heading: `Cost limits (enforced by the gateway; tokens priced at ${g.pricedAt.model}, ${g.pricedAt.usdPer1kTokens} USD/1k tokens)`,
        rows: [
            ["", "per day", "per month", "per request", "per minute"],
            ["USD", n(g.usd.perDay), n(g.usd.perMonth), "-", "-"],
            ["tokens, stack", n(g.tokens.perDay), n(g.tokens.perMonth), n(g.tokens.perRequest), n(g.tokens.perMinute)],
            [
                `tokens, each caller (${g.perCaller.percent} %)`,
                n(g.perCaller.perDay),
                n(g.perCaller.perMonth),
                n(g.tokens.perRequest),
                n(g.perCaller.perMinute),
            ],
        ],
        note,
    };
}
