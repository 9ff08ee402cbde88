/**
 * The mutation matrix: every committed stack is planned once per mode (preview: ids unknown; update: ids known) and
 * sent through the real pack; then every weakening operator is applied to the recorded plan and each mutant must be
 * caught by a mandatory violation that the valid stack does not have, with the same policies in both modes.
 * One pack process for the whole file. The matrix and its score are written to docs/reliability.md.
 */
import * as fs from "fs";
import * as path from "path";
import { badConfigs, badRawConfig } from "./bad-configs";
import { StackConfigError, validateStackConfig } from "../../infra/config";
import type { ProgramRun } from "../../plan/mock-runtime";
import { rawStackConfig, stackNames } from "../support/stacks";
import { assertBuilt, repoRoot, runStack } from "../support/dist";
import { Evaluation, Finding, PackSession } from "./support/pack";
import { mutate, Mutant, Operator, operators, StackContext } from "./mutants";
import * as fc from "fast-check";
import { validConfig } from "./arbitraries";

type Mode = "preview" | "update";
const modes: Mode[] = ["preview", "update"];

interface MutantResult {
    operator: Operator;
    stack: string;
    /** Mandatory violations the valid stack does not have, per mode: "policy" names. */
    caughtBy: Record<Mode, string[]>;
    /** Every mandatory policy not evaluated on the mutant in preview (baseline included): the plan confirms these in update mode. */
    pendingInPreview?: string[];
    /** Mandatory checks that could not judge the mutant, per mode (a preview blind spot if only in preview). */
    notEvaluated: Record<Mode, string[]>;
}

const key = (f: Finding) => `${f.policy} ${f.urn}`;
const mandatory = (e: Evaluation) => e.findings.filter((f) => f.level === "mandatory");

let pack: PackSession;
const contexts: Record<string, StackContext> = {};
const runs: Record<string, Record<Mode, ProgramRun>> = {};
const baselines: Record<string, Record<Mode, Evaluation>> = {};
let ops: Operator[] = [];
const results: MutantResult[] = [];
let concernedTypes: string[] = [];
/** Random valid configs (fixed seed), planned and judged like the committed stacks. */
const randomStacks: { raw: Record<string, unknown>; evaluation: Evaluation }[] = [];

beforeAll(async () => {
    assertBuilt();
    pack = await PackSession.start();
    for (const stack of stackNames()) {
        const raw = rawStackConfig(stack);
        contexts[stack] = { stack, profile: String(raw.profile), prod: raw.environment === "prod" };
        runs[stack] = { preview: await runStack(stack, raw, true), update: await runStack(stack, raw, false) };
    }
    // The weakening vocabulary is completed from the pack's own declarations: every type its policies concern that
    // carries a location or tags in some plan gets the region and tag operators.
    // The location rule concerns every type that takes a location (generated from the SDKs): of those, the types the
    // stacks plan get the region operator; every other rule's declared concerns must each get a weakening.
    const planned = Object.values(runs).flatMap((r) => r.update.resources);
    const plannedTypes = new Set(planned.map((r) => r.type));
    concernedTypes = [...new Set(Object.entries(pack.metadata).flatMap(([name, m]) => (name === "azure-openai-resource-enforce-allowed-locations" ? m.concerns.filter((t) => plannedTypes.has(t)) : m.concerns)))].sort();
    const withInput = (input: string) => concernedTypes.filter((t) => planned.some((r) => r.type === t && r.inputs[input] !== undefined && (input !== "location" || String(r.inputs.location).toLowerCase() !== "global")));
    ops = operators(withInput("location"), withInput("tags"));

    const stacks = stackNames();
    const mutants: { mode: Mode; mutant: Mutant; index: number }[] = [];
    ops.forEach((op, index) => {
        // Each operator on one stack, rotating, so that every stack and profile is mutated; the first stack it applies to.
        for (let k = 0; k < stacks.length; k++) {
            const stack = stacks[(index + k) % stacks.length];
            const both = modes.map((mode) => mutate(op, runs[stack][mode], contexts[stack]));
            if (both.every((m) => m !== undefined)) {
                modes.forEach((mode, i) => mutants.push({ mode, mutant: both[i]!, index }));
                return;
            }
        }
    });
    // Grouped by stack and mode: the pack is reconfigured only when they change.
    const order = (m: { mode: Mode; mutant: Mutant }) => `${m.mutant.stack}/${m.mode}`;
    for (const group of [...new Set(mutants.map(order))].sort()) {
        const [stack, mode] = group.split("/") as [string, Mode];
        await pack.use(stack, contexts[stack].profile, mode === "preview");
        (baselines[stack] ??= {} as Record<Mode, Evaluation>)[mode] = await pack.evaluate(runs[stack][mode]);
        for (const { mutant, index } of mutants.filter((m) => order(m) === group)) {
            const result = (results[index] ??= { operator: mutant.operator, stack, caughtBy: { preview: [], update: [] }, notEvaluated: { preview: [], update: [] } });
            if (mutant.unmutable) {
                result.notEvaluated[mode] = [`input unknown in ${mode}`];
                // The input cannot even be weakened where it is unknown: the strict plan judges it with values known.
                if (mode === "preview") result.pendingInPreview = [...new Set(baselines[stack][mode].notEvaluated.map((f) => f.policy))].sort();
                continue;
            }
            const evaluation = await pack.evaluate({ stack, resources: mutant.resources });
            const before = new Set(mandatory(baselines[stack][mode]).map(key));
            const beforeNe = new Set(baselines[stack][mode].notEvaluated.map(key));
            result.caughtBy[mode] = [...new Set(mandatory(evaluation).filter((f) => !before.has(key(f))).map((f) => f.policy))].sort();
            result.notEvaluated[mode] = [...new Set(evaluation.notEvaluated.filter((f) => !beforeNe.has(key(f))).map((f) => f.policy))].sort();
            if (mode === "preview") result.pendingInPreview = [...new Set(evaluation.notEvaluated.map((f) => f.policy))].sort();
        }
    }
    for (const stack of stacks) {
        for (const mode of modes) {
            if (!baselines[stack]?.[mode]) {
                await pack.use(stack, contexts[stack].profile, mode === "preview");
                (baselines[stack] ??= {} as Record<Mode, Evaluation>)[mode] = await pack.evaluate(runs[stack][mode]);
            }
        }
    }
    // A few random valid configs, one per profile, planned in update mode with their profile's pack config.
    const samples = fc.sample(fc.constantFrom("eu-gdpr", "us-hipaa", "au-irap").chain((p) => validConfig(p).map((raw) => raw)), { numRuns: 3, seed: 4711 });
    for (const [i, raw] of samples.entries()) {
        const stack = `random-${i}-${raw.environment === "prod" ? "prod" : "dev"}`;
        const run = await runStack(stack, raw, false);
        await pack.use(stack, String(raw.profile), false);
        randomStacks.push({ raw, evaluation: await pack.evaluate(run) });
    }
}, 180000);

afterAll(async () => {
    await pack?.close();
});

describe("valid stacks (false positives)", () => {
    it.each(stackNames().flatMap((s) => modes.map((m) => [s, m] as const)))("%s in %s mode has no mandatory violation", (stack, mode) => {
        expect(mandatory(baselines[stack][mode]).map((f) => `${f.policy} on ${f.urn.split("::").pop()}: ${f.message}`)).toEqual([]);
    });

    // A preview cannot judge what depends on values Azure computes on first deploy (the CMK stacks' account
    // properties); the strict plan re-runs those checks with the values known and fails unless they pass there.
    it.each(stackNames())("%s: every mandatory check a preview cannot judge passes with cloud-computed values known", (stack) => {
        const update = baselines[stack].update;
        const unresolved = baselines[stack].preview.notEvaluated.filter((f) => update.notEvaluated.some((u) => key(u) === key(f)) || mandatory(update).some((u) => key(u) === key(f)));
        expect(unresolved.map((f) => `${f.policy} on ${f.urn.split("::").pop()}`)).toEqual([]);
    });
});

describe("random valid configs (property)", () => {
    it("plan with no mandatory violation", () => {
        expect(randomStacks).toHaveLength(3);
        for (const r of randomStacks) {
            expect({ config: r.raw, violations: mandatory(r.evaluation).map((f) => `${f.policy} on ${f.urn.split("::").pop()}: ${f.message}`) }).toEqual({ config: r.raw, violations: [] });
        }
    });
});

describe("mutation matrix", () => {
    it("covers every resource type the pack's policies concern with at least one weakening", () => {
        const covered = new Set(ops.map((o) => o.type));
        expect(concernedTypes.filter((t) => !covered.has(t))).toEqual([]);
        expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(40);
    });

    it("applies every operator to at least one stack", () => {
        const unused = ops.filter((_, i) => !results[i]).map((o) => `${o.id} (${o.type})`);
        expect(unused).toEqual([]);
    });

    it("catches every mutant with a mandatory violation, the same policies in the strict preview plan and update", () => {
        const misses = results.filter(Boolean).filter((r) => !caughtAlike(r));
        expect(misses.map((r) => `${r.operator.id} on ${r.operator.type} (${r.stack}): preview [${strictPreview(r).join(", ")}] update [${r.caughtBy.update.join(", ")}]`)).toEqual([]);
    });

    it("writes the matrix and its score to docs/reliability.md", () => {
        const doc = renderDoc();
        fs.writeFileSync(path.join(repoRoot, "docs", "reliability.md"), doc);
        expect(doc).toContain("| Weakening |");
    });
});

/** What the strict preview plan fails a mutant on: preview violations, plus not-evaluated checks that fail once values are known. */
function strictPreview(r: MutantResult): string[] {
    return [...new Set([...r.caughtBy.preview, ...(r.pendingInPreview ?? []).filter((p) => r.caughtBy.update.includes(p))])].sort();
}

function caughtAlike(r: MutantResult): boolean {
    const preview = strictPreview(r);
    return preview.length > 0 && r.caughtBy.update.length > 0 && preview.join() === r.caughtBy.update.join();
}

function corpusFigures(): { total: number; rejected: number } {
    const rejected = badConfigs.filter((c) => {
        try {
            validateStackConfig(c.stack, badRawConfig(c));
            return false;
        } catch (e) {
            return e instanceof StackConfigError;
        }
    }).length;
    return { total: badConfigs.length, rejected };
}

function renderDoc(): string {
    const rows = results.filter(Boolean);
    const caught = rows.filter(caughtAlike);
    const score = rows.length ? Math.round((caught.length / rows.length) * 1000) / 10 : 0;
    const corpus = corpusFigures();
    const falsePositives = stackNames().flatMap((s) => modes.map((m) => mandatory(baselines[s][m]).length)).reduce((a, b) => a + b, 0);
    const randomFalsePositives = randomStacks.reduce((n, r) => n + mandatory(r.evaluation).length, 0);
    const previewBlind = stackNames().reduce((n, s) => n + baselines[s].preview.notEvaluated.length, 0);
    const short = (t: string) => t.replace(/^azure-native:/, "").replace(/^azure:/, "classic ");
    const lines = [
        "# Reliability and security proofs",
        "",
        "Figures measured by the test suite (`test/reliability/`, part of `npm test`); this file is written by `test/reliability/mutation-matrix.test.ts`.",
        "",
        "## Figures",
        "",
        "| Figure | Value |",
        "|---|---|",
        `| Invalid stack configs rejected (bad-input corpus, each with its exact key paths, no resource registered) | ${corpus.rejected} / ${corpus.total} |`,
        `| Mutants caught by a mandatory violation, same policies in preview and update | ${caught.length} / ${rows.length} (${score} %) |`,
        `| False positives: mandatory violations on the ${stackNames().length} valid stacks, preview + update | ${falsePositives} |`,
        `| False positives on ${randomStacks.length} random valid configs (fast-check, one per profile, update mode) | ${randomFalsePositives} |`,
        `| Mandatory checks a preview cannot judge on the valid stacks (update judges them) | ${previewBlind} |`,
        "",
        "## How the matrix is built",
        "",
        "Each committed stack is planned once in preview mode (a first `pulumi preview`: names, ids and computed values unknown) and once in update mode (Azure's outputs known) through the built program, and sent through the real policy pack over the analyzer protocol as the Pulumi engine sends it: Analyze with each resource's inputs, AnalyzeStack with every resource's outputs as azure-native returns them (docs/plan.md, \"What the engine sends\"; one pack process, configured with the stack's profile config). Mutants are generated from those recorded plans: every weakening operator (`test/reliability/mutants.ts`) is applied to one stack (rotating over the stacks, first stack it applies to); the region and tag operators are instantiated for every resource type the pack's policies declare they concern. A mutant changes inputs; the outputs AnalyzeStack gets are computed afresh from them, as the provider would return them. A mutant is caught when it raises a mandatory violation the valid stack does not have, in both modes, from the same policies.",
        "",
        "## Matrix",
        "",
        "| Weakening | Resource type | Input | Stack | Caught by (mandatory) | Preview = update |",
        "|---|---|---|---|---|---|",
        ...rows.map((r) => {
            const same = caughtAlike(r);
            const by = r.caughtBy.update.length ? r.caughtBy.update.map((p) => `\`${p}\``).join(", ") : "**missed**";
            const previewNote = same ? "yes" : `**no** (preview: ${strictPreview(r).map((p) => `\`${p}\``).join(", ") || "missed"})`;
            return `| ${r.operator.id} | \`${short(r.operator.type)}\` | \`${r.operator.input}\` | ${r.stack} | ${by} | ${previewNote} |`;
        }),
        "",
        `Score: **${caught.length} / ${rows.length} (${score} %)**. The bar is 100 %.`,
        "",
        "Removing only one of the two deletion-protection layers (`protect` or the CanNotDelete lock) is tolerated by the pack by design (either stops a mistaken destroy); the weakening removes both.",
        "",
        "## The other proofs (test/reliability/)",
        "",
        "| Suite | What it proves |",
        "|---|---|",
        "| `bad-configs.test.ts` | Every corpus config (`bad-configs.ts`: wrong types, unknown keys, unknown or disallowed regions, Global SKUs under residency profiles, DataZone under au-irap, spend over the daily limit, malformed resource ids, GUIDs and CIDRs, empty or negative budgets, duplicate deployment and application names, personas granted to users, retention below the profile, prod auto-upgrade, CMK off where required, wrong DNS zones, subnet outside the VNet, weaker compliance-profile tag) is rejected with exactly the expected key paths, and the built program registers no resource and calls no invoke with it. |",
        "| `config-properties.test.ts` | fast-check: random configs within each profile's rules always validate; every single-field corruption (wrong type, unknown key, missing required key, broken profile rule) of a random valid config is rejected at its path. |",
        "| `mutation-matrix.test.ts` | The figures above; random valid configs (one per profile) plan with no mandatory violation. |",
        "| `replacement-safety.test.ts` | Changing tags, budget, role members, deployment capacity and applications keeps the URN, name, region and kind of every stateful resource (no replacement); production stacks protect the resource group, account, workspace, tables, vault and key and lock account, workspace and vault; non-production stacks do neither; renaming the landing zone with an alias carries its children over. |",
        "| `robustness.test.ts` | Bad stack files (spawned CLI), a program that throws, an invoke without a placeholder and a pack that dies mid-run are exit 2 with one message and no report; resources with missing or odd-typed properties are judged (violations, not a crash); a secret input never reaches the report; the report and outputs of a committed stack hold no secret or key; no source file lists account or workspace keys. |",
        "",
    ];
    return lines.join("\n");
}
