/**
 * docs/reliability.md, rendered from the corpora of test/reliability/ alone (no stack, profile or run appears in it,
 * so adding a stack changes nothing here). `npm run docs:reliability` writes it; reliability-doc.test.ts fails when
 * the committed file differs. What the corpora claim is proved by `npm test`: every suite named here fails otherwise.
 */
import * as path from "path";
import { badConfigs } from "./bad-configs";
import { plannedConfigsPerProfile } from "./arbitraries";
import { moves, threats } from "./threats";

export const reliabilityDocPath = path.join(__dirname, "..", "..", "docs", "reliability.md");

const cell = (s: string) => s.replace(/\|/g, "\\|");
const short = (type: string) => `\`${type.replace(/^azure-native:/, "").replace(/^azure:/, "classic ")}\``;

export function renderReliabilityDoc(): string {
    const lines = [
        "# Reliability and security proofs",
        "",
        "Written by `npm run docs:reliability` from the corpora in `test/reliability/`; `reliability-doc.test.ts` fails when this file is not current. Every claim below is a test of `npm test` that fails when the claim does not hold, on every committed stack: nothing here is measured or counted by hand.",
        "",
        "## The threat corpus",
        "",
        `\`threats.ts\` lists ${threats.length} things an attacker or a careless engineer does to a landing zone, written from the threat side and not from the pack's own declarations, in ${moves.length} moves; and, instantiated from the plans themselves for every resource type the landing zone places in a region or tags: *placed in a region outside the profile* (\`azure-openai-resource-enforce-allowed-locations\`) and *a required tag removed* (\`azure-openai-resource-require-tags\`). Each names the policy that must catch it.`,
        "",
        "`threat-corpus.test.ts` plans every committed stack in preview (ids unknown) and update (ids known), sends each plan through the real policy pack over the analyzer protocol, applies each threat to one stack's recorded plan (rotating over the stacks, the first it applies to; a role threat to every role assignment of that stack at once, each of which must draw its own finding) and fails unless:",
        "",
        "- the named policy is among the new mandatory findings, in update and in the strict preview plan (a check a preview cannot run fails the strict plan, and update judges it);",
        "- the same policies catch it in both modes;",
        "- every resource type the landing zone creates is weakened by some threat, or is listed in the test as holding no security setting, with the reason;",
        "- the valid stacks raise no mandatory finding in either mode (false positives), and what a preview cannot judge passes with the values known.",
        "",
    ];
    for (const move of moves) {
        lines.push(
            `### ${move[0].toUpperCase()}${move.slice(1)}`,
            "",
            "| Threat | Resource | Input | Must be caught by |",
            "|---|---|---|---|",
        );
        for (const t of threats.filter((x) => x.move === move))
            lines.push(`| ${cell(t.id)} | ${short(t.type)} | \`${cell(t.input)}\` | \`${t.caughtBy}\` |`);
        lines.push("");
    }
    lines.push(
        "## The bad-input corpus",
        "",
        `\`bad-configs.ts\` holds ${badConfigs.length} invalid stack configs, each one named corruption of a committed stack (chosen from the stack's own config and profile, so no entry names a stack). \`bad-configs.test.ts\` proves each is rejected with exactly these key paths, and that the built program registers no resource and calls no invoke with it.`,
        "",
        "| Corruption | Key paths reported |",
        "|---|---|",
        ...badConfigs.map(
            (c) =>
                `| ${cell(c.corruption)} | ${[...c.paths]
                    .sort()
                    .map((p) => `\`${p || "(root)"}\``)
                    .join(", ")} |`,
        ),
        "",
        "## Property tests (fast-check)",
        "",
        `- \`valid-config-plans.test.ts\`: per compliance profile, ${plannedConfigsPerProfile} random configs the generator calls valid (a fixed seed per profile, checked to reach every branch of the generator) are planned by the built program and judged by the real pack with the profile's committed policy config; none may raise a mandatory finding. A failure names the profile, the seed and the config's index.`,
        "- `config-properties.test.ts`: random configs within each profile's rules always validate; every single-field corruption (wrong type, unknown key, missing required key, broken profile rule) of a random valid config is rejected at its path.",
        "",
        "## The other proofs",
        "",
        "| Suite | What it proves |",
        "|---|---|",
        "| `pack-inputs.test.ts` | No hidden input: a pack started with a hostile environment (an old date, another stack, another time zone) describes itself and answers exactly as a clean one; an expired exemption stays expired whatever the environment or a wound-back `today` config says; a pack serving several runs forgets on each ConfigureStack which exemptions the last one used; no module of the pack reads the environment, or the clock outside `policies/exemption/clock.ts`. |",
        "| `replacement-safety.test.ts` | Changing tags, budget, role members, deployment capacity and applications keeps the URN, name, region and kind of every stateful resource (no replacement); production stacks protect the resource group, account, workspace, tables, vault and key and lock account, workspace and vault; non-production stacks do neither; renaming the landing zone with an alias carries its children over. |",
        "| `robustness.test.ts` | Bad stack files (spawned CLI), a program that throws, an invoke without a placeholder and a pack that dies mid-run are exit 2 with one message and no report; resources with missing or odd-typed properties are judged (violations, not a crash); a secret input never reaches the report; the report and outputs of a committed stack hold no secret or key; no source file lists account or workspace keys. |",
        "",
    );
    return lines.join("\n");
}
