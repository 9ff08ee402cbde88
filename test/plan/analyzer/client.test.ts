import * as path from "path";
import {
    AnalyzerClient,
    AnalyzerInfo,
    PolicyConfigError,
    PolicyPackError,
    reconcilePolicyConfig,
} from "../../../plan/analyzer";
import { unknownSentinel } from "../../../plan/sentinel";

const fixtures = path.join(__dirname, "..", "fixtures");
const account = "azure-native:cognitiveservices:Account";
const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;

describe("AnalyzerClient against a real pack process", () => {
    let client: AnalyzerClient;
    let info: AnalyzerInfo;
    beforeAll(async () => {
        client = await AnalyzerClient.start({
            packDir: path.join(fixtures, "pack"),
            project: "p",
            stack: "s",
            preview: true,
        });
        info = await client.getAnalyzerInfo();
        await client.configureStack({ project: "p", stack: "s", preview: true });
        await client.configure(
            reconcilePolicyConfig(info, {
                "fixture-account-allowed-kinds": { allowedKinds: ["OpenAI", "AIServices"] },
            }),
        );
    });
    afterAll(() => client.close());

    it("reads every policy with its type, level, remediation, url and config schema", () => {
        expect(info.name).toBe("fixture-pack");
        expect(info.version).toBe("0.0.1");
        const byName = Object.fromEntries(info.policies.map((p) => [p.name, p]));
        expect(byName["fixture-account-disallow-public-network-access"]).toMatchObject({
            type: "resource",
            enforcementLevel: "mandatory",
            severity: "high",
            url: "https://example.com/policies/public-network-access",
        });
        // No level of its own: the pack's level applies.
        expect(byName["fixture-account-allowed-kinds"].enforcementLevel).toBe("advisory");
        expect(byName["fixture-endpoint-targets-account"].type).toBe("stack");
        expect(byName["fixture-account-allowed-kinds"].configSchema?.properties.allowedKinds.default).toEqual([
            "OpenAI",
        ]);
    });

    it("analyzes a resource's inputs and returns each violation with its level", async () => {
        const result = await client.analyze({
            urn: urn(account, "a"),
            type: account,
            name: "a",
            properties: { kind: "AIServices", properties: { publicNetworkAccess: "Enabled", disableLocalAuth: false } },
        });
        const names = result.diagnostics.map((d) => `${d.policyName}:${d.enforcementLevel}`).sort();
        // allowedKinds came from the user's config: AIServices passes.
        expect(names).toEqual([
            "fixture-account-disable-local-auth:mandatory",
            "fixture-account-disallow-public-network-access:mandatory",
        ]);
        expect(
            result.diagnostics.find((d) => d.policyName === "fixture-account-disallow-public-network-access")!.message,
        ).toContain("publicNetworkAccess is 'Enabled'");
    });

    it("reports the SDK's type filter as not-applicable for other types", async () => {
        const result = await client.analyze({
            urn: urn("random:index/randomPet:RandomPet", "r"),
            type: "random:index/randomPet:RandomPet",
            name: "r",
            properties: {},
        });
        expect(result.diagnostics).toEqual([]);
        expect(result.notApplicable.map((n) => n.policyName)).toContain(
            "fixture-account-disallow-public-network-access",
        );
    });

    it("sends parents and property dependencies to AnalyzeStack; an unknown link is not evaluated", async () => {
        const pe = "azure-native:network:PrivateEndpoint";
        const result = await client.analyzeStack([
            { urn: urn(account, "a"), type: account, name: "a", properties: { kind: "OpenAI" } },
            {
                urn: urn(pe, "pe"),
                type: pe,
                name: "pe",
                parent: urn("pulumi:pulumi:Stack", "p-s"),
                properties: { privateLinkServiceConnections: [{ privateLinkServiceId: unknownSentinel }] },
                propertyDependencies: { privateLinkServiceConnections: [urn(account, "a")] },
            },
        ]);
        expect(result.diagnostics).toHaveLength(1);
        expect(result.diagnostics[0].message).toMatch(/^can't run policy 'fixture-endpoint-targets-account'/);
    });
});

describe("reconcilePolicyConfig (what the engine sends to Configure)", () => {
    const info: AnalyzerInfo = {
        name: "pack",
        version: "1",
        displayName: "",
        description: "",
        initialConfig: { b: { enforcementLevel: "advisory" } },
        policies: [
            {
                name: "a",
                displayName: "",
                description: "",
                type: "resource",
                enforcementLevel: "mandatory",
                tags: [],
                configSchema: {
                    properties: { max: { type: "number", default: 3 }, mode: { type: "string", enum: ["x", "y"] } },
                    required: [],
                },
            },
            { name: "b", displayName: "", description: "", type: "stack", enforcementLevel: "mandatory", tags: [] },
        ],
    };

    it("applies schema defaults, then the pack's initial config, then the user's", () => {
        expect(reconcilePolicyConfig(info, undefined)).toEqual({
            a: { enforcementLevel: "mandatory", properties: { max: 3 } },
            b: { enforcementLevel: "advisory", properties: {} },
        });
        expect(reconcilePolicyConfig(info, { a: { max: 5, mode: "y" }, b: "mandatory" })).toEqual({
            a: { enforcementLevel: "mandatory", properties: { max: 5, mode: "y" } },
            b: { enforcementLevel: "mandatory", properties: {} },
        });
    });

    it("lets `all` set every level before per-policy entries", () => {
        const c = reconcilePolicyConfig(info, { all: "advisory", a: "disabled" });
        expect(c.a.enforcementLevel).toBe("disabled");
        expect(c.b.enforcementLevel).toBe("advisory");
    });

    it("fails with every problem: schema violations, bad levels and unknown policies", () => {
        const run = () =>
            reconcilePolicyConfig(info, {
                a: { max: "many", mode: "z", enforcementLevel: "sometimes" },
                nope: "advisory",
            });
        expect(run).toThrow(PolicyConfigError);
        try {
            run();
        } catch (e) {
            const problems = (e as PolicyConfigError).problems.join("\n");
            expect(problems).toMatch(/a\.enforcementLevel: 'sometimes' is not an enforcement level/);
            expect(problems).toMatch(/nope: no policy of that name/);
            expect(problems).toMatch(/a\.max: must be number/);
            expect(problems).toMatch(/a\.mode: must be equal to one of the allowed values \(x, y\)/);
        }
    });

    it("still fails a policy left unconfigured whose schema requires a property it does not default", () => {
        const requiring: AnalyzerInfo = {
            ...info,
            policies: [
                {
                    ...info.policies[0],
                    name: "c",
                    configSchema: { properties: { owner: { type: "string" } }, required: ["owner"] },
                },
            ],
        };
        expect(() => reconcilePolicyConfig(requiring, undefined)).toThrow(/c: must have required property 'owner'/);
        expect(reconcilePolicyConfig(requiring, { c: { owner: "team-ai" } }).c.properties).toEqual({
            owner: "team-ai",
        });
    });
});

describe("a pack that misbehaves is a clear error", () => {
    it("times out when the pack never prints a port", async () => {
        await expect(
            AnalyzerClient.start({
                packDir: path.join(fixtures, "silent-pack"),
                project: "p",
                stack: "s",
                preview: true,
                timeoutMs: 1500,
            }),
        ).rejects.toThrow(/printed no port within 1500 ms/);
    });

    it("fails the call when the pack dies mid-run", async () => {
        const client = await AnalyzerClient.start({
            packDir: path.join(fixtures, "dying-pack"),
            project: "p",
            stack: "s",
            preview: true,
        });
        try {
            const run = client.analyze({ urn: urn(account, "a"), type: account, name: "a", properties: {} });
            await expect(run).rejects.toThrow(PolicyPackError);
            await expect(run).rejects.toThrow(/exited \(code 7\)|Analyze of .* failed/);
        } finally {
            await client.close();
        }
    });
});
