import { ProgramRun, runProgram } from "../../plan/mock-runtime";
import { types } from "../../catalogue/azure";
import { ContentFilterArgs, validateContentFilterArgs } from "../../components/content-filter";
import { blocklistItemsFor } from "../../components/dlp-patterns";
import { DlpPattern } from "../../catalogue/profiles";
import { ofType, one } from "../support/resources";

const usPatterns: DlpPattern[] = ["creditCard", "usSsn", "email", "phone", "apiKey"];

/** The filter on a real account output, as the composite wires it. */
async function run(overrides: Partial<ContentFilterArgs> = {}, preview = false): Promise<ProgramRun> {
    return runProgram({
        project: "p",
        stack: "s",
        config: {},
        preview,
        program: async () => {
            const cs = await import("@pulumi/azure-native/cognitiveservices");
            const { ContentFilter } = await import("../../components/content-filter");
            const account = new cs.Account("acct", { resourceGroupName: "rg-x", accountName: "oai-x", kind: "OpenAI" });
            const filter = new ContentFilter("filter", {
                resourceGroupName: "rg-x",
                accountName: account.name,
                tags: { owner: "team" },
                dlpPatterns: usPatterns,
                ...overrides,
            });
            return { policyName: filter.policyName, policyId: filter.policyId };
        },
    });
}

type Filter = { name: string; enabled: boolean; blocking: boolean; severityThreshold?: string; source: string };
type PolicyProps = {
    basePolicyName: string;
    mode: string;
    contentFilters: Filter[];
    customBlocklists: { blocklistName: string; blocking: boolean; source: string }[];
};

describe("ContentFilter", () => {
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        applied = await run();
        preview = await run({}, true);
    });

    it("creates one policy, one blocklist and one regex item per pattern expression", () => {
        const expected = blocklistItemsFor(usPatterns);
        for (const r of [applied, preview]) {
            one(r, types.raiPolicy);
            one(r, types.raiBlocklist);
            const items = ofType(r, types.raiBlocklistItem);
            expect(items.map((i) => i.inputs.raiBlocklistItemName)).toEqual(expected.map((e) => e.id));
            expect(items.map((i) => i.inputs.properties)).toEqual(
                expected.map((e) => ({ pattern: e.pattern, isRegex: true })),
            );
        }
    });

    it("is no weaker than Microsoft.DefaultV2: every harm category blocking at Medium on prompts and completions", () => {
        const props = one(applied, types.raiPolicy).inputs.properties as PolicyProps;
        expect(props.basePolicyName).toBe("Microsoft.DefaultV2");
        expect(props.mode).toBe("Blocking");
        for (const source of ["Prompt", "Completion"]) {
            for (const name of ["Hate", "Sexual", "Violence", "Selfharm"]) {
                expect(props.contentFilters).toContainEqual({
                    name,
                    source,
                    enabled: true,
                    blocking: true,
                    severityThreshold: "Medium",
                });
            }
        }
        expect(props.contentFilters).toContainEqual({
            name: "Jailbreak",
            source: "Prompt",
            enabled: true,
            blocking: true,
        });
        expect(props.contentFilters).toContainEqual({
            name: "Indirect Attack",
            source: "Prompt",
            enabled: true,
            blocking: true,
        });
        expect(props.contentFilters).toContainEqual({
            name: "Protected Material Text",
            source: "Completion",
            enabled: true,
            blocking: true,
        });
        expect(props.contentFilters).toContainEqual({
            name: "Protected Material Code",
            source: "Completion",
            enabled: true,
            blocking: true,
        });
        expect(props.contentFilters).toHaveLength(12);
        expect(props.contentFilters.every((f) => f.enabled && f.blocking)).toBe(true);
    });

    it("blocks prompts with the DLP blocklist, only after every item exists", () => {
        for (const r of [applied, preview]) {
            const policy = one(r, types.raiPolicy);
            const blocklist = one(r, types.raiBlocklist);
            // Known in preview too: the blocklist is referenced by its plain name, the order kept by dependsOn.
            expect((policy.inputs.properties as PolicyProps).customBlocklists).toEqual([
                { blocklistName: "landing-zone-dlp", blocking: true, source: "Prompt" },
            ]);
            expect(blocklist.inputs.raiBlocklistName).toBe("landing-zone-dlp");
            expect(policy.dependencies).toContain(blocklist.urn);
            for (const item of ofType(r, types.raiBlocklistItem)) expect(policy.dependencies).toContain(item.urn);
        }
    });

    it("binds everything to the account and parents it under the component (items under their blocklist)", () => {
        const account = one(applied, types.account);
        const component = one(applied, "azure-openai-lz:ai:ContentFilter");
        const blocklist = one(applied, types.raiBlocklist);
        for (const r of [one(applied, types.raiPolicy), blocklist, ...ofType(applied, types.raiBlocklistItem)]) {
            expect(r.inputs.accountName).toBe("oai-x");
            expect(r.propertyDependencies.accountName).toEqual([account.urn]);
        }
        expect(one(applied, types.raiPolicy).parent).toBe(component.urn);
        expect(blocklist.parent).toBe(component.urn);
        for (const item of ofType(applied, types.raiBlocklistItem)) expect(item.parent).toBe(blocklist.urn);
        expect(applied.outputs).toEqual({
            policyName: "landing-zone-strict",
            policyId: one(applied, types.raiPolicy).id,
        });
    });

    it("applies a stricter Low threshold to every graded category", async () => {
        const r = await run({ blockingThreshold: "Low", dlpPatterns: ["email"] });
        const props = one(r, types.raiPolicy).inputs.properties as PolicyProps;
        expect(
            props.contentFilters.filter((f) => f.severityThreshold !== undefined).map((f) => f.severityThreshold),
        ).toEqual(Array(8).fill("Low"));
        expect(ofType(r, types.raiBlocklistItem)).toHaveLength(1);
    });

    it("creates no blocklist when no pattern is selected, and keeps the policy as strict", async () => {
        const r = await run({ dlpPatterns: [] });
        expect(ofType(r, types.raiBlocklist)).toHaveLength(0);
        const props = one(r, types.raiPolicy).inputs.properties as PolicyProps;
        expect(props.customBlocklists).toEqual([]);
        expect(props.contentFilters).toHaveLength(12);
    });

    it("rejects bad arguments synchronously, naming each one", () => {
        expect(() => validateContentFilterArgs({ dlpPatterns: [], blockingThreshold: "High" as never })).toThrow(
            /blockingThreshold: 'High' expected Low or Medium/,
        );
        expect(() => validateContentFilterArgs({ dlpPatterns: [], policyName: "has space" })).toThrow(
            /policyName: 'has space' expected 1-64 letters/,
        );
        expect(() => validateContentFilterArgs({ dlpPatterns: ["ssn" as DlpPattern] })).toThrow(
            /dlpPatterns\[0\]: 'ssn' is not a known DLP pattern/,
        );
        expect(() => validateContentFilterArgs({ dlpPatterns: usPatterns })).not.toThrow();
    });
});
