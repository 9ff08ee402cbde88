/**
 * The offline plan judged against what the Pulumi engine does (docs/plan.md, "What the engine sends"), through the real
 * planner, worker and pack processes, one plan per mode with the recording pack (test/plan/fixtures/recording-pack):
 * - it reports back exactly what each call received: AnalyzeStack must get every resource's outputs as its provider
 *   returns them (never its inputs), Analyze its inputs after Check, both with options, provider, parent and
 *   dependencies as the engine fills them;
 * - it carries the fixture pack's policies, which judge the fixture programs, secure and insecure, in a preview and
 *   in an update under those shapes: a secure program draws no violation and an insecure one is caught, in both modes.
 * The committed stacks and the generated mutants are judged the same way in test/plan/stacks.test.ts and
 * test/reliability/mutation-matrix.test.ts.
 */
import * as path from "path";
import { providerOutputs } from "../../plan/provider/outputs";
import { resourceSchema } from "../../plan/provider/sdk-schema";
import { PlanReport } from "../../plan/report/model";
import { unknownSentinel as U } from "../../plan/sentinel";
import { resolveTargets } from "../../plan/stack-source";
import { planJobs } from "../support/plans";

const root = path.join(__dirname, "..", "..");
const fixtures = path.join(__dirname, "fixtures");
const programs = path.join(fixtures, "programs");
/** eu-prod's names, from its stack file: the component is `<namePrefix>`, the account `<namePrefix>-oai-<suffix>`. */
const prefix = String(
    resolveTargets({ root, stacks: ["eu-prod"], config: [] })[0].config["azure-openai-landing-zone:namePrefix"],
);
const oaiPrefix = `${prefix}-oai`;
type Props = Record<string, unknown>;

interface Recorded {
    call: "Analyze" | "AnalyzeStack";
    type?: string;
    name?: string;
    props: Props;
    opts: { protect: boolean; parent?: string };
    provider: { urn: string; type: string; name: string; props: Props } | null;
    parent?: string | null;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

/** What the recording pack reported, per stack and call: URN to what it received. */
function recordings(report: PlanReport, stack: string): Record<"Analyze" | "AnalyzeStack", Map<string, Recorded>> {
    const s = report.stacks.find((x) => x.stack === stack)!;
    const out = { Analyze: new Map<string, Recorded>(), AnalyzeStack: new Map<string, Recorded>() };
    for (const v of s.violations.filter((x) => x.policyName.startsWith("record-"))) {
        const r = JSON.parse(v.message) as Recorded;
        out[r.call].set(v.urn, r);
    }
    return out;
}

/**
 * One plan per mode: a committed stack and the fixture programs, through the recording pack (which also carries the
 * fixture pack's policies). It takes no policy config: the stack's profile config names the real pack's policies.
 */
const targets = (preview: boolean) =>
    [
        ...resolveTargets({ root, stacks: ["eu-prod"], config: [], strict: false }),
        ...resolveTargets({
            root,
            stacks: ["demo"],
            config: ["azure-native:location=westeurope"],
            program: path.join(programs, "private-account.js"),
        }),
        ...["private-account.ts", "public-account.ts", "misdirected-endpoint.ts"].flatMap((p) =>
            resolveTargets({
                root,
                stacks: [p.replace(/\.ts$/, "")],
                config: [],
                program: path.join(programs, p),
                strict: preview,
            }),
        ),
    ].map((t) => ({ ...t, policyConfigPath: undefined }));

const reports: Record<"preview" | "update", PlanReport> = {} as never;

beforeAll(async () => {
    const packDir = path.join(fixtures, "recording-pack");
    [reports.preview, reports.update] = await planJobs(packDir, [
        { targets: targets(true), preview: true },
        { targets: targets(false), preview: false },
    ]);
}, 90000);

describe.each(["preview", "update"] as const)("what the pack receives, %s", (mode) => {
    const preview = mode === "preview";

    it("AnalyzeStack gets every custom resource's outputs as its provider returns them for the inputs Analyze got, never the inputs", () => {
        for (const stack of ["eu-prod", "demo"]) {
            const { Analyze, AnalyzeStack } = recordings(reports[mode], stack);
            const custom = reports[mode].stacks.find((s) => s.stack === stack)!.resources.filter((r) => r.custom);
            expect(custom.length).toBeGreaterThan(0);
            for (const r of custom) {
                const inputs = Analyze.get(r.urn)!.props;
                const outputs = AnalyzeStack.get(r.urn)!.props;
                expect({ urn: r.urn, outputs }).toEqual({
                    urn: r.urn,
                    outputs: providerOutputs(r.type, r.name, inputs, preview),
                });
                const inputOnly = resourceSchema(r.type)?.inputOnly.filter((k) => k in inputs) ?? [];
                for (const k of inputOnly)
                    expect({ urn: r.urn, [k]: outputs[k] }).toEqual({ urn: r.urn, [k]: undefined });
            }
        }
    });

    it("an account's outputs: no path parameters; name and id unknown in a preview, Azure's in an update", () => {
        const { Analyze, AnalyzeStack } = recordings(reports[mode], "eu-prod");
        const urn = [...AnalyzeStack.keys()].find((u) =>
            u.endsWith(`azure-native:cognitiveservices:Account::${prefix}-openai-account`),
        )!;
        const inputs = Analyze.get(urn)!.props;
        const outputs = AnalyzeStack.get(urn)!.props;
        expect(inputs).toMatchObject({
            accountName: expect.stringMatching(new RegExp(`^${oaiPrefix}-`)),
            resourceGroupName: expect.anything(),
        });
        expect(Object.keys(outputs)).not.toContain("accountName");
        expect(Object.keys(outputs)).not.toContain("resourceGroupName");
        if (preview)
            expect(outputs).toMatchObject({
                name: U,
                id: U,
                properties: { endpoint: U, publicNetworkAccess: "Disabled" },
            });
        else
            expect(outputs).toMatchObject({
                name: inputs.accountName,
                id: expect.stringMatching(
                    new RegExp(`/providers/Microsoft\\.CognitiveServices/accounts/${oaiPrefix}-`),
                ),
                type: "Microsoft.CognitiveServices/accounts",
            });
    });

    it("a component gets its registered outputs and the stack its exports; Analyze gets their inputs", () => {
        const { Analyze, AnalyzeStack } = recordings(reports[mode], "eu-prod");
        const stackUrn = [...AnalyzeStack.keys()].find((u) => u.includes("::pulumi:pulumi:Stack::"))!;
        expect(Object.keys(AnalyzeStack.get(stackUrn)!.props)).toEqual(
            expect.arrayContaining(["endpoint", "accountId", "accountName"]),
        );
        const zone = [...AnalyzeStack.values()].find((r) => r.type === "azure-openai-lz:landingzone:RegionalOpenAi")!;
        expect(Object.keys(zone.props)).toEqual(expect.arrayContaining(["accountName", "endpoint"]));
        const zoneUrn = [...AnalyzeStack.entries()].find(([, r]) => r === zone)![0];
        expect(Analyze.get(zoneUrn)!.props).toEqual({});
    });

    it("the engine's default provider is a resource of the stack, and every custom resource names it with its inputs", () => {
        const { Analyze, AnalyzeStack } = recordings(reports[mode], "demo");
        const provider = [...AnalyzeStack.values()].find((r) => r.type === "pulumi:providers:azure-native")!;
        expect(provider).toMatchObject({
            name: expect.stringMatching(/^default_\d+_\d+_\d+$/),
            props: { location: "westeurope", version: expect.stringMatching(/^\d+\.\d+\.\d+$/) },
            parent: null,
        });
        const account = [...Analyze.entries()].find(([u]) =>
            u.endsWith("azure-native:cognitiveservices:Account::oai-js"),
        )!;
        expect(account[1].provider).toMatchObject({
            type: "pulumi:providers:azure-native",
            name: provider.name,
            props: { location: "westeurope" },
        });
        // Check's API version; the location the program left out stays out (only the real provider knows its default).
        expect(account[1].props).toMatchObject({ azureApiVersion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}/) });
        expect(account[1].props.location).toBeUndefined();
    });

    it("options, parent, dependencies and property dependencies are the engine's", () => {
        const { AnalyzeStack } = recordings(reports[mode], "eu-prod");
        const all = [...AnalyzeStack.entries()];
        const [accountUrn, account] = all.find(([u]) => u.endsWith(`::${prefix}-openai-account`))!;
        expect(account.opts.protect).toBe(true);
        expect(account.parent).toMatch(new RegExp(`azure-openai-lz:ai:OpenAiAccount::${prefix}-openai$`));
        expect(account.opts.parent).toBe(account.parent);
        const pe = all.find(
            ([, r]) =>
                r.type === "azure-native:network:PrivateEndpoint" && JSON.stringify(r.props).includes('"account"'),
        )![1];
        expect(pe.propertyDependencies!.privateLinkServiceConnections).toEqual([accountUrn]);
        expect(pe.dependencies).toContain(accountUrn);
        // The engine leaves a property with no dependency out.
        for (const [, r] of all)
            for (const urns of Object.values(r.propertyDependencies ?? {})) expect(urns.length).toBeGreaterThan(0);
    });
});

describe.each(["preview", "update"] as const)("the fixture programs judged under the engine's shapes, %s", (mode) => {
    const of = (stack: string) => reports[mode].stacks.find((s) => s.stack === stack)!;
    const mandatory = (stack: string) =>
        of(stack)
            .violations.filter((v) => v.enforcementLevel === "mandatory")
            .map((v) => v.policyName)
            .sort();

    it("a secure program draws no violation and leaves nothing unresolved", () => {
        expect(mandatory("private-account")).toEqual([]);
        expect(of("private-account").result.failed).toBe(false);
    });

    it("a public, key-enabled account is caught", () => {
        expect(mandatory("public-account")).toEqual([
            "fixture-account-disable-local-auth",
            "fixture-account-disallow-public-network-access",
        ]);
    });

    it("an endpoint connected to a vault instead of the account is caught (a strict preview confirms it with values known)", () => {
        const record = of("misdirected-endpoint").verdicts.find(
            (v) => v.policyName === "fixture-endpoint-targets-account",
        )!;
        if (mode === "update") expect(record.verdict).toBe("violated");
        else expect(record).toMatchObject({ verdict: "not-evaluated", confirmedWithKnownValues: "violated" });
        expect(of("misdirected-endpoint").result.failed).toBe(true);
    });
});
