/**
 * Markdown for a pull-request comment, one document per stack. It opens with a hidden marker naming project and
 * stack (a workflow finds and updates that stack's comment in place) and puts every verdict before the resource
 * tree, so that when a comment is too long it is the tree that gets trimmed, never the verdicts.
 */
import { PlanReport, StackReport } from "./model";
import { catalogueLine, costLimitRows, countsLine, keyInputsLine, resourceTree, resultLine, shortUrn } from "./common";
import { renderMermaid } from "./mermaid";

/** GitHub refuses comments over 65,536 characters; keep a margin. */
export const commentLimit = 60000;

export function markerFor(project: string, stack: string): string {
    return `<!-- azure-openai-plan: project=${project} stack=${stack} -->`;
}

/** True when a comment body belongs to exactly this project and stack (never to `eu-prod-2` for `eu-prod`). */
export function isCommentFor(body: string, project: string, stack: string): boolean {
    return body.split("\n", 1)[0].trim() === markerFor(project, stack);
}

const cell = (t: string) => t.replace(/\|/g, "\\|").replace(/\n/g, "<br>");

function verdictSections(s: StackReport): string[] {
    const out: string[] = [];
    out.push(`**${resultLine(s)}**`, "", `Verdicts: ${countsLine(s.counts)}.`, "");
    if (s.violations.length) {
        out.push(
            "#### Violations",
            "",
            "| Level | Policy | Resource | Message | Remediation |",
            "|---|---|---|---|---|",
        );
        for (const v of s.violations)
            out.push(
                `| ${v.enforcementLevel} | \`${v.policyName}\` | \`${cell(shortUrn(v.urn))}\` | ${cell(v.message)} | ${cell(v.remediation ?? "")} |`,
            );
        out.push("");
    }
    const notEvaluated = s.verdicts.filter((v) => v.verdict === "not-evaluated");
    if (notEvaluated.length) {
        out.push("#### Not evaluated (a value was unknown)", "", "| Level | Policy | Resource |", "|---|---|---|");
        for (const v of notEvaluated)
            out.push(`| ${v.enforcementLevel} | \`${v.policyName}\` | \`${cell(shortUrn(v.urn))}\` |`);
        out.push("");
    }
    const exempted = s.verdicts.filter((v) => v.verdict === "exempted");
    if (exempted.length) {
        out.push(
            "#### Exemptions applied",
            "",
            "| Policy | Resource | Exemption | Reason | Owner | Ticket | Expires |",
            "|---|---|---|---|---|---|---|",
        );
        for (const v of exempted) {
            const e = v.exemption;
            out.push(
                `| \`${v.policyName}\` | \`${cell(shortUrn(v.urn))}\` | ${cell(e?.exemptionId ?? "")} | ${cell(e?.reason ?? v.message ?? "")} | ${cell(e?.owner ?? "")} | ${cell(e?.ticket ?? "")} | ${e?.expires ?? ""} |`,
            );
        }
        out.push("");
    }
    const limits = costLimitRows(s);
    if (limits) {
        out.push(`#### ${limits.heading}`, "");
        if (limits.rows.length > 0) {
            out.push(`| ${limits.rows[0].join(" | ")} |`, `|${limits.rows[0].map(() => "---").join("|")}|`);
            for (const row of limits.rows.slice(1)) out.push(`| ${row.join(" | ")} |`);
            out.push("");
        }
        out.push(limits.note, "");
    }
    out.push(
        "#### Policies and effective enforcement levels",
        "",
        "| Policy | Level | Default | Passed | Violated | Not applicable | Not evaluated | Exempted |",
        "|---|---|---|---|---|---|---|---|",
    );
    for (const p of s.policies) {
        const c = p.counts;
        out.push(
            `| \`${p.name}\`${p.nonExemptable ? " (non-exemptable)" : ""} | ${p.enforcementLevel} | ${p.defaultEnforcementLevel} | ${c.passed} | ${c.violated} | ${c["not-applicable"]} | ${c["not-evaluated"]} | ${c.exempted} |`,
        );
    }
    out.push("");
    return out;
}

export function renderStackMarkdown(s: StackReport, limit = commentLimit): string {
    const head = [
        markerFor(s.project, s.stack),
        `### Offline plan: \`${s.stack}\``,
        "",
        `${catalogueLine()}.`,
        "",
        `Project \`${s.project}\` · profile \`${s.profile ?? "none (pack baseline)"}\` · ${s.environment ?? "environment unknown"} · ${s.mode}${s.strict ? " · strict" : ""} · pack \`${s.policyPack.name}@${s.policyPack.version}\` · policy config \`${s.policyConfig ?? "none"}\``,
        "",
        ...verdictSections(s),
        "#### Architecture",
        "",
        "```mermaid",
        renderMermaid(s),
        "```",
        "",
    ].join("\n");
    const treeLines = resourceTree(s).map(({ resource: r, depth }) => {
        const inputs = keyInputsLine(r);
        return `${"  ".repeat(depth)}- \`${r.type}\` **${r.name}**${r.protect ? " 🔒" : ""}${inputs ? ` — ${cell(inputs)}` : ""}`;
    });
    const open = `<details><summary>Resources (${s.resources.length})</summary>\n\n`;
    const close = "\n\n</details>\n";
    let tree = treeLines.join("\n");
    const room = limit - head.length - open.length - close.length;
    if (tree.length > room) {
        const kept: string[] = [];
        let size = 0;
        for (const line of treeLines) {
            if (size + line.length + 200 > room) break;
            kept.push(line);
            size += line.length + 1;
        }
        tree = `${kept.join("\n")}\n\n_Tree trimmed to fit a comment: ${treeLines.length - kept.length} more resources; run \`npm run plan -- --stack ${s.stack}\` for all._`;
    }
    return `${head}${open}${tree}${close}`;
}

/** All stacks, each its own marked document separated by a rule (a workflow posts one comment per stack). */
export function renderMarkdown(report: PlanReport): string {
    return report.stacks.map((s) => renderStackMarkdown(s)).join("\n---\n\n");
}
