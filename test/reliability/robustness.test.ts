/**
 * The plan fails closed and loudly: bad stack files, a program that throws, an invoke that fails and a pack that dies
 * mid-run are exit 2 with a clear message and no report; resources with odd-typed properties are judged, not crashed
 * on; nothing secret reaches the outputs or the report; no code path lists account keys.
 * The built CLI is spawned once (for its real exit code); the other cases call its `main` in-process.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { getProfile } from "../../catalogue/profiles";
import { projectName } from "../../infra/config";
import { badConfigCases, badRawConfig, expectedPaths } from "./bad-configs";
import { assertBuilt, distDir, inWorkerRealm, repoRoot, requireDist, runStack } from "../support/dist";
import { rawStackConfig, stackNames } from "../support/stacks";

type Main = (argv: string[], io: { out: (s: string) => void; err: (s: string) => void }) => Promise<number>;
const fixtures = path.join(__dirname, "fixtures");
/** Pulumi's wire signature of a secret value. */
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

async function plan(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const { main } = requireDist<{ main: Main }>("plan/cli.js");
    let out = "";
    let err = "";
    const code = await main(inWorkerRealm(argv), {
        out: (s) => {
            out += s;
        },
        err: (s) => {
            err += s;
        },
    });
    return { code, out, err };
}

let tmp: string;
beforeAll(() => {
    assertBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the plan CLI on bad stack files", () => {
    const sample = [
        "global-standard-sku",
        "persona-upn-developers",
        "capacity-over-spend-limit",
        "retention-total-below-profile",
        "subnet-outside-vnet",
        "unknown-top-level-key",
        "capacity-string",
    ].map((id) => badConfigCases().find((c) => c.config.id === id)!);

    it("exits 2 listing every problem of every stack by key path, and writes no report", () => {
        const dir = path.join(tmp, "bad-stacks");
        fs.mkdirSync(dir);
        for (const c of sample) {
            const raw = badRawConfig(c) as Record<string, unknown>;
            const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [`${projectName}:${k}`, v]));
            fs.writeFileSync(path.join(dir, `Pulumi.${c.config.id}.yaml`), stringify({ config }));
        }
        const out = path.join(tmp, "bad-report.json");
        const run = spawnSync(
            process.execPath,
            [path.join(distDir, "plan", "cli.js"), "--stacks-dir", dir, "--format", "json", "--out", out],
            { cwd: repoRoot, encoding: "utf8", timeout: 60000 },
        );
        expect(run.status).toBe(2);
        for (const c of sample) {
            expect(run.stderr).toContain(`stack '${c.config.id}'`);
            // Each problem stands at its stack file's line and column, then its key path.
            for (const p of expectedPaths(c))
                expect(run.stderr).toMatch(
                    new RegExp(
                        `  - \\S*Pulumi\\.${c.config.id}\\.yaml:\\d+:\\d+: ${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `,
                    ),
                );
        }
        expect(fs.existsSync(out)).toBe(false);
        expect(run.stdout).toBe("");
    });
});

describe("the plan CLI's exit codes at its edges", () => {
    const fixturePack = path.join(repoRoot, "test", "plan", "fixtures", "pack");
    const unknownInUpdate = [
        "--program",
        path.join(fixtures, "program-unknown-in-update.js"),
        "--policy-pack",
        fixturePack,
        "--update",
    ];

    it("exits 2 on policy config that is not JSON, naming the file, and writes no report", async () => {
        const bad = path.join(tmp, "bad-policy-config.json");
        fs.writeFileSync(bad, '{ "azure-openai-account-disallow-local-auth": { "enforcementLevel": "advisory" ');
        const out = path.join(tmp, "bad-policy-config-report.json");
        const r = await plan(["--stack", stackNames()[0], "--policy-config", bad, "--format", "json", "--out", out]);
        expect({ code: r.code, err: r.err }).toEqual({
            code: 2,
            err: expect.stringMatching(
                new RegExp(`^error: Policy config ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid JSON`),
            ),
        });
        expect(fs.existsSync(out)).toBe(false);
    });

    it("exits 2 on a policy pack directory that does not exist, and on an unknown option, before planning anything", async () => {
        const missing = await plan(["--stack", stackNames()[0], "--policy-pack", path.join(tmp, "no-such-pack")]);
        expect({ code: missing.code, out: missing.out, err: missing.err }).toEqual({
            code: 2,
            out: "",
            err: expect.stringMatching(/^error: No policy pack at .*no-such-pack: expected a package\.json there/),
        });
        const unknown = await plan(["--stack", stackNames()[0], "--stirct"]);
        expect({ code: unknown.code, out: unknown.out, err: unknown.err }).toEqual({
            code: 2,
            out: "",
            err: expect.stringContaining("Unknown option '--stirct'"),
        });
    });

    it("--strict --update fails on a mandatory check that stays unknown with every value known", async () => {
        const r = await plan([...unknownInUpdate, "--strict"]);
        expect(r.code).toBe(1);
        expect(r.out).toMatch(
            /FAIL: 0 violated checks with 0 mandatory and 0 advisory findings, 1 mandatory not evaluated \(strict: fails\)/,
        );
        expect(r.out).toContain(
            "[mandatory] fixture-account-disable-local-auth  azure-native:cognitiveservices:Account::oai-unknown",
        );
    });

    // That a production stack is strict by default is resolveTargets' (test/plan/cli.test.ts); here, the override.
    it("--no-strict on a production program reports the unknown check and passes", async () => {
        const notStrict = await plan([...unknownInUpdate, "--config", "environment=prod", "--no-strict"]);
        expect(notStrict.code).toBe(0);
        expect(notStrict.out).toMatch(
            /prod, update, not strict\)\n {2}Verdicts: 2 passed, 0 violated, 0 not-applicable, 1 not-evaluated, 0 exempted\. PASS: 0 violated checks with 0 mandatory and 0 advisory findings, 1 mandatory not evaluated\n/,
        );
    });
});

describe("the plan on broken programs and packs", () => {
    it("exits 2 with the program's own error when it throws after registering, and writes no report", async () => {
        const out = path.join(tmp, "throws.json");
        const r = await plan([
            "--program",
            path.join(fixtures, "program-throws.js"),
            "--profile",
            "eu-gdpr",
            "--format",
            "json",
            "--out",
            out,
        ]);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/boom: the program failed after its first resource/);
        expect(fs.existsSync(out)).toBe(false);
    });

    it("exits 2 naming an invoke that fails, and writes no report", async () => {
        const r = await plan([
            "--program",
            path.join(fixtures, "program-bad-invoke.js"),
            "--profile",
            "eu-gdpr",
            "--format",
            "json",
        ]);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/azure-native:network:getVirtualNetwork/);
        expect(r.out).toBe("");
    });

    it("exits 2 when the pack dies mid-run, naming the call that failed, and writes no report", async () => {
        const out = path.join(tmp, "pack-dies.json");
        const stack = stackNames()[0];
        const r = await plan([
            "--stack",
            stack,
            "--policy-pack",
            path.join(fixtures, "pack-dies"),
            "--format",
            "json",
            "--out",
            out,
        ]);
        expect(r.code).toBe(2);
        // Whichever the client sees first: the dropped connection or the exit of the process.
        expect(r.err).toMatch(
            new RegExp(
                `^error: Analyze of urn:pulumi:${stack}::\\S+ failed: (Connection dropped|the policy pack exited \\(code 70\\))`,
            ),
        );
        expect(fs.existsSync(out)).toBe(false);
    });

    it("judges resources with missing and odd-typed properties (violations, not a crash) and never shows a secret", async () => {
        const out = path.join(tmp, "odd.json");
        const r = await plan([
            "--program",
            path.join(fixtures, "program-odd-types.js"),
            "--profile",
            "eu-gdpr",
            "--update",
            "--format",
            "json",
            "--out",
            out,
        ]);
        expect(r.err).not.toMatch(/TypeError|Cannot read|undefined is not/);
        expect(r.code).toBe(1);
        const text = fs.readFileSync(out, "utf8");
        const report = JSON.parse(text) as {
            stacks: { violations: { policyName: string; urn: string }[]; resources: { name: string }[] }[];
        };
        const violated = new Set(report.stacks[0].violations.map((v) => v.urn.split("::").pop()));
        for (const name of ["odd-properties", "odd-values", "bare", "odd-deployment"]) expect(violated).toContain(name);
        expect(text).not.toContain("SuperSecretValue-4711");
        expect(text).not.toContain(secretSignature);
        expect(text).toContain("[secret]");
    });
});

describe("secrets", () => {
    const keyNames =
        /"(key1|key2|primaryKey|secondaryKey|primaryConnectionString|connectionString|password|clientSecret|sharedKey)"/i;

    it("keeps the plan report of a committed stack free of secrets and keys", async () => {
        const stack =
            stackNames().find((s) => getProfile(String(rawStackConfig(s).profile)).customerManagedKeyRequired) ??
            stackNames()[0];
        const out = path.join(tmp, `${stack}.json`);
        const r = await plan(["--stack", stack, "--update", "--format", "json", "--out", out]);
        expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: expect.stringMatching(/all stacks pass\n$/) });
        const text = fs.readFileSync(out, "utf8");
        expect(text).not.toContain(secretSignature);
        expect(text).not.toMatch(keyNames);
    });

    it.each(stackNames())(
        "exports from %s only the documented identifiers, none of them a secret or a key",
        async (stack) => {
            const run = await runStack(stack, rawStackConfig(stack), false);
            expect(Object.keys(run.outputs).sort()).toEqual([
                "accountId",
                "accountName",
                "appIdentityClientIds",
                "costLimits",
                "deploymentNames",
                "endpoint",
                "gatewayUrl",
                "resourceGroupName",
                "workspaceId",
                "worstCaseDailySpendUsd",
            ]);
            const text = JSON.stringify(run.outputs);
            expect(text).not.toContain(secretSignature);
            expect(text).not.toMatch(keyNames);
        },
    );

    it("has no code path that lists account or workspace keys", () => {
        const listers =
            /\b(listAccountKeys|listKeys|listSharedKeys|getSharedKeys|listConnectionStrings|listWorkspaceKeys|listCredentials)\b/;
        const offenders: string[] = [];
        for (const dir of ["catalogue", "runtime", "infra", "components", "plan", "policies", "scripts"]) {
            const root = path.join(repoRoot, dir);
            if (!fs.existsSync(root)) continue;
            const walk = (d: string): void => {
                for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                    const p = path.join(d, e.name);
                    if (e.isDirectory() && e.name !== "bin" && e.name !== "node_modules") walk(p);
                    else if (/\.ts$/.test(e.name) && listers.test(fs.readFileSync(p, "utf8")))
                        offenders.push(path.relative(repoRoot, p));
                }
            };
            walk(root);
        }
        expect(offenders).toEqual([]);
    });
});
