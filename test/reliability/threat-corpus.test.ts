/**
 * The threat corpus (threats.ts) through the real pack: every committed stack is planned once per mode (preview: ids
 * unknown; update: ids known) and sent through the pack over the analyzer protocol; then every threat is applied to
 * the recorded plan of one stack (rotating over the stacks, the first it applies to; every role assignment of that
 * stack is weakened at once and each must draw its own finding), and each mutant must raise a mandatory finding of the
 * policy the threat names, in the strict preview plan and in update, from the same policies in both. One pack
 * process for the whole file. The valid stacks themselves must raise nothing (false positives).
 */
import { types } from "../../catalogue/azure";
import { gatewayTypes } from "../../catalogue/gateway";
import type { PlannedResource, ProgramRun } from "../../plan/mock-runtime";
import { rawStackConfig, stackNames } from "../support/stacks";
import { assertBuilt, runStack } from "../support/dist";
import { Evaluation, Finding, PackSession } from "./support/pack";
import { Mutant, mutants, StackContext } from "./mutants";
import { moves, planThreats, Threat, threats } from "./threats";
import { securityPosture } from "./posture";

type Mode = "preview" | "update";
const modes: Mode[] = ["preview", "update"];

interface Outcome {
    threat: Threat;
    stack: string;
    /** The weakened resources (one, or every target of a `together` threat). */
    targets: string[];
    /** Mandatory policies with findings the valid stack does not have, per mode. */
    caughtBy: Record<Mode, string[]>;
    /** The resources those new findings of the threat's own policy are on, per mode. */
    caughtOn: Record<Mode, string[]>;
    /** Mandatory policies that could not judge the mutant in preview (the strict plan judges them with values known). */
    pendingInPreview: string[];
}

/** Resource types the landing zone creates that hold no security setting to weaken, and why. */
const nothingToWeaken: Record<string, string> = {
    [types.savedSearch]: "saved KQL queries for auditors: a convenience, no access, network or retention setting",
    [types.managementLock]:
        "removing a lock alone is tolerated while `protect` holds; the deletion-protection threats remove both",
    [gatewayTypes.apiOperation]:
        "the OpenAI-compatible route and method; what guards it is the API's policy, weakened by the gateway threats",
    [gatewayTypes.logger]:
        "where the gateway's diagnostics go; the diagnostics and their body logging are weakened by the gateway threats",
    // A gap, said so: which application ids may call is intent the pack cannot check (a named value swapped for another
    // application passes); the element that reads them, validate-azure-ad-token, is weakened by the Entra ID threat.
    [gatewayTypes.namedValue]:
        "the tenant and callers' application ids the token validation reads: intent the pack cannot judge (see docs/policies.md)",
};

const key = (f: Finding) => `${f.policy} ${f.urn}`;
const mandatory = (e: Evaluation) => e.findings.filter((f) => f.level === "mandatory");
const short = (urn: string) => urn.split("::").pop();

let pack: PackSession;
const contexts: Record<string, StackContext> = {};
const runs: Record<string, Record<Mode, ProgramRun>> = {};
const baselines: Record<string, Record<Mode, Evaluation>> = {};
let corpus: Threat[] = [];
const outcomes = new Map<Threat, Outcome[]>();
let plannedTypes: string[] = [];

beforeAll(async () => {
    assertBuilt();
    pack = await PackSession.start();
    const stacks = stackNames();
    for (const stack of stacks) {
        const raw = rawStackConfig(stack);
        contexts[stack] = { stack, profile: String(raw.profile), prod: raw.environment === "prod" };
        runs[stack] = { preview: await runStack(stack, raw, true), update: await runStack(stack, raw, false) };
    }
    const planned: PlannedResource[] = stacks.flatMap((s) => runs[s].update.resources);
    plannedTypes = [
        ...new Set(planned.filter((r) => r.custom && !r.type.startsWith("pulumi:")).map((r) => r.type)),
    ].sort();
    corpus = [...threats, ...planThreats(planned)];

    // Each threat on one stack, rotating so that every stack and profile is used: the first stack it applies to.
    const work: { mode: Mode; mutant: Mutant }[] = [];
    corpus.forEach((threat, index) => {
        for (let k = 0; k < stacks.length; k++) {
            const stack = stacks[(index + k) % stacks.length];
            const byMode = modes.map((mode) => mutants(threat, runs[stack][mode], contexts[stack]));
            if (byMode.every((ms) => ms.length > 0)) {
                modes.forEach((mode, i) => byMode[i].forEach((mutant) => work.push({ mode, mutant })));
                return;
            }
        }
    });
    // Grouped by stack and mode: the pack is told each stack and mode once.
    const group = (w: { mode: Mode; mutant: Mutant }) => `${w.mutant.stack}/${w.mode}`;
    for (const g of [
        ...new Set([...stacks.flatMap((s) => modes.map((m) => `${s}/${m}`)), ...work.map(group)]),
    ].sort()) {
        const [stack, mode] = g.split("/") as [string, Mode];
        await pack.use(stack, contexts[stack].profile, mode === "preview");
        const baseline = ((baselines[stack] ??= {} as Record<Mode, Evaluation>)[mode] = await pack.evaluate(
            runs[stack][mode],
        ));
        const before = new Set(mandatory(baseline).map(key));
        for (const { mutant } of work.filter((w) => group(w) === g)) {
            const list = outcomes.get(mutant.operator as Threat) ?? [];
            outcomes.set(mutant.operator as Threat, list);
            const id = mutant.targetUrns.join();
            let outcome = list.find((o) => o.targets.join() === id);
            if (!outcome)
                list.push(
                    (outcome = {
                        threat: mutant.operator as Threat,
                        stack,
                        targets: mutant.targetUrns,
                        caughtBy: { preview: [], update: [] },
                        caughtOn: { preview: [], update: [] },
                        pendingInPreview: [],
                    }),
                );
            if (mutant.unmutable) {
                // The input cannot even be weakened where it is unknown (a CMK account's first preview): the strict
                // plan fails on every mandatory check the preview could not run and judges them with values known.
                if (mode === "preview")
                    outcome.pendingInPreview = [...new Set(baseline.notEvaluated.map((f) => f.policy))].sort();
                continue;
            }
            const evaluation = await pack.evaluate({ stack, resources: mutant.resources });
            const fresh = mandatory(evaluation).filter((f) => !before.has(key(f)));
            outcome.caughtBy[mode] = [...new Set(fresh.map((f) => f.policy))].sort();
            outcome.caughtOn[mode] = [
                ...new Set(fresh.filter((f) => f.policy === outcome!.threat.caughtBy).map((f) => f.urn)),
            ].sort();
            if (mode === "preview")
                outcome.pendingInPreview = [...new Set(evaluation.notEvaluated.map((f) => f.policy))].sort();
        }
    }
}, 180000);

afterAll(async () => {
    await pack?.close();
});

/** What the strict preview plan fails a mutant on: preview findings, plus checks it could not run that fail once values are known. */
const strictPreview = (o: Outcome) =>
    [...new Set([...o.caughtBy.preview, ...o.pendingInPreview.filter((p) => o.caughtBy.update.includes(p))])].sort();
const describeOutcome = (o: Outcome) =>
    `${o.threat.id} (${o.threat.type}) on ${o.targets.map(short).join(", ")} in ${o.stack}: preview [${strictPreview(o).join(", ")}] update [${o.caughtBy.update.join(", ")}]`;
/** The weakened resources the threat's policy filed no new finding on, in update or in the strict preview plan. */
const uncaughtTargets = (o: Outcome) => {
    if (!o.threat.together) return [];
    const previewOn = new Set([
        ...o.caughtOn.preview,
        ...(o.pendingInPreview.includes(o.threat.caughtBy) ? o.caughtOn.update : []),
    ]);
    return o.targets.filter((t) => !o.caughtOn.update.includes(t) || !previewOn.has(t)).map(short);
};
const missedBy = (o: Outcome) =>
    !o.caughtBy.update.includes(o.threat.caughtBy) ||
    !strictPreview(o).includes(o.threat.caughtBy) ||
    uncaughtTargets(o).length > 0;

describe("valid stacks (false positives)", () => {
    it.each(stackNames().flatMap((s) => modes.map((m) => [s, m] as const)))(
        "%s in %s mode has no mandatory violation",
        (stack, mode) => {
            expect(
                mandatory(baselines[stack][mode]).map((f) => `${f.policy} on ${short(f.urn)}: ${f.message}`),
            ).toEqual([]);
        },
    );

    // A preview cannot judge what depends on values Azure computes on first deploy (the CMK stacks' account
    // properties); the strict plan re-runs those checks with the values known and fails unless they pass there.
    it.each(stackNames())(
        "%s: every mandatory check a preview cannot judge passes with cloud-computed values known",
        (stack) => {
            const update = baselines[stack].update;
            const unresolved = baselines[stack].preview.notEvaluated.filter(
                (f) =>
                    update.notEvaluated.some((u) => key(u) === key(f)) ||
                    mandatory(update).some((u) => key(u) === key(f)),
            );
            expect(unresolved.map((f) => `${f.policy} on ${short(f.urn)}`)).toEqual([]);
        },
    );
});

describe("the threat corpus", () => {
    it("names only policies of the pack, and every move of the threat model has threats", () => {
        const policies = new Set(pack.info.policies.map((p) => p.name));
        expect(corpus.filter((t) => !policies.has(t.caughtBy)).map((t) => `${t.id}: ${t.caughtBy}`)).toEqual([]);
        expect(moves.filter((m) => !corpus.some((t) => t.move === m))).toEqual([]);
        expect(new Set(threats.map((t) => `${t.id} ${t.type}`)).size).toBe(threats.length);
    });

    it("applies every threat to at least one committed stack, in both modes", () => {
        expect(corpus.filter((t) => !outcomes.has(t)).map((t) => `${t.id} (${t.type})`)).toEqual([]);
    });

    it("weakens every resource type the landing zone creates, except those that hold no security setting", () => {
        const weakened = new Set(corpus.map((t) => t.type));
        expect(plannedTypes.filter((t) => !weakened.has(t) && !(t in nothingToWeaken))).toEqual([]);
        // The exceptions are still created (a stale one would hide a type that went away).
        expect(Object.keys(nothingToWeaken).filter((t) => !plannedTypes.includes(t))).toEqual([]);
    });

    it("weakens every role assignment of its stack, not only the first, and each draws its own finding", () => {
        for (const threat of threats.filter((t) => t.together)) {
            const [widened] = outcomes.get(threat)!;
            const all = runs[widened.stack].update.resources
                .filter((r) => r.type === types.roleAssignment)
                .map((r) => r.urn)
                .sort();
            expect({
                threat: threat.id,
                targets: [...widened.targets].sort(),
                caughtOn: widened.caughtOn.update,
            }).toEqual({ threat: threat.id, targets: all, caughtOn: all });
            expect(all.length).toBeGreaterThan(1);
        }
    });

    it.each(threats.map((t) => [`${t.id} (${t.type.split(":").pop()})`, t] as const))(
        "%s: caught by the policy it names, in the strict preview plan and in update",
        (_id, threat) => {
            const list = outcomes.get(threat) ?? [];
            expect(list.length).toBeGreaterThan(0);
            const missed = list.filter(missedBy);
            expect({
                expected: threat.caughtBy,
                missed: missed.map(
                    (o) =>
                        `${describeOutcome(o)}${uncaughtTargets(o).length ? `; no finding on ${uncaughtTargets(o).join(", ")}` : ""}`,
                ),
            }).toEqual({ expected: threat.caughtBy, missed: [] });
        },
    );

    it("catches every per-type region and tag threat by the policy it names, in both modes", () => {
        const missed = corpus
            .filter((t) => !threats.includes(t))
            .flatMap((t) => (outcomes.get(t) ?? []).filter(missedBy));
        expect(missed.map(describeOutcome)).toEqual([]);
    });

    it("is caught by the same policies in the strict preview plan and in update", () => {
        const differ = [...outcomes.values()]
            .flat()
            .filter((o) => strictPreview(o).join() !== o.caughtBy.update.join());
        expect(differ.map(describeOutcome)).toEqual([]);
    });
});

describe("security posture of the committed stacks", () => {
    // Reviewable in a pull request: a change to a security setting of any stack shows here. Values a stack's config
    // chooses are abstracted, so a new stack with the postures already recorded changes nothing.
    it("is the recorded set of distinct security settings per resource type", () => {
        expect(securityPosture(stackNames().flatMap((s) => runs[s].update.resources))).toMatchSnapshot();
    });
});
