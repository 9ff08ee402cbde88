/** Every report format over real plans of fixture programs (real worker processes, real pack process). */
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { PlanReport } from "../../plan/report/model";
import { renderJson } from "../../plan/report/json";
import { isCommentFor, markerFor, renderStackMarkdown } from "../../plan/report/markdown";
import { renderSarif } from "../../plan/report/sarif";
import { stackKeyLine } from "../../plan/report/stack-keys";
import { renderText } from "../../plan/report/text";
import { resolveTargets } from "../../plan/stack-source";
import { unknownMarker } from "../../plan/values";
import { checkFlowchart } from "./mermaid-check";
import { planJobs } from "../support/plans";
import { sarifValidator } from "../support/sarif-schema";

const root = path.join(__dirname, "..", "..");
const fixtures = path.join(__dirname, "fixtures");
const packDir = path.join(fixtures, "pack");
const target = (program: string, extra: Partial<Parameters<typeof resolveTargets>[0]> = {}) =>
    resolveTargets({ root, stacks: [], config: [], program: path.join(fixtures, "programs", program), ...extra });

let failing: PlanReport;
let preview: PlanReport;
let update: PlanReport;
let misdirected: PlanReport;

beforeAll(async () => {
    [failing, preview, update, misdirected] = await planJobs(packDir, [
        {
            targets: target("public-account.ts", { policyConfig: path.join(fixtures, "exempt-local-auth.json") }),
            preview: true,
        },
        { targets: target("private-account.ts", { stacks: ["demo"], strict: true }), preview: true },
        { targets: target("private-account.ts", { stacks: ["demo"] }), preview: false },
        { targets: target("misdirected-endpoint.ts", { stacks: ["demo"], strict: true }), preview: true },
    ]);
}, 60000);

describe("json", () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(root, "docs", "report.schema.json"), "utf8")));

    it("validates against docs/report.schema.json for failing, preview and update plans", () => {
        for (const report of [failing, preview, update]) {
            const ok = validate(JSON.parse(renderJson(report)));
            expect(validate.errors ?? []).toEqual([]);
            expect(ok).toBe(true);
        }
    });

    it("names violations with lower-case levels and applies policy config (exemption, raised level)", () => {
        const s = JSON.parse(renderJson(failing)).stacks[0];
        expect(
            s.violations.map(
                (v: { policyName: string; enforcementLevel: string }) => `${v.policyName}:${v.enforcementLevel}`,
            ),
        ).toEqual(["fixture-account-disallow-public-network-access:mandatory"]);
        expect(s.verdicts.find((v: { verdict: string }) => v.verdict === "exempted")).toMatchObject({
            policyName: "fixture-account-disable-local-auth",
            exemption: { exemptionId: "EX-1", owner: "team-ai", expires: "2099-12-31" },
        });
        expect(s.policies.find((p: { name: string }) => p.name === "fixture-account-allowed-kinds")).toMatchObject({
            enforcementLevel: "mandatory",
            defaultEnforcementLevel: "advisory",
        });
        expect(failing.summary.exitCode).toBe(1);
    });

    it("renders unknowns as a readable marker in preview and known ids in update", () => {
        const pe = (r: PlanReport) =>
            r.stacks[0].resources.find((x) => x.type === "azure-native:network:PrivateEndpoint")!;
        expect(JSON.stringify(pe(preview).inputs)).toContain(unknownMarker);
        expect(JSON.stringify(pe(update).inputs)).toContain("/providers/Microsoft.CognitiveServices/accounts/oai");
    });

    it("a stack policy that meets an unknown link is not-evaluated in preview, never passed; strict re-judges it with values known", () => {
        const record = (r: PlanReport) =>
            r.stacks[0].verdicts.find((v) => v.policyName === "fixture-endpoint-targets-account")!;
        expect(record(preview)).toMatchObject({ verdict: "not-evaluated", confirmedWithKnownValues: "passed" });
        expect(record(update).verdict).toBe("passed");
        expect(preview.stacks[0].result).toMatchObject({
            mandatoryViolations: 0,
            mandatoryNotEvaluated: 0,
            confirmedWithKnownValues: 1,
            failed: false,
        });
        expect(update.stacks[0].result.failed).toBe(false);
    });

    it("a strict preview fails when a check it could not judge is violated once values are known, and says so", () => {
        const record = misdirected.stacks[0].verdicts.find((v) => v.policyName === "fixture-endpoint-targets-account")!;
        expect(record).toMatchObject({ verdict: "not-evaluated", confirmedWithKnownValues: "violated" });
        expect(misdirected.stacks[0].result).toMatchObject({
            mandatoryViolations: 0,
            mandatoryNotEvaluated: 1,
            confirmedWithKnownValues: 0,
            failed: true,
        });
        expect(misdirected.summary).toMatchObject({ failedStacks: ["demo"], exitCode: 1 });
    });
});

describe("counts agree in every format", () => {
    it("one violated verdict per policy and resource with findings; policy counts add up to the stack's; stacks to the summary", () => {
        for (const report of [failing, preview, update, misdirected]) {
            for (const s of report.stacks) {
                const findingKeys = new Set(s.violations.map((v) => `${v.policyName} ${v.urn}`));
                expect(s.counts.violated).toBe(findingKeys.size);
                expect(s.result.mandatoryViolations + s.result.advisoryViolations).toBe(s.violations.length);
                for (const verdict of Object.keys(s.counts) as (keyof typeof s.counts)[]) {
                    expect(s.policies.reduce((n, p) => n + p.counts[verdict], 0)).toBe(s.counts[verdict]);
                }
                const text = renderText({ ...report, stacks: [s] });
                expect(text).toContain(`${s.counts.violated} violated check`);
                expect(text).toContain(
                    `${s.result.mandatoryViolations} mandatory and ${s.result.advisoryViolations} advisory finding`,
                );
                const sarif = JSON.parse(renderSarif({ ...report, stacks: [s] })).runs[0];
                expect(sarif.results.filter((r: { suppressions?: unknown }) => !r.suppressions)).toHaveLength(
                    s.violations.length,
                );
                expect(sarif.properties.counts).toEqual(s.counts);
            }
            expect(report.summary.counts.violated).toBe(report.stacks.reduce((n, s) => n + s.counts.violated, 0));
        }
    });

    it("lists every policy that ran in the text report, with its level and verdict counts", () => {
        const text = renderText(failing);
        for (const p of failing.stacks[0].policies) expect(text).toContain(`${p.name} [${p.enforcementLevel}]`);
    });
});

describe("sarif", () => {
    const validate = sarifValidator();

    it("validates against the SARIF 2.1.0 schema", () => {
        for (const report of [failing, preview, update]) {
            validate(JSON.parse(renderSarif(report)));
            expect(validate.errors ?? []).toEqual([]);
        }
    });

    it("has one rule per policy, an error per mandatory violation at the program file with the URN, and suppressions with justification", () => {
        const run = JSON.parse(renderSarif(failing)).runs[0];
        expect(run.tool.driver.rules.map((r: { id: string }) => r.id).sort()).toEqual(
            failing.stacks[0].policies.map((p) => p.name).sort(),
        );
        const errors = run.results.filter((r: { suppressions?: unknown }) => !r.suppressions);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatchObject({ ruleId: "fixture-account-disallow-public-network-access", level: "error" });
        expect(errors[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
            "test/plan/fixtures/programs/public-account.ts",
        );
        expect(errors[0].locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/::public-oai$/);
        const suppressed = run.results.find((r: { suppressions?: unknown }) => r.suppressions);
        expect(suppressed.suppressions[0]).toMatchObject({
            kind: "external",
            status: "accepted",
            justification: expect.stringContaining("legacy client migrating to Entra ID (owner team-ai"),
        });
    });

    it("locates a stack file's finding at the line of the key it is about, else the profile's line", () => {
        const s = failing.stacks[0];
        const fromStackFile = {
            ...failing,
            stacks: [
                {
                    ...s,
                    source: {
                        kind: "stack-file" as const,
                        file: "stacks/Pulumi.demo.yaml",
                        keyLines: { profile: 3, network: 9 },
                    },
                },
            ],
        };
        const run = JSON.parse(renderSarif(fromStackFile)).runs[0];
        const error = run.results.find((r: { suppressions?: unknown }) => !r.suppressions);
        expect(error.locations[0].physicalLocation).toEqual({
            artifactLocation: { uri: "stacks/Pulumi.demo.yaml", uriBaseId: "%SRCROOT%" },
            region: { startLine: 3 },
        });
        const deployment = {
            urn: "urn:pulumi:demo::p::azure-native:cognitiveservices:Deployment::chat",
            inputs: { deploymentName: "chat" },
        } as unknown as (typeof s.resources)[number];
        const withDeployment = {
            ...s,
            resources: [deployment],
            source: {
                kind: "stack-file" as const,
                file: "f",
                keyLines: { profile: 3, network: 9, deployments: 20, "deployments[chat]": 24 },
            },
        };
        expect(stackKeyLine(withDeployment, "azure-openai-deployment-enforce-data-residency-sku", deployment.urn)).toBe(
            24,
        );
        expect(stackKeyLine(withDeployment, "azure-openai-account-restrict-outbound-access", deployment.urn)).toBe(9);
        expect(stackKeyLine(withDeployment, "azure-openai-budget-require-notifications", deployment.urn)).toBe(3);
        expect(
            stackKeyLine(
                { ...s, source: { kind: "program", file: "p.ts" } },
                "azure-openai-budget-require-notifications",
                deployment.urn,
            ),
        ).toBeUndefined();
    });

    it("reads each config key's line from the stack file", () => {
        const stack = fs
            .readdirSync(path.join(root, "stacks"))
            .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
            .find(Boolean)!;
        const [t] = resolveTargets({ root, stacks: [stack], config: [] });
        const lines = fs.readFileSync(path.join(root, "stacks", `Pulumi.${stack}.yaml`), "utf8").split("\n");
        expect(t.keyLines?.location).toBe(
            lines.findIndex((l) => l.includes("azure-openai-landing-zone:location:")) + 1,
        );
        expect(t.keyLines?.profile).toBe(lines.findIndex((l) => l.includes("azure-openai-landing-zone:profile:")) + 1);
    });

    it("carries not-evaluated checks as tool execution notifications", () => {
        const run = JSON.parse(renderSarif(preview)).runs[0];
        expect(run.results).toEqual([]);
        expect(run.invocations[0].toolExecutionNotifications).toEqual([
            expect.objectContaining({ level: "error", descriptor: { id: "fixture-endpoint-targets-account" } }),
        ]);
    });
});

describe("markdown", () => {
    const md = () => renderStackMarkdown(preview.stacks[0]);

    it("opens with the hidden marker and puts verdicts before the diagram and the tree", () => {
        const text = md();
        expect(text.split("\n")[0]).toBe(markerFor("azure-openai-landing-zone", "demo"));
        expect(text.indexOf("Not evaluated")).toBeLessThan(text.indexOf("```mermaid"));
        expect(text.indexOf("effective enforcement levels")).toBeLessThan(text.indexOf("<details>"));
    });

    it("the marker matches its stack only, never one whose name shares a prefix", () => {
        const body = renderStackMarkdown(preview.stacks[0]);
        expect(isCommentFor(body, "azure-openai-landing-zone", "demo")).toBe(true);
        expect(isCommentFor(body, "azure-openai-landing-zone", "dem")).toBe(false);
        expect(isCommentFor(body.replace("stack=demo", "stack=demo-2"), "azure-openai-landing-zone", "demo")).toBe(
            false,
        );
    });

    it("draws VNet -> private endpoint -> account -> deployment and the DNS zone, in a valid flowchart", () => {
        const block = /```mermaid\n([\s\S]*?)\n```/.exec(md())![1];
        expect(checkFlowchart(block)).toEqual([]);
        const id = (label: string) => new RegExp(`(n\\d+)[[(]+"${label}`).exec(block)![1];
        const [vnet, pe, acct, dep, zone] = [
            id("VNet: vnet-spoke"),
            id("Private endpoint: oai-pe"),
            id("OpenAI account: oai"),
            id("Deployment: chat"),
            id("DNS zone: privatelink.openai.azure.com"),
        ];
        expect(block).toContain(`${vnet} --> ${pe}`);
        expect(block).toContain(`${pe} -->|"private link"| ${acct}`);
        expect(block).toContain(`${acct} --> ${dep}`);
        expect(block).toContain(`${pe} -.->|"A record"| ${zone}`);
    });

    it("trims the tree, never the verdicts, when a comment would be too long", () => {
        const full = renderStackMarkdown(preview.stacks[0]);
        const text = renderStackMarkdown(preview.stacks[0], full.length - 100);
        expect(text.length).toBeLessThanOrEqual(full.length - 100);
        expect(text).toContain("Not evaluated");
        expect(text).toContain("Tree trimmed to fit a comment");
    });
});

describe("text", () => {
    it("opens with the summary of verdict counts, then violations, then the resource tree", () => {
        const text = renderText(failing);
        expect(text.split("\n")[0]).toMatch(
            /^Offline plan \(preview\): 1 stack, 2 resources\. Verdicts: 1 passed, 1 violated, 0 not-applicable, 0 not-evaluated, 1 exempted\./,
        );
        expect(text.indexOf("Violations:")).toBeLessThan(text.indexOf("Resources ("));
        expect(text).toContain("remediation: Set publicNetworkAccess to Disabled");
        expect(text).toContain(
            "EX-1: legacy client migrating to Entra ID (owner team-ai, ticket SEC-101, expires 2099-12-31)",
        );
    });
});
