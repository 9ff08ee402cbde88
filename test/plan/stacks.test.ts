/**
 * Golden snapshots: what each committed stack would create (types, names, security-relevant inputs), so a pull
 * request that changes a stack shows the change in review. Every stack is planned once per mode, through the
 * real program and the real pack; the same runs check that every stack is compliant.
 */
import * as path from "path";
import { plan } from "../../plan/planner";
import { PlanReport } from "../../plan/report/model";
import { resolveTargets, stackNames } from "../../plan/stack-source";

const root = path.join(__dirname, "..", "..");
const packDir = path.join(root, "policies");
let preview: PlanReport;
let update: PlanReport;

beforeAll(async () => {
    const targets = resolveTargets({ root, stacks: [], config: [] });
    // One plan per mode, both at once: the time goes into loading modules in each stack's processes.
    [preview, update] = await Promise.all([plan(targets, { packDir, preview: true }), plan(targets, { packDir, preview: false })]);
}, 120000);

const shortType = (urn: string | null) => (urn ? urn.split("::")[2].split("$").pop() : null);

describe.each(stackNames(root))("stack %s", (stack) => {
    const of = (r: PlanReport) => r.stacks.find((s) => s.stack === stack)!;

    it("plans the resources in its snapshot", () => {
        const resources = of(preview).resources
            .map((r) => ({ type: r.type, name: r.name, parent: shortType(r.parent), protect: r.protect, inputs: r.keyInputs }))
            .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
        expect(resources).toMatchSnapshot();
    });

    it("has no violation and nothing left unevaluated in update mode", () => {
        const s = of(update);
        expect(s.violations).toEqual([]);
        expect(s.counts["not-evaluated"]).toBe(0);
        expect(s.counts.passed).toBeGreaterThan(0);
    });

    it("judges its AI gateway with every gateway rule, each passing, and reports the limits it enforces", () => {
        const s = of(update);
        const hasGateway = s.resources.some((r) => r.type === "azure-native:apimanagement:ApiManagementService");
        const gatewayRules = s.policies.filter((p) => p.name.startsWith("azure-openai-gateway-")).map((p) => p.name);
        const passed = new Set(s.verdicts.filter((v) => v.policyName.startsWith("azure-openai-gateway-") && v.verdict === "passed").map((v) => v.policyName));
        expect(gatewayRules.length).toBeGreaterThan(0);
        expect(passed).toEqual(new Set(hasGateway ? gatewayRules : []));
        expect(s.costLimits?.enforcedBy).toBe(hasGateway ? "gateway" : "budget-alerts-only");
        expect(s.costLimits?.gateway === null).toBe(!hasGateway);
    });

    it("passes in preview, where strict production stacks fail on any mandatory check that could not run", () => {
        const s = of(preview);
        expect(s.violations).toEqual([]);
        expect({ stack, mandatoryNotEvaluated: s.result.mandatoryNotEvaluated, failed: s.result.failed }).toEqual({ stack, mandatoryNotEvaluated: 0, failed: false });
    });
});
