/**
 * Every committed stack planned once per mode through the planner (worker processes, the real program and the real
 * pack) is compliant. What each stack would create is reviewed as its security posture, a small snapshot derived
 * from every stack (test/reliability/posture.ts), not as a whole report per stack.
 */
import * as fs from "fs";
import * as path from "path";
import { renderJson } from "../../plan/report/json";
import { renderMermaid } from "../../plan/report/mermaid";
import { findModelVersion, utcToday } from "../../catalogue/models";
import { PlanReport, StackReport } from "../../plan/report/model";
import { resolveTargets, stackNames } from "../../plan/stack-source";
import { planJobs } from "../support/plans";

const root = path.join(__dirname, "..", "..");
const packDir = path.join(root, "policies");
let preview: PlanReport;
let update: PlanReport;

beforeAll(async () => {
    const targets = resolveTargets({ root, stacks: [], config: [] });
    [preview, update] = await planJobs(packDir, [
        { targets, preview: true },
        { targets, preview: false },
    ]);
}, 120000);

describe.each(stackNames(root))("stack %s", (stack) => {
    const of = (r: PlanReport) => r.stacks.find((s) => s.stack === stack)!;

    it("draws a diagram in which every resource is linked to another", () => {
        const chart = renderMermaid(of(preview));
        const nodes = [...chart.matchAll(/^ {4}(n\d+)[[(]/gm)].map((m) => m[1]);
        const edges = chart.split("\n").filter((l) => /-->|-\.->/.test(l));
        expect(nodes.length).toBeGreaterThan(5);
        expect(nodes.filter((n) => !edges.some((e) => new RegExp(`\\b${n}\\b`).test(e)))).toEqual([]);
    });

    it("shows a group given by display name by that name, never as a made-up object id", () => {
        const text = fs.readFileSync(path.join(root, "stacks", `Pulumi.${stack}.yaml`), "utf8");
        const names = [...text.matchAll(/groupDisplayNames:\n((?:\s+- .+\n)+)/g)].flatMap((m) =>
            [...m[1].matchAll(/- (.+)/g)].map((x) => x[1].trim()),
        );
        const principals = of(preview)
            .resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment")
            .map((r) => String(r.keyInputs.principalId));
        for (const name of names) expect(principals).toContain(`group '${name}' (object id looked up at deploy)`);
    });

    it("keeps its JSON report bounded: each dependency URN once, under 1.2 KB per resource, verdict and policy", () => {
        const s = of(preview);
        for (const r of s.resources) {
            const viaProperty = Object.values(r.propertyDependencies).flat();
            expect(r.dependencies.filter((u) => viaProperty.includes(u))).toEqual([]);
            expect(Object.values(r.propertyDependencies).every((urns) => urns.length > 0)).toBe(true);
        }
        const entries = s.resources.length + s.verdicts.length + s.policies.length;
        expect(renderJson({ ...preview, stacks: [s] }).length / entries).toBeLessThan(1200);
    });

    /**
     * The only findings a committed stack may carry: the advisory that a deployed model takes no new customers, exactly
     * where the model catalogue says so (a catalogue refresh that finds a current model in the region removes them).
     */
    const expectedFindings = (s: StackReport) =>
        s.resources
            .filter((r) => r.type === "azure-native:cognitiveservices:Deployment")
            .filter((r) => {
                const model = r.inputs.properties as { model: { name: string; version: string } };
                const m = findModelVersion(model.model.name, model.model.version);
                return m?.deprecation?.exact && m.deprecation.date <= utcToday();
            })
            .map((r) => `advisory azure-openai-deployment-review-retiring-models ${r.urn}`)
            .sort();
    const findings = (s: StackReport) =>
        s.violations.map((v) => `${v.enforcementLevel} ${v.policyName} ${v.urn}`).sort();

    it("has no violation and nothing left unevaluated in update mode", () => {
        const s = of(update);
        expect(findings(s)).toEqual(expectedFindings(s));
        expect(s.counts["not-evaluated"]).toBe(0);
        expect(s.counts.passed).toBeGreaterThan(0);
    });

    it("judges its AI gateway with every gateway rule, each passing, and reports the limits it enforces", () => {
        const s = of(update);
        const hasGateway = s.resources.some((r) => r.type === "azure-native:apimanagement:ApiManagementService");
        const gatewayRules = s.policies.filter((p) => p.name.startsWith("azure-openai-gateway-")).map((p) => p.name);
        const passed = new Set(
            s.verdicts
                .filter((v) => v.policyName.startsWith("azure-openai-gateway-") && v.verdict === "passed")
                .map((v) => v.policyName),
        );
        expect(gatewayRules.length).toBeGreaterThan(0);
        expect(passed).toEqual(new Set(hasGateway ? gatewayRules : []));
        expect(s.costLimits?.enforcedBy).toBe(hasGateway ? "gateway" : "budget-alerts-only");
        expect(s.costLimits?.gateway === null).toBe(!hasGateway);
    });

    it("passes in preview; every mandatory check a preview cannot judge passes once values are known", () => {
        const s = of(preview);
        expect(findings(s)).toEqual(expectedFindings(s));
        expect(s.result.failed).toBe(false);
        // What azure-native leaves unknown in a first preview (docs/plan.md): the check is not evaluated, never guessed,
        // and the same check passes in the update plan. Strict stacks record that confirmation themselves.
        const updated = new Map(of(update).verdicts.map((v) => [`${v.policyName} ${v.urn}`, v.verdict]));
        const pending = s.verdicts.filter((v) => v.verdict === "not-evaluated" && v.enforcementLevel === "mandatory");
        expect(
            pending.map((v) => [
                v.policyName,
                v.urn.split("::").pop(),
                updated.get(`${v.policyName} ${v.urn}`),
                v.confirmedWithKnownValues ?? (s.strict ? "unconfirmed" : "passed"),
            ]),
        ).toEqual(pending.map((v) => [v.policyName, v.urn.split("::").pop(), "passed", "passed"]));
        if (s.strict) expect(s.result.mandatoryNotEvaluated).toBe(0);
    });
});
