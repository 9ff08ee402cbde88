/**
 * Contract: the pack spawned exactly as the Pulumi CLI does (pack directory as cwd, `node run-policy-pack`, port
 * from the first stdout line), driven over gRPC with the stubs in @pulumi/pulumi/proto (plan/analyzer/).
 * Needs the compiled pack: `npm run build` first. One pack process for the whole file.
 */
import * as fs from "fs";
import * as path from "path";
import { types } from "../../catalogue/azure";
import { AnalyzerClient, AnalyzerResourceInput, reconcilePolicyConfig } from "../../plan/analyzer";
import { allPolicies } from "../../policies/all";
import { isStackPolicy } from "../../policies/core";
import { exemptionsAppliedPolicy, isNotEvaluated } from "../../policies/verdict-protocol";
import { project, StackFixture, UNKNOWN, urnOf } from "./harness";
import { account, compliantStack } from "./fixtures";

const packDir = path.resolve(__dirname, "../../policies");
const stack = "eu-dev";

function wire(fixtures: StackFixture[]): AnalyzerResourceInput[] {
    const urns = new Map(fixtures.map((f) => [f.name, urnOf(stack, f.type, f.name)]));
    return fixtures.map((f) => ({
        urn: urns.get(f.name) as string,
        type: f.type,
        name: f.name,
        properties: f.props,
        protect: f.protect ?? false,
        parent: f.parent ? urns.get(f.parent) : undefined,
        dependencies: [
            ...new Set(
                Object.values(f.deps ?? {})
                    .flat()
                    .map((n) => urns.get(n) as string),
            ),
        ],
        propertyDependencies: Object.fromEntries(
            Object.entries(f.deps ?? {}).map(([k, names]) => [k, names.map((n) => urns.get(n) as string)]),
        ),
    }));
}

const accountInput = (props: Record<string, unknown>): AnalyzerResourceInput => ({
    urn: urnOf(stack, types.account, "openai"),
    type: types.account,
    name: "openai",
    properties: props,
});

let client: AnalyzerClient;

beforeAll(async () => {
    if (!fs.existsSync(path.join(packDir, "bin/policies/index.js")))
        throw new Error("policies/bin is missing: run `npm run build` before this test");
    client = await AnalyzerClient.start({ packDir, project, stack, preview: true });
    await client.configureStack({ project, stack, preview: true });
    const info = await client.getAnalyzerInfo();
    const profileConfig = JSON.parse(fs.readFileSync(path.join(packDir, "config/eu-gdpr.json"), "utf8"));
    // Per-policy config lowers one rule to advisory: the level the server must apply over the policy's default.
    profileConfig["azure-openai-account-restrict-outbound-access"] = {
        ...profileConfig["azure-openai-account-restrict-outbound-access"],
        enforcementLevel: "advisory",
    };
    await client.configure(reconcilePolicyConfig(info, profileConfig));
});

afterAll(async () => {
    await client?.close();
});

describe("policy pack over the analyzer protocol", () => {
    it("GetAnalyzerInfo lists every policy with its type, level, severity, remediation and url", async () => {
        const info = await client.getAnalyzerInfo();
        expect(info.name).toBe("azure-openai");
        expect(info.version).toBe("0.1.0");
        expect(info.policies.map((p) => p.name)).toEqual(allPolicies.map((p) => p.name));
        for (const p of allPolicies) {
            const listed = info.policies.find((x) => x.name === p.name);
            expect(listed).toMatchObject({
                description: p.description,
                type: isStackPolicy(p) ? "stack" : "resource",
                enforcementLevel: p.enforcementLevel,
                severity: p.severity,
                remediationSteps: p.remediationSteps,
                url: p.url,
            });
            expect(Object.keys(listed?.configSchema?.properties ?? {}).sort()).toEqual(
                Object.keys(p.configSchema?.properties ?? {}).sort(),
            );
        }
    });

    it("Analyze: a compliant account has no diagnostics; other policies say why they do not apply", async () => {
        const result = await client.analyze(accountInput(account()));
        expect(result.diagnostics).toEqual([]);
        expect(
            result.notApplicable.find((n) => n.policyName === "azure-openai-deployment-enforce-data-residency-sku")
                ?.reason,
        ).toContain("Deployment only");
        expect(
            result.notApplicable.find((n) => n.policyName === "azure-openai-deployment-disallow-retired-models")
                ?.reason,
        ).toContain("Deployment only");
    });

    it("Analyze: violations carry the unit tests' messages, and per-policy config overrides the policy's default level", async () => {
        const weak = account();
        weak.properties.publicNetworkAccess = "Enabled";
        weak.properties.restrictOutboundNetworkAccess = false;
        const { diagnostics } = await client.analyze(accountInput(weak));
        const byPolicy = Object.fromEntries(diagnostics.map((d) => [d.policyName, d]));
        expect(Object.keys(byPolicy).sort()).toEqual([
            "azure-openai-account-disallow-public-network-access",
            "azure-openai-account-restrict-outbound-access",
        ]);
        expect(byPolicy["azure-openai-account-disallow-public-network-access"]).toMatchObject({
            enforcementLevel: "mandatory",
            severity: "critical",
        });
        expect(byPolicy["azure-openai-account-disallow-public-network-access"].message).toContain(
            'Account \'openai\': properties.publicNetworkAccess is "Enabled" (Azure defaults to Enabled): set it to "Disabled"',
        );
        expect(byPolicy["azure-openai-account-restrict-outbound-access"].enforcementLevel).toBe("advisory");
    });

    it("Analyze: a raw account whose customer-managed key is unwrapped by a user-assigned identity is refused, with the doc's reason", async () => {
        const raw = account() as ReturnType<typeof account> & { identity: Record<string, unknown> };
        raw.identity = {
            type: "SystemAssigned, UserAssigned",
            userAssignedIdentities: {
                "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-cmk":
                    {},
            },
        };
        (raw.properties.encryption.keyVaultProperties as Record<string, unknown>).identityClientId =
            "99999999-2222-4333-8444-555555555555";
        const { diagnostics } = await client.analyze(accountInput(raw));
        expect(diagnostics.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
            ["azure-openai-account-enforce-cmk-system-identity", "mandatory"],
        ]);
        expect(diagnostics[0].message).toContain(
            "Azure OpenAI supports customer-managed keys with the system-assigned identity only",
        );
    });

    it("Analyze: an unknown value is reported as not-evaluated (the SDK's advisory), never a pass", async () => {
        const preview = account();
        (preview.properties as Record<string, unknown>).disableLocalAuth = UNKNOWN;
        const { diagnostics } = await client.analyze(accountInput(preview));
        expect(diagnostics).toHaveLength(1);
        expect(diagnostics[0]).toMatchObject({
            policyName: "azure-openai-account-disallow-local-auth",
            enforcementLevel: "advisory",
        });
        expect(isNotEvaluated(diagnostics[0].message)).toBe(true);
    });

    it("AnalyzeStack: the compliant stack in preview (ids unknown) has no diagnostics at all", async () => {
        const { diagnostics } = await client.analyzeStack(wire(compliantStack(true)));
        expect(diagnostics).toEqual([]);
    });

    it("AnalyzeStack: a missing diagnostic setting is found through URN links in preview, on the account", async () => {
        const { diagnostics } = await client.analyzeStack(
            wire(compliantStack(true).filter((f) => f.name !== "openai-diagnostics")),
        );
        expect(diagnostics).toHaveLength(1);
        expect(diagnostics[0]).toMatchObject({
            policyName: "azure-openai-account-enable-audit-diagnostics",
            urn: urnOf(stack, types.account, "openai"),
            enforcementLevel: "mandatory",
        });
        expect(diagnostics[0].message).toContain("Account 'openai': diagnostic setting is missing");
    });

    // Last: it reconfigures the pack with an exemption.
    it("an exempted stack-policy finding is filed under a policy the pack declares, so the engine's summary knows it", async () => {
        const info = await client.getAnalyzerInfo();
        const expires = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
        const exemption = {
            id: "EX-1",
            policy: "azure-openai-account-enable-audit-diagnostics",
            stack,
            urn: urnOf(stack, types.account, "openai"),
            reason: "audit pipeline migration in progress",
            owner: "team-ai",
            ticket: "SEC-1",
            expires,
        };
        const profileConfig = JSON.parse(fs.readFileSync(path.join(packDir, "config/eu-gdpr.json"), "utf8"));
        profileConfig[exemption.policy] = { ...profileConfig[exemption.policy], exemptions: [exemption] };
        await client.configure(reconcilePolicyConfig(info, profileConfig));
        const { diagnostics } = await client.analyzeStack(
            wire(compliantStack(true).filter((f) => f.name !== "openai-diagnostics")),
        );
        expect(diagnostics.map((d) => [d.policyName, d.enforcementLevel, d.urn])).toEqual([
            [exemptionsAppliedPolicy, "advisory", exemption.urn],
        ]);
        expect(info.policies.find((p) => p.name === exemptionsAppliedPolicy)).toMatchObject({
            type: "stack",
            enforcementLevel: "advisory",
        });
        expect(diagnostics.every((d) => info.policies.some((p) => p.name === d.policyName))).toBe(true);
    });
});
