/** The CLI as a user runs it (compiled, its own process): exit codes 0, 1 and 2 and what each prints. */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "../../plan/cli";
import { resolveTargets } from "../../plan/stack-source";

const root = path.join(__dirname, "..", "..");
const cli = path.join(root, "dist", "plan", "cli.js");
const fixtures = "test/plan/fixtures";
const pack = ["--policy-pack", `${fixtures}/pack`];

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [cli, ...args], { cwd: root, timeout: 60000 }, (err, stdout, stderr) => {
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
    });
}

type Result = { code: number; stdout: string; stderr: string };
const out = path.join(os.tmpdir(), `plan-${process.pid}.json`);
const runs: Record<string, string[]> = {
    publicAccount: ["--program", `${fixtures}/programs/public-account.ts`, ...pack, "--format", "json", "--out", out],
    javascript: ["--program", `${fixtures}/programs/private-account.js`, ...pack, "--stack", "js"],
    broken: ["--stacks-dir", `${fixtures}/broken-stacks`, ...pack],
    throws: ["--program", `${fixtures}/programs/throws.js`, ...pack],
    unknownInvoke: ["--program", `${fixtures}/programs/unknown-invoke.js`, ...pack],
    dyingPack: ["--program", `${fixtures}/programs/private-account.js`, "--policy-pack", `${fixtures}/dying-pack`],
    strict: ["--program", `${fixtures}/programs/private-account.ts`, ...pack, "--strict"],
};
const results: Record<string, Result> = {};

// Every run at once: each is a few processes that mostly wait on module loading.
beforeAll(async () => {
    await Promise.all(
        Object.entries(runs).map(async ([k, args]) => {
            results[k] = await runCli(args);
        }),
    );
}, 90000);
afterAll(() => fs.rmSync(out, { force: true }));

describe("npm run plan exit codes", () => {
    it("exits 1 on a public, key-enabled account, naming both violations, and still writes the full report", () => {
        const r = results.publicAccount;
        expect(r.code).toBe(1);
        const report = JSON.parse(fs.readFileSync(out, "utf8"));
        expect(report.stacks[0].violations.map((v: { policyName: string }) => v.policyName).sort()).toEqual([
            "fixture-account-disable-local-auth",
            "fixture-account-disallow-public-network-access",
        ]);
        expect(r.stderr).toContain("FAILED (dev)");
    });

    it("exits 0 for a compliant JavaScript program", () => {
        const r = results.javascript;
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^Offline plan \(preview\): 1 stack/);
    });

    it("exits 2 on a broken stack config, listing every problem with its key path, and plans nothing", () => {
        const r = results.broken;
        expect(r.code).toBe(2);
        expect(r.stdout).toBe("");
        for (const key of [
            "network: missing required value",
            "publicAccess: unknown key",
            "location: 'eastus' is not allowed",
            "deployments[0].sku: 'GlobalStandard'",
            "access.developers.groupDisplayNames[0]",
            "gateway: profile eu-gdpr requires the governed AI gateway",
        ]) {
            expect(r.stderr).toContain(key);
        }
        expect(r.stderr).toContain("Invalid configuration for stack 'broken' (6 problems)");
    });

    it("exits 2 with the program's own message when it throws", () => {
        const r = results.throws;
        expect(r.code).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr).toMatch(/the program refused to run: boom/);
    });

    it("exits 2 naming an invoke that has no placeholder", () => {
        const r = results.unknownInvoke;
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/invoke 'azure-native:network:getVirtualNetwork'/);
    });

    it("exits 2 when the pack dies mid-run, with no partial report", () => {
        const r = results.dyingPack;
        expect(r.code).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr).toMatch(/policy pack exited \(code 7\)|Analyze of .* failed/);
    });

    it("in strict mode re-judges a check the preview could not run with cloud-computed values known, and says so", () => {
        const { strict } = results;
        expect(strict.code).toBe(0);
        expect(strict.stdout).toContain("1 not-evaluated");
        expect(strict.stdout).toContain("1 not evaluable in preview, passed with cloud-computed values known");
    });
});

describe("stack resolution", () => {
    it("is strict by default for production, and --no-strict / --strict override it", () => {
        const program = path.join(root, fixtures, "programs", "private-account.ts");
        const resolve = (strict: boolean | undefined, env: string) =>
            resolveTargets({ root, stacks: [], config: [`environment=${env}`], program, strict })[0].strict;
        expect(resolve(undefined, "prod")).toBe(true);
        expect(resolve(undefined, "nonprod")).toBe(false);
        expect(resolve(false, "prod")).toBe(false);
        expect(resolve(true, "nonprod")).toBe(true);
    });

    it("selects the profile's committed policy config, and an explicit --policy-config wins", () => {
        const program = path.join(root, fixtures, "programs", "private-account.ts");
        const t = resolveTargets({ root, stacks: ["x"], config: ["k=v"], program, profile: "eu-gdpr" })[0];
        expect(t.config).toEqual({
            "azure-openai-landing-zone:k": "v",
            "azure-openai-landing-zone:profile": "eu-gdpr",
        });
        const profileFile = path.join(root, "policies", "config", "eu-gdpr.json");
        expect(t.policyConfigPath).toBe(fs.existsSync(profileFile) ? profileFile : undefined);
        const explicit = path.join(root, fixtures, "exempt-local-auth.json");
        expect(
            resolveTargets({ root, stacks: [], config: [], program, profile: "eu-gdpr", policyConfig: explicit })[0]
                .policyConfigPath,
        ).toBe(explicit);
        expect(() => resolveTargets({ root, stacks: [], config: [], program, profile: "mars" })).toThrow(
            /--profile: Unknown compliance profile 'mars'/,
        );
        expect(() => resolveTargets({ root, stacks: ["nope"], config: [] })).toThrow(/No stack file for stack 'nope'/);
    });
});

describe("argument parsing", () => {
    it("reads every option", () => {
        expect(
            parseArgs([
                "--stack",
                "a",
                "--stack=b",
                "--program",
                "p.ts",
                "--config",
                "k=v",
                "--profile",
                "eu-gdpr",
                "--policy-config",
                "c.json",
                "--format",
                "sarif",
                "--out",
                "o",
                "--update",
                "--strict",
            ]),
        ).toEqual({
            stacks: ["a", "b"],
            program: "p.ts",
            config: ["k=v"],
            profile: "eu-gdpr",
            policyConfig: "c.json",
            format: "sarif",
            out: "o",
            preview: false,
            strict: true,
            help: false,
        });
    });

    it("rejects unknown options, bad formats and contradicting modes with a clear message", () => {
        expect(() => parseArgs(["--frmat", "json"])).toThrow(/Unknown option '--frmat'/);
        expect(() => parseArgs(["--format", "html"])).toThrow(
            /--format 'html': expected one of text, json, markdown, sarif/,
        );
        expect(() => parseArgs(["--preview", "--update"])).toThrow(/exclude each other/);
        expect(() => parseArgs(["--stack"])).toThrow(/--stack needs a value/);
    });
});
