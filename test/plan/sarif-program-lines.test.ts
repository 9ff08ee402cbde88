/**
 * A `--program` plan's SARIF points each finding at the program line that constructs its resource: the TypeScript
 * line (through the transpiler's source map), inside a callback too, a component's child at the line that constructs
 * the component, and it says so when it can only point at an ancestor's line or at the file.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PlanReport } from "../../plan/report/model";
import { renderSarif } from "../../plan/report/sarif";
import { resolveTargets } from "../../plan/stack-source";
import { planOnce } from "../support/plans";
import { sarifValidator } from "../support/sarif-schema";

const root = path.join(__dirname, "..", "..");
const fixtures = path.join(__dirname, "fixtures");
const program = path.join(fixtures, "programs", "construction-sites.ts");
const source = fs.readFileSync(program, "utf8");
/** The 1-based line of `code` that contains `text` (0 when none does). */
const lineOf = (text: string, code = source) => code.split("\n").findIndex((l) => l.includes(text)) + 1;

interface SarifLocation {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } };
    message?: { text: string };
    logicalLocations: { name: string }[];
}
const locationOf = (report: PlanReport, resource: string, ruleId: string): SarifLocation => {
    const results: { ruleId: string; locations: SarifLocation[] }[] = JSON.parse(renderSarif(report)).runs[0].results;
    const result = results.find((r) => r.ruleId === ruleId && r.locations[0].logicalLocations[0].name === resource);
    if (!result) throw new Error(`no ${ruleId} result for ${resource}`);
    return result.locations[0];
};
const publicAccess = "fixture-account-disallow-public-network-access";
const allowedKinds = "fixture-account-allowed-kinds";

let report: PlanReport;

beforeAll(async () => {
    const targets = resolveTargets({
        root,
        stacks: [],
        config: [],
        program,
        // Every account's kind (OpenAI) is then a finding, the component's included.
        policyConfig: path.join(fixtures, "allow-ai-services-only.json"),
    });
    report = await planOnce(path.join(fixtures, "pack"), targets, true);
}, 60000);

describe("SARIF of a --program plan", () => {
    it("locates a finding at the TypeScript line that constructs the resource, not the transpiled line", () => {
        const construct = 'new cognitiveservices.Account("public-oai"';
        const location = locationOf(report, "public-oai", publicAccess);
        expect(location.physicalLocation).toEqual({
            artifactLocation: { uri: "test/plan/fixtures/programs/construction-sites.ts", uriBaseId: "%SRCROOT%" },
            region: { startLine: lineOf(construct) },
        });
        expect(location.message).toBeUndefined();
        // The code that runs has the line elsewhere, so the line above is the source map's doing.
        const transpiled = ts.transpileModule(source, {
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText;
        expect(lineOf(construct, transpiled)).toBeGreaterThan(0);
        expect(lineOf(construct, transpiled)).not.toBe(lineOf(construct));
    });

    it("locates a resource constructed in a callback at its line inside the callback", () => {
        expect(locationOf(report, "team-a-oai", publicAccess).physicalLocation.region.startLine).toBe(
            lineOf("const account = new cognitiveservices.Account(`${team}-oai`"),
        );
    });

    it("locates a component's child at the program line that constructs the component", () => {
        const location = locationOf(report, "platform-account", allowedKinds);
        expect(location.physicalLocation.region.startLine).toBe(lineOf('new OpenAiAccount("platform"'));
        expect(location.message).toBeUndefined();
    });

    it("without a line of its own, falls back to its ancestor's line, then to line 1, and says so", () => {
        const s = report.stacks[0];
        const child = s.resources.find((r) => r.name === "platform-account")!;
        const lines = { ...s.source.resourceLines };
        delete lines[child.urn];
        const withLines = (resourceLines: Record<string, number>): PlanReport => ({
            ...report,
            stacks: [{ ...s, source: { ...s.source, resourceLines } }],
        });
        const inherited = locationOf(withLines(lines), "platform-account", allowedKinds);
        expect(inherited.physicalLocation.region.startLine).toBe(lineOf('new OpenAiAccount("platform"'));
        expect(inherited.message?.text).toMatch(/^Located where the program constructs platform, which contains/);
        const unknown = locationOf(withLines({}), "public-oai", publicAccess);
        expect(unknown.physicalLocation.region.startLine).toBe(1);
        expect(unknown.message?.text).toMatch(/constructs this resource is not known .*: located at line 1\.$/);

        const validate = sarifValidator();
        validate(JSON.parse(renderSarif(withLines({}))));
        expect(validate.errors ?? []).toEqual([]);
    });
});
