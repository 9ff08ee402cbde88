/**
 * The pack's own analyzer handlers (policies/fast-analyzer.ts) answer exactly as @pulumi/policy's server does: the
 * same requests go to a pack with them and to a pack with the SDK's (fixtures/sdk-dispatch-pack), under the same
 * config (a rule disabled, one lowered to advisory, an exemption), and every Analyze and AnalyzeStack answer must match:
 * the same diagnostics in the same order, the same not-applicable entries and reasons. Needs `npm run build`.
 */
import * as fs from "fs";
import * as path from "path";
import { types } from "../../catalogue/azure";
import { AnalyzeResult, AnalyzerClient, AnalyzerResourceInput, reconcilePolicyConfig } from "../../plan/analyzer";
import { project, StackFixture, UNKNOWN, urnOf } from "./harness";
import { account, classicVault, compliantStack, genericVault, mutate, vault, vaultKey, workspace } from "./fixtures";

const packDir = path.resolve(__dirname, "../../policies");
/** The same policies served by the SDK's own handlers (a pack that does not import policies/fast-analyzer). */
const sdkPackDir = path.resolve(__dirname, "fixtures/sdk-dispatch-pack");
const stack = "eu-prod";

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

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Compliant stacks in both modes, and the same stack weakened in ways that exercise every answer kind. */
function stacks(): StackFixture[][] {
    const weakened = mutate(compliantStack(false), "kv", (f) => {
        const p = f.props as Props;
        p.properties.enablePurgeProtection = false;
        p.properties.publicNetworkAccess = "Enabled";
        p.properties.networkAcls.defaultAction = "Allow";
        p.properties.accessPolicies = [
            { tenantId: "t", objectId: "o", permissions: { keys: ["all"], secrets: ["get"] } },
        ];
        p.location = "eastus";
    });
    const extra: StackFixture[] = [
        { type: types.classicVault, name: "kv-classic", props: { ...classicVault(), purgeProtectionEnabled: false } },
        { type: types.genericResource, name: "kv-generic", props: genericVault() },
        {
            type: types.genericResource,
            name: "storage-generic",
            props: {
                resourceProviderNamespace: "Microsoft.Storage",
                resourceType: "storageAccounts",
                location: "eastus",
            },
        },
        {
            type: "azure-native:keyvault/v20240401preview:Key",
            name: "key-versioned",
            props: { ...vaultKey(), properties: { kty: "EC" } },
        },
        {
            type: "azure-native:network:VirtualNetwork",
            name: "vnet",
            props: { virtualNetworkName: "vnet", location: "eastus" },
        },
        { type: types.workspace, name: "law-unknown", props: { ...workspace(), features: UNKNOWN } },
        {
            type: types.account,
            name: "openai-bad",
            props: { ...account(), properties: { publicNetworkAccess: "Enabled" } },
        },
    ];
    // Read through the handler's one-field decoding and its per-resource policy documents: a secret id and name, an
    // API policy that does not parse (both gateway rules read it).
    const secret = (value: string) => ({
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        value,
    });
    const oddFields = mutate(
        mutate(
            mutate(compliantStack(true), "apim-api-policy", (f) => {
                (f.props as Props).value = "<policies><inbound>";
            }),
            "openai",
            (f) => {
                (f.props as Props).id = secret((f.props as Props).id);
            },
        ),
        "rg",
        (f) => {
            (f.props as Props).name = secret((f.props as Props).name);
        },
    );
    return [compliantStack(false), compliantStack(true), [...weakened, ...extra], oddFields];
}

const sorted = (r: AnalyzeResult) => ({
    diagnostics: r.diagnostics,
    notApplicable: [...r.notApplicable].sort((a, b) => a.policyName.localeCompare(b.policyName)),
});

async function configured(dispatch: "fast" | "sdk"): Promise<AnalyzerClient> {
    const client = await AnalyzerClient.start({
        packDir: dispatch === "sdk" ? sdkPackDir : packDir,
        project,
        stack,
        preview: true,
    });
    await client.configureStack({ project, stack, preview: true });
    const config = JSON.parse(fs.readFileSync(path.join(packDir, "config/us-hipaa.json"), "utf8"));
    config["azure-openai-resource-require-tags"] = {
        ...config["azure-openai-resource-require-tags"],
        enforcementLevel: "disabled",
    };
    config["azure-openai-key-vault-key-configure-rotation"] = {
        ...config["azure-openai-key-vault-key-configure-rotation"],
        enforcementLevel: "advisory",
    };
    config["azure-openai-key-vault-enable-purge-protection"] = {
        exemptions: [
            {
                id: "EX-TEST-1",
                policy: "azure-openai-key-vault-enable-purge-protection",
                stack,
                name: "kv",
                reason: "A test waiver of purge protection.",
                owner: "sec@contoso.com",
                ticket: "SEC-1",
                expires: "2099-12-31",
            },
        ],
    };
    await client.configure(reconcilePolicyConfig(await client.getAnalyzerInfo(), config));
    return client;
}

let fast: AnalyzerClient;
let sdk: AnalyzerClient;

beforeAll(async () => {
    if (!fs.existsSync(path.join(packDir, "bin/policies/fast-analyzer.js")))
        throw new Error("policies/bin is missing: run `npm run build` before this test");
    [fast, sdk] = await Promise.all([configured("fast"), configured("sdk")]);
});

afterAll(async () => {
    await Promise.all([fast?.close(), sdk?.close()]);
});

describe("the pack's analyzer handlers and the SDK's give the same answers", () => {
    it.each(stacks().map((s, i) => [i, s] as const))(
        "stack %i: every Analyze and the AnalyzeStack",
        async (_i, fixtures) => {
            const inputs = wire(fixtures);
            const kinds = new Set<string>();
            const answers = await Promise.all(
                inputs.map((input) => Promise.all([fast.analyze(input), sdk.analyze(input)])),
            );
            answers.forEach(([a, b], i) => {
                expect({ urn: inputs[i].urn, ...sorted(a) }).toEqual({ urn: inputs[i].urn, ...sorted(b) });
                for (const n of a.notApplicable)
                    kinds.add(n.reason.startsWith("exempted:") ? "exempted" : "not-applicable");
            });
            const [a, b] = await Promise.all([fast.analyzeStack(inputs), sdk.analyzeStack(inputs)]);
            expect(a.diagnostics).toEqual(b.diagnostics);
            expect(sorted(a).notApplicable).toEqual(sorted(b).notApplicable);
            expect(kinds.has("not-applicable")).toBe(true);
        },
    );

    it("the weakened stack exercises violations of both levels, not-evaluated and exemptions", async () => {
        const kinds = new Set<string>();
        for (const r of await Promise.all(wire(stacks()[2]).map((input) => fast.analyze(input)))) {
            for (const d of r.diagnostics)
                kinds.add(d.message.startsWith("can't run") ? "not-evaluated" : `violated:${d.enforcementLevel}`);
            for (const n of r.notApplicable) if (n.reason.startsWith("exempted:")) kinds.add("exempted");
        }
        expect([...kinds].sort()).toEqual(["exempted", "not-evaluated", "violated:advisory", "violated:mandatory"]);
    });

    it("a disabled rule gives no answer at all, as with the SDK", async () => {
        const [input] = wire([{ type: types.vault, name: "kv", props: vault() }]);
        const r = await fast.analyze(input);
        expect(r.notApplicable.map((n) => n.policyName)).not.toContain("azure-openai-resource-require-tags");
        expect(r.diagnostics.map((d) => d.policyName)).not.toContain("azure-openai-resource-require-tags");
    });
});
