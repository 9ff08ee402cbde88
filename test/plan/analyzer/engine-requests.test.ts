/**
 * What the plan sends a pack for a planned stack, call by call, as the engine fills it (plan/analyzer/engine-requests.ts;
 * pulumi/pulumi step_generator.go `analyzeAll` and `AnalyzeResources`, default_providers.go, analyzer_plugin.go).
 */
import { defaultProviderName, engineRequests } from "../../../plan/analyzer";
import { encodeAnalyzeStack } from "../../../plan/analyzer/encoding";
import { durationSeconds, PlannedResource } from "../../../plan/mock-runtime";
import { unknownSentinel as U } from "../../../plan/sentinel";

const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;
const planned = (r: Partial<PlannedResource> & Pick<PlannedResource, "type" | "name" | "custom">): PlannedResource => ({
    urn: urn(r.type, r.name),
    inputs: {},
    protect: false,
    dependencies: [],
    propertyDependencies: {},
    aliases: [],
    retainOnDelete: false,
    ignoreChanges: [],
    additionalSecretOutputs: [],
    ...r,
});

const stack = planned({ type: "pulumi:pulumi:Stack", name: "p-s", custom: false, outputs: { endpoint: U } });
const component = planned({
    type: "lz:ai:Zone",
    name: "zone",
    custom: false,
    parent: stack.urn,
    outputs: { accountName: "oai" },
});
const account = planned({
    type: "azure-native:cognitiveservices:Account",
    name: "acct",
    custom: true,
    parent: component.urn,
    protect: true,
    version: "3.28.0",
    deleteBeforeReplace: true,
    customTimeouts: { create: 1800, update: 0, delete: 600 },
    inputs: { accountName: "oai", resourceGroupName: "rg", kind: "OpenAI" },
    outputs: { kind: "OpenAI", name: U, id: U },
    propertyDependencies: { accountName: [], resourceGroupName: [urn("azure-native:resources:ResourceGroup", "rg")] },
});
const pet = planned({
    type: "random:index/randomPet:RandomPet",
    name: "pet",
    custom: true,
    version: "4.21.2",
    inputs: { length: 2 },
    outputs: { length: 2, id: U },
});

describe("engineRequests", () => {
    const requests = engineRequests(
        { project: "p", stack: "s", resources: [stack, component, account, pet] },
        { "azure-native:location": "westeurope", "p:profile": "eu-gdpr" },
    );
    const byUrn = (list: typeof requests.analyze) => new Map(list.map((r) => [r.urn, r]));
    const defaultProvider = urn("pulumi:providers:azure-native", "default_3_28_0");

    it("sends Analyze the inputs and AnalyzeStack the outputs of a custom resource", () => {
        expect(byUrn(requests.analyze).get(account.urn)!.properties).toEqual(account.inputs);
        expect(byUrn(requests.analyzeStack).get(account.urn)!.properties).toEqual(account.outputs);
    });

    it("sends a component's registered outputs and the stack's exports to AnalyzeStack, their (empty) inputs to Analyze", () => {
        expect(byUrn(requests.analyzeStack).get(component.urn)!.properties).toEqual({ accountName: "oai" });
        expect(byUrn(requests.analyzeStack).get(stack.urn)!.properties).toEqual({ endpoint: U });
        expect(byUrn(requests.analyze).get(component.urn)!.properties).toEqual({});
    });

    it("registers each package's default provider (named after its version, inputs from the package's config) before its first resource", () => {
        expect(requests.analyze.map((r) => r.urn)).toEqual([
            stack.urn,
            component.urn,
            defaultProvider,
            account.urn,
            urn("pulumi:providers:random", "default_4_21_2"),
            pet.urn,
        ]);
        const provider = byUrn(requests.analyzeStack).get(defaultProvider)!;
        expect(provider).toMatchObject({
            type: "pulumi:providers:azure-native",
            name: "default_3_28_0",
            properties: { location: "westeurope", version: "3.28.0" },
        });
        expect(provider.parent).toBeUndefined();
        expect(byUrn(requests.analyze).get(account.urn)!.provider).toEqual({
            urn: defaultProvider,
            type: "pulumi:providers:azure-native",
            name: "default_3_28_0",
            properties: { location: "westeurope", version: "3.28.0" },
        });
        expect(byUrn(requests.analyze).get(component.urn)!.provider).toBeUndefined();
    });

    it("carries options, parent and dependencies, and leaves out a property with no dependency", () => {
        const r = byUrn(requests.analyzeStack).get(account.urn)!;
        expect(r).toMatchObject({ protect: true, parent: component.urn, deleteBeforeReplace: true });
        const msg = encodeAnalyzeStack([r]).getResourcesList()[0];
        const deps: Record<string, string[]> = {};
        msg.getPropertydependenciesMap().forEach((v: { getUrnsList(): string[] }, k: string) => {
            deps[k] = v.getUrnsList();
        });
        expect(deps).toEqual({ resourceGroupName: [urn("azure-native:resources:ResourceGroup", "rg")] });
        expect(msg.getParent()).toBe(component.urn);
        expect(msg.getOptions().getParent()).toBe(component.urn);
        expect(msg.getOptions().getDeletebeforereplacedefined()).toBe(true);
        expect([
            msg.getOptions().getCustomtimeouts().getCreate(),
            msg.getOptions().getCustomtimeouts().getDelete(),
        ]).toEqual([1800, 600]);
        expect(msg.getProvider().getUrn()).toBe(defaultProvider);
    });

    it("uses an explicit provider's inputs when a resource names one", () => {
        const explicit = planned({
            type: "pulumi:providers:azure-native",
            name: "weu",
            custom: true,
            inputs: { location: "westeurope" },
        });
        const r = planned({ ...account, provider: `${explicit.urn}::0b1e` });
        const requests2 = engineRequests({ project: "p", stack: "s", resources: [explicit, r] }, {});
        expect(requests2.analyze.map((x) => x.urn)).toEqual([explicit.urn, r.urn]);
        expect(requests2.analyze[1].provider).toEqual({
            urn: explicit.urn,
            type: explicit.type,
            name: "weu",
            properties: { location: "westeurope" },
        });
        expect(requests2.analyzeStack[0].properties).toEqual({ location: "westeurope" });
    });
});

describe("durationSeconds (the engine parses custom timeouts as Go durations)", () => {
    it.each([
        ["30m", 1800],
        ["1h30m", 5400],
        ["90s", 90],
        ["1.5h", 5400],
        ["500ms", 0.5],
        ["", 0],
    ])("%s -> %s s", (text, seconds) => {
        expect(durationSeconds(text)).toBeCloseTo(seconds);
    });
});

describe("defaultProviderName (providers/provider.go DefaultName)", () => {
    it.each([
        [undefined, "default"],
        ["3.28.0", "default_3_28_0"],
        ["1.2.3-alpha.1", "default_1_2_3_alpha_1"],
        ["1.2.3+build.5", "default_1_2_3_build_5"],
    ])("%s -> %s", (version, name) => {
        expect(defaultProviderName(version)).toBe(name);
    });
});
