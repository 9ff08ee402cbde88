/** Text report for a terminal: summary line first, then violations, checks that could not run, exemptions, the tree. */
import { PlanReport, StackReport } from "./model";
import {
    catalogueLine,
    costLimitRows,
    countsLine,
    keyInputsLine,
    policyLines,
    resourceTree,
    resultLine,
    shortUrn,
    stackHeading,
} from "./common";

function renderStack(s: StackReport): string {
    const lines: string[] = [];
    lines.push(stackHeading(s));
    lines.push(`  Verdicts: ${countsLine(s.counts)}. ${resultLine(s)}`);
    lines.push(
        `  Policy pack ${s.policyPack.name}@${s.policyPack.version}, config ${s.policyConfig ?? "none (pack defaults)"}`,
    );
    lines.push(`  ${catalogueLine()}`);
    lines.push("", `  Policies (${s.policies.length}):`, ...policyLines(s).map((l) => `    ${l}`));
    const limits = costLimitRows(s);
    if (limits) {
        lines.push(`  ${limits.heading}:`);
        for (const row of limits.rows.slice(1))
            lines.push(
                `    ${row[0]}: ${limits.rows[0]
                    .slice(1)
                    .map((h, i) => `${row[i + 1]} ${h}`)
                    .filter((x) => !x.startsWith("-"))
                    .join(", ")}`,
            );
        lines.push(`    ${limits.note}`);
    }
    if (s.violations.length) {
        lines.push("", "  Violations:");
        for (const v of s.violations) {
            lines.push(`    [${v.enforcementLevel}] ${v.policyName}  ${shortUrn(v.urn)}`);
            lines.push(`        ${v.message.replace(/\n/g, "\n        ")}`);
            if (v.remediation) lines.push(`        remediation: ${v.remediation}`);
        }
    }
    const notEvaluated = s.verdicts.filter((v) => v.verdict === "not-evaluated");
    if (notEvaluated.length) {
        lines.push("", "  Not evaluated (a value was unknown):");
        for (const v of notEvaluated) lines.push(`    [${v.enforcementLevel}] ${v.policyName}  ${shortUrn(v.urn)}`);
    }
    const exempted = s.verdicts.filter((v) => v.verdict === "exempted");
    if (exempted.length) {
        lines.push("", "  Exempted:");
        for (const v of exempted) {
            const e = v.exemption;
            lines.push(
                `    ${v.policyName}  ${shortUrn(v.urn)}${e ? `  ${e.exemptionId}: ${e.reason} (owner ${e.owner}, ticket ${e.ticket}, expires ${e.expires})` : ""}`,
            );
        }
    }
    lines.push("", `  Resources (${s.resources.length}):`);
    for (const { resource: r, depth } of resourceTree(s)) {
        const inputs = keyInputsLine(r);
        lines.push(
            `  ${"  ".repeat(depth + 1)}${r.type}  ${r.name}${r.protect ? "  [protected]" : ""}${inputs ? `  {${inputs}}` : ""}`,
        );
    }
    return lines.join("\n");
}

export function renderText(report: PlanReport): string {
    const sum = report.summary;
    const head =
        `Offline plan (${report.mode}): ${sum.stacks} stack${sum.stacks === 1 ? "" : "s"}, ${sum.resources} resources. Verdicts: ${countsLine(sum.counts)}. ` +
        `${sum.mandatoryViolations} mandatory and ${sum.advisoryViolations} advisory findings on ${sum.counts.violated} violated check${sum.counts.violated === 1 ? "" : "s"}; ${sum.failedStacks.length ? `FAILED: ${sum.failedStacks.join(", ")}` : "all stacks pass"}.`;
    return `${[head, ...report.stacks.map(renderStack)].join("\n\n")}\n`;
}
