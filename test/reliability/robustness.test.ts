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
import { projectName } from "../../infra/config";
import { badConfigs, badRawConfig } from "./bad-configs";
import { assertBuilt, distDir, inWorkerRealm, repoRoot, requireDist } from "../support/dist";

type Main = (argv: string[], io: { out: (s: string) => void; err: (s: string) => void }) => Promise<number>;
const fixtures = path.join(__dirname, "fixtures");
/** Pulumi's wire signature of a secret value. */
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

async function plan(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const { main } = requireDist<{ main: Main }>("plan/cli.js");
    let out = "";
    let err = "";
    const code = await main(inWorkerRealm(argv), { out: (s) => { out += s; }, err: (s) => { err += s; } });
    return { code, out, err };
}

let tmp: string;
beforeAll(() => {
    assertBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the plan CLI on bad stack files", () => {
    const sample = ["global-sku-eu-gdpr", "datazone-sku-au-irap", "persona-upn-developers", "capacity-over-spend-limit", "retention-total-below-profile", "subnet-outside-vnet", "unknown-top-level-key", "capacity-string"]
        .map((id) => badConfigs.find((c) => c.id === id)!);

    it("exits 2 listing every problem of every stack by key path, and writes no report", () => {
        const dir = path.join(tmp, "bad-stacks");
        fs.mkdirSync(dir);
        for (const c of sample) {
            const raw = badRawConfig(c) as Record<string, unknown>;
            const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [`${projectName}:${k}`, v]));
            fs.writeFileSync(path.join(dir, `Pulumi.${c.id}.yaml`), stringify({ config }));
        }
        const out = path.join(tmp, "bad-report.json");
        const run = spawnSync(process.execPath, [path.join(distDir, "plan", "cli.js"), "--stacks-dir", dir, "--format", "json", "--out", out], { cwd: repoRoot, encoding: "utf8", timeout: 60000 });
        expect(run.status).toBe(2);
        for (const c of sample) {
            expect(run.stderr).toContain(`stack '${c.id}'`);
            // Each problem stands at its stack file's line and column, then its key path.
            for (const p of c.paths) expect(run.stderr).toMatch(new RegExp(`  - \\S*Pulumi\\.${c.id}\\.yaml:\\d+:\\d+: ${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
        }
        expect(fs.existsSync(out)).toBe(false);
        expect(run.stdout).toBe("");
    });
});

describe("the plan on broken programs and packs", () => {
    it("exits 2 with the program's own error when it throws after registering, and writes no report", async () => {
        const out = path.join(tmp, "throws.json");
        const r = await plan(["--program", path.join(fixtures, "program-throws.js"), "--profile", "eu-gdpr", "--format", "json", "--out", out]);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/boom: the program failed after its first resource/);
        expect(fs.existsSync(out)).toBe(false);
    });

    it("exits 2 naming an invoke that fails, and writes no report", async () => {
        const r = await plan(["--program", path.join(fixtures, "program-bad-invoke.js"), "--profile", "eu-gdpr", "--format", "json"]);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/azure-native:network:getVirtualNetwork/);
        expect(r.out).toBe("");
    });

    it("exits 2 when the pack dies mid-run, naming the call that failed, and writes no report", async () => {
        const out = path.join(tmp, "pack-dies.json");
        const r = await plan(["--stack", "eu-prod", "--policy-pack", path.join(fixtures, "pack-dies"), "--format", "json", "--out", out]);
        expect(r.code).toBe(2);
        // Whichever the client sees first: the dropped connection or the exit of the process.
        expect(r.err).toMatch(/^error: Analyze of urn:pulumi:eu-prod::\S+ failed: (Connection dropped|the policy pack exited \(code 70\))/);
        expect(fs.existsSync(out)).toBe(false);
    });

    it("judges resources with missing and odd-typed properties (violations, not a crash) and never shows a secret", async () => {
        const out = path.join(tmp, "odd.json");
        const r = await plan(["--program", path.join(fixtures, "program-odd-types.js"), "--profile", "eu-gdpr", "--update", "--format", "json", "--out", out]);
        expect(r.err).not.toMatch(/TypeError|Cannot read|undefined is not/);
        expect(r.code).toBe(1);
        const text = fs.readFileSync(out, "utf8");
        const report = JSON.parse(text) as { stacks: { violations: { policyName: string; urn: string }[]; resources: { name: string }[] }[] };
        const violated = new Set(report.stacks[0].violations.map((v) => v.urn.split("::").pop()));
        for (const name of ["odd-properties", "odd-values", "bare", "odd-deployment"]) expect(violated).toContain(name);
        expect(text).not.toContain("SuperSecretValue-4711");
        expect(text).not.toContain(secretSignature);
        expect(text).toContain("[secret]");
    });
});

describe("secrets", () => {
    it("keeps stack outputs and the plan report of a committed stack free of secrets and keys", async () => {
        const out = path.join(tmp, "us-prod.json");
        const r = await plan(["--stack", "us-prod", "--update", "--format", "json", "--out", out]);
        expect([0, 1]).toContain(r.code);
        const text = fs.readFileSync(out, "utf8");
        expect(text).not.toContain(secretSignature);
        expect(text).not.toMatch(/"(key1|key2|primaryKey|secondaryKey|primaryConnectionString|connectionString|password|clientSecret|sharedKey)"/i);
        const outputs = (JSON.parse(text) as { stacks: { resources: { type: string; inputs: unknown }[] }[] }).stacks[0].resources.find((x) => x.type === "pulumi:pulumi:Stack");
        expect(outputs).toBeDefined();
    });

    it("has no code path that lists account or workspace keys", () => {
        const listers = /\b(listAccountKeys|listKeys|listSharedKeys|getSharedKeys|listConnectionStrings|listWorkspaceKeys|listCredentials)\b/;
        const offenders: string[] = [];
        for (const dir of ["catalogue", "runtime", "infra", "components", "plan", "policies", "scripts"]) {
            const root = path.join(repoRoot, dir);
            if (!fs.existsSync(root)) continue;
            const walk = (d: string): void => {
                for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                    const p = path.join(d, e.name);
                    if (e.isDirectory() && e.name !== "bin" && e.name !== "node_modules") walk(p);
                    else if (/\.ts$/.test(e.name) && listers.test(fs.readFileSync(p, "utf8"))) offenders.push(path.relative(repoRoot, p));
                }
            };
            walk(root);
        }
        expect(offenders).toEqual([]);
    });
});
