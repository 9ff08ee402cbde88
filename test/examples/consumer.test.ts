/**
 * The packages as another repository uses them: examples/consumer imports the components by package name, and
 * examples/policy-pack builds its own pack from the policies package with its own levels. Planned offline through
 * the CLI, as a user would, so packaging cannot break silently.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.join(__dirname, "..", "..");
const out = path.join(os.tmpdir(), `consumer-plan-${process.pid}.json`);
let run: { code: number; stderr: string };
let report: {
    stacks: {
        project: string;
        policyPack: { name: string };
        resources: { type: string }[];
        policies: { name: string; enforcementLevel: string }[];
    }[];
};

beforeAll(async () => {
    run = await new Promise((resolve) => {
        execFile(
            process.execPath,
            [
                path.join(root, "dist", "plan", "cli.js"),
                "--program",
                "examples/consumer/index.ts",
                "--policy-pack",
                "examples/policy-pack",
                "--profile",
                "eu-gdpr",
                "--format",
                "json",
                "--out",
                out,
            ],
            { cwd: root, timeout: 60000 },
            (err, _stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }),
        );
    });
    report = JSON.parse(fs.readFileSync(out, "utf8"));
}, 90000);
afterAll(() => fs.rmSync(out, { force: true }));

describe("a consumer of the packages", () => {
    it("imports the components and the pack by package name, never by a path into this repository", () => {
        const program = fs.readFileSync(path.join(root, "examples", "consumer", "index.ts"), "utf8");
        const pack = fs.readFileSync(path.join(root, "examples", "policy-pack", "index.js"), "utf8");
        expect(program).toContain('from "@azure-openai-lz/components"');
        expect(pack).toContain('require("azure-openai-policies")');
        expect(`${program}\n${pack}`).not.toMatch(/from "\.\.?\/|require\("\.\.?\//);
        expect(
            require.resolve("@azure-openai-lz/components", { paths: [path.join(root, "examples", "consumer")] }),
        ).toBe(path.join(root, "components", "bin", "components", "index.js"));
        expect(require.resolve("azure-openai-policies", { paths: [path.join(root, "examples", "policy-pack")] })).toBe(
            path.join(root, "policies", "bin", "policies", "guard.js"),
        );
    });

    it("plans a landing zone that passes its own pack, which runs at the levels the consumer chose", () => {
        expect(run.stderr).toMatch(/all stacks pass/);
        expect(run.code).toBe(0);
        const [s] = report.stacks;
        expect(s.project).toBe("contoso-ai-sandbox");
        expect(s.policyPack.name).toBe("contoso-azure-openai");
        expect(s.resources.map((r) => r.type)).toEqual(
            expect.arrayContaining(["azure-native:cognitiveservices:Account", "azure-native:network:PrivateEndpoint"]),
        );
        const level = (name: string) => s.policies.find((p) => p.name === name)?.enforcementLevel;
        expect(level("azure-openai-resource-require-tags")).toBe("advisory");
        expect(level("azure-openai-deployment-limit-worst-case-spend")).toBe("mandatory");
        expect(level("azure-openai-account-disallow-public-network-access")).toBe("mandatory");
    });
});
