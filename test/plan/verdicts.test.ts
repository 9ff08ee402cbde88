import { AnalyzeResult, Diagnostic, PolicyInfo, reconcilePolicyConfig } from "../../plan/analyzer";
import { computeVerdicts, countVerdicts } from "../../plan/verdicts";
import { exemptionsAppliedPolicy, formatExemption } from "../../policies/verdict-protocol";

const account = "azure-native:cognitiveservices:Account";
const endpoint = "azure-native:network:PrivateEndpoint";
const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;
const stackUrn = urn("pulumi:pulumi:Stack", "p-s");
const a1 = urn(account, "a1");
const a2 = urn(account, "a2");
const pe = urn(endpoint, "pe");
const resources = [
    { urn: stackUrn, type: "pulumi:pulumi:Stack" },
    { urn: a1, type: account },
    { urn: a2, type: account },
    { urn: pe, type: endpoint },
];

const policy = (
    name: string,
    type: "resource" | "stack",
    level: PolicyInfo["enforcementLevel"] = "mandatory",
): PolicyInfo => ({
    name,
    displayName: name,
    description: `${name} rule`,
    type,
    enforcementLevel: level,
    tags: [],
    remediationSteps: `fix ${name}`,
});
const policies = [
    policy("res", "resource"),
    policy("res-advisory", "resource", "advisory"),
    policy("stk", "stack"),
    policy("off", "resource"),
    policy(exemptionsAppliedPolicy, "stack", "advisory"),
];
const metadata = {
    res: { concerns: [account] },
    "res-advisory": { concerns: [account] },
    stk: { concerns: [endpoint] },
    off: { concerns: [account] },
};
const diag = (policyName: string, message: string, level: Diagnostic["enforcementLevel"], u?: string): Diagnostic => ({
    policyName,
    policyPackName: "pack",
    policyPackVersion: "1",
    description: `${policyName} rule`,
    message: `${policyName} rule\n${message}`,
    enforcementLevel: level,
    urn: u,
});
const exemption = {
    exemptionId: "EX-7",
    policyName: "res",
    reason: "migration window",
    owner: "team-ai",
    ticket: "SEC-42",
    expires: "2099-01-31",
};
const config = reconcilePolicyConfig(
    { name: "pack", version: "1", displayName: "", description: "", initialConfig: {}, policies },
    { off: "disabled" },
);

function run(analyze: Record<string, AnalyzeResult>, analyzeStack: AnalyzeResult) {
    const map = new Map(resources.map((r) => [r.urn, analyze[r.urn] ?? { diagnostics: [], notApplicable: [] }]));
    return computeVerdicts({ policies, metadata, config, resources, stackUrn, analyze: map, analyzeStack });
}
const find = (out: ReturnType<typeof run>, policyName: string, u: string) =>
    out.verdicts.filter((v) => v.policyName === policyName && v.urn === u);

describe("computeVerdicts: exactly one verdict per policy and concerned resource", () => {
    const out = run(
        {
            [a1]: {
                diagnostics: [
                    diag("res", "public network access is Enabled", "mandatory"),
                    {
                        ...diag("res-advisory", "", "advisory"),
                        message: "can't run policy 'res-advisory' from policy pack 'pack@v1' during preview: unknown",
                    },
                ],
                notApplicable: [{ policyName: "off", reason: "x" }],
            },
            [a2]: {
                diagnostics: [],
                notApplicable: [
                    { policyName: "res", reason: formatExemption(exemption) },
                    { policyName: "res-advisory", reason: "not an OpenAI account" },
                ],
            },
        },
        {
            diagnostics: [
                {
                    ...diag("stk", "", "advisory"),
                    message: "can't run policy 'stk' from policy pack 'pack@v1' during preview: privateLinkServiceId",
                },
            ],
            notApplicable: [],
        },
    );

    it("violated carries its level and the message without the SDK's description prefix", () => {
        expect(find(out, "res", a1)).toEqual([
            {
                policyName: "res",
                urn: a1,
                verdict: "violated",
                enforcementLevel: "mandatory",
                message: "public network access is Enabled",
            },
        ]);
        expect(out.violations).toEqual([
            {
                policyName: "res",
                enforcementLevel: "mandatory",
                urn: a1,
                message: "public network access is Enabled",
                remediation: "fix res",
                severity: undefined,
            },
        ]);
    });

    it("an exemption announced as not-applicable is exempted, with owner, ticket and expiry", () => {
        expect(find(out, "res", a2)).toEqual([expect.objectContaining({ verdict: "exempted", exemption })]);
    });

    it("another not-applicable reason stays not-applicable", () => {
        expect(find(out, "res-advisory", a2)[0]).toMatchObject({
            verdict: "not-applicable",
            message: "not an OpenAI account",
        });
    });

    it("a resource policy that read an unknown value is not-evaluated at the policy's effective level", () => {
        expect(find(out, "res-advisory", a1)[0]).toMatchObject({
            verdict: "not-evaluated",
            enforcementLevel: "advisory",
        });
    });

    it("a stack policy that could not run marks every concerned resource not-evaluated, never passed", () => {
        expect(find(out, "stk", pe)[0]).toMatchObject({ verdict: "not-evaluated", enforcementLevel: "mandatory" });
        expect(out.verdicts.filter((v) => v.policyName === "stk")).toHaveLength(1);
    });

    it("a disabled policy gives no verdict and the reporting channel is not a policy", () => {
        expect(out.verdicts.filter((v) => v.policyName === "off" || v.policyName === exemptionsAppliedPolicy)).toEqual(
            [],
        );
    });

    it("counts each verdict kind", () => {
        expect(countVerdicts(out.verdicts)).toEqual({
            passed: 0,
            violated: 1,
            "not-applicable": 1,
            "not-evaluated": 2,
            exempted: 1,
        });
    });
});

describe("computeVerdicts: stack policies", () => {
    it("pass every concerned resource they did not flag", () => {
        const out = run({}, { diagnostics: [], notApplicable: [] });
        expect(find(out, "stk", pe)).toEqual([{ policyName: "stk", urn: pe, verdict: "passed" }]);
        expect(find(out, "res", a1)[0].verdict).toBe("passed");
    });

    it("record findings on a resource, and exemptions reported through the exemptions channel", () => {
        const noticed = diag(
            exemptionsAppliedPolicy,
            formatExemption({ ...exemption, policyName: "stk" }),
            "advisory",
            pe,
        );
        const out = run(
            {},
            {
                diagnostics: [noticed, diag("stk", "stale exemption EX-9 matches nothing", "advisory")],
                notApplicable: [],
            },
        );
        expect(find(out, "stk", pe)[0]).toMatchObject({
            verdict: "exempted",
            exemption: { exemptionId: "EX-7", owner: "team-ai" },
        });
        // A finding without a URN is a stack-level violation on the stack itself.
        expect(out.violations).toEqual([
            expect.objectContaining({
                policyName: "stk",
                urn: stackUrn,
                enforcementLevel: "advisory",
                message: "stale exemption EX-9 matches nothing",
            }),
        ]);
        expect(find(out, "stk", stackUrn)[0].verdict).toBe("violated");
    });
});

describe("effective enforcement level", () => {
    it("policy config beats the policy's default, which beats the pack's", () => {
        const info = {
            name: "pack",
            version: "1",
            displayName: "",
            description: "",
            initialConfig: {},
            policies: [policy("own", "resource", "mandatory"), policy("inherits", "resource", "advisory")],
        };
        expect(reconcilePolicyConfig(info, {}).own.enforcementLevel).toBe("mandatory");
        expect(reconcilePolicyConfig(info, { own: "advisory" }).own.enforcementLevel).toBe("advisory");
        expect(
            reconcilePolicyConfig(info, { inherits: { enforcementLevel: "mandatory" } }).inherits.enforcementLevel,
        ).toBe("mandatory");
    });
});
