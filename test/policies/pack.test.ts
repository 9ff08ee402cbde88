/** The whole pack: every policy's metadata, and a compliant stack passing every rule, in update and in preview. */
import * as fs from "fs";
import * as path from "path";
import { allPolicies, rules } from "../../policies/all";
import { gatewayPolicies } from "../../policies/gateway";
import { isStackPolicy } from "../../policies/core";
import { canonicalType } from "../../policies/stack-index";
import { buildStack, runResource, runStack } from "./harness";
import { compliantStack } from "./fixtures";

describe("pack metadata", () => {
    it("has its rules, the AI gateway rules, the Key Vault (8) and Log Analytics (6) families, the three exemption-governance policies and the exemption notices' policy", () => {
        expect(rules).toHaveLength(27 + gatewayPolicies.length + 14);
        expect(allPolicies).toHaveLength(31 + gatewayPolicies.length + 14);
        expect(new Set(allPolicies.map((p) => p.name)).size).toBe(allPolicies.length);
    });

    it.each(allPolicies.map((p) => [p.name, p] as const))(
        "%s declares name, description, severity, level, remediation, url and concerns",
        (_n, p) => {
            expect(p.name).toMatch(/^azure-openai-[a-z0-9]+(-[a-z0-9]+)+$/);
            expect(p.description).toMatch(/^[A-Z].{30,}\.$/);
            expect(["low", "medium", "high", "critical"]).toContain(p.severity);
            expect(["mandatory", "advisory"]).toContain(p.enforcementLevel);
            expect(p.remediationSteps?.length ?? 0).toBeGreaterThan(30);
            expect(p.url).toContain(`#${p.name}`);
            expect(Array.isArray(p.concerns)).toBe(true);
            for (const key of Object.keys(p.configSchema?.properties ?? {})) expect(key).not.toBe("enforcementLevel");
        },
    );

    it("anchors the rules that others have to MCSB, Azure Policy, Checkov and PSRule ids", () => {
        const anchors = Object.fromEntries(rules.map((p) => [p.name, p.anchors ?? {}]));
        expect(anchors["azure-openai-account-disallow-public-network-access"]).toMatchObject({
            mcsb: "NS-2",
            checkov: "CKV_AZURE_134",
        });
        expect(anchors["azure-openai-account-disallow-local-auth"]).toMatchObject({
            mcsb: "IM-1",
            checkov: "CKV_AZURE_236",
            psrule: "Azure.AI.DisableLocalAuth",
        });
        expect(anchors["azure-openai-account-enforce-customer-managed-key"]).toMatchObject({
            mcsb: "DP-5",
            checkov: "CKV2_AZURE_22",
        });
        expect(anchors["azure-openai-account-enable-audit-diagnostics"]).toMatchObject({ mcsb: "LT-3" });
        for (const a of Object.values(anchors))
            if (a.azurePolicy)
                expect(a.azurePolicy).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    it("docs/policies.md has a section (the url's anchor) and a table row for every policy", () => {
        const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/policies.md"), "utf8");
        for (const p of allPolicies) {
            expect(doc).toContain(`### ${p.name}\n`);
            expect(doc).toContain(`| [\`${p.name}\`](#${p.name}) |`);
        }
    });

    it("marks exactly public access, local auth, the residency SKU and the gateway's Entra ID callers non-exemptable, and every exemptable rule takes exemptions in its config", () => {
        const non = rules
            .filter((p) => p.nonExemptable)
            .map((p) => p.name)
            .sort();
        expect(non).toEqual([
            "azure-openai-account-disallow-local-auth",
            "azure-openai-account-disallow-public-network-access",
            "azure-openai-deployment-enforce-data-residency-sku",
            "azure-openai-gateway-require-entra-id-callers",
            "azure-openai-key-vault-disallow-public-network-access",
            "azure-openai-workspace-disallow-local-auth",
            "azure-openai-workspace-disallow-public-network-access",
        ]);
        for (const p of rules) expect(Boolean(p.configSchema?.properties?.exemptions)).toBe(!p.nonExemptable);
    });
});

describe.each([
    ["update (ids known)", false],
    ["preview (ids unknown)", true],
])("a compliant stack, %s", (_label, preview) => {
    const fixtures = compliantStack(preview);
    const stack = () => buildStack("eu-prod", fixtures);

    it.each(rules.filter(isStackPolicy).map((p) => [p.name, p] as const))(
        "passes %s with nothing not-evaluated",
        async (_n, p) => {
            const out = await runStack(p, stack());
            expect(out.notEvaluated).toBeUndefined();
            expect(out.violations).toEqual([]);
        },
    );

    it.each(rules.filter((p) => !isStackPolicy(p)).map((p) => [p.name, p] as const))(
        "passes %s on every resource it concerns",
        async (_n, p) => {
            const concerned = fixtures.filter((f) => p.concerns.includes(canonicalType(f.type)));
            // The compliant stack has no generic ARM resource: that rule is exercised in resource-rules.test.ts.
            if (!p.name.includes("generic")) expect(concerned.length).toBeGreaterThan(0);
            for (const f of concerned) {
                const out = await runResource(p, { type: f.type, name: f.name, props: f.props });
                // No resource rule skips a compliant resource it concerns with its schema's defaults: not-applicable would hide it.
                expect({ name: f.name, ...out }).toEqual({ name: f.name, violations: [] });
            }
        },
    );
});
