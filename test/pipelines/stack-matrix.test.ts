import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { listStacks, PRODUCTION_NAME_PATTERNS, readProjectName, rings } from "../../.github/scripts/stack-matrix";
import { loadPack } from "../../.github/scripts/rules-diff";
import { loadWorkflows, repoRoot, workflow } from "./helpers";

const stackDir = path.join(repoRoot, "stacks");
// Read as text: importing infra/config would load the Pulumi SDK and double this suite's time.
const projectName = /export const projectName = "([^"]+)"/.exec(
    fs.readFileSync(path.join(repoRoot, "infra", "config.ts"), "utf8"),
)![1];
const stackFiles = fs.readdirSync(stackDir).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f));
const stackNames = stackFiles.map((f) => f.replace(/^Pulumi\.(.+)\.ya?ml$/, "$1")).sort();

/** Runs the `run:` command of the step that computes the matrix exactly as the job does, and reads GITHUB_OUTPUT. */
function runMatrixStep(file: string, job: string, env: Record<string, string> = {}): Record<string, string> {
    const step = workflow(loadWorkflows(), file).data.jobs[job].steps!.find((s) => s.run?.includes("stack-matrix.js"));
    if (!step?.run) throw new Error(`${file}: job ${job} has no step running stack-matrix.js`);
    const outFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gh-output-")), "output");
    fs.writeFileSync(outFile, "");
    const result = spawnSync("bash", ["-e", "-c", step.run], {
        cwd: repoRoot,
        env: { ...process.env, ...env, GITHUB_OUTPUT: outFile },
        encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`matrix step failed: ${result.stderr}`);
    return Object.fromEntries(
        fs
            .readFileSync(outFile, "utf8")
            .trim()
            .split("\n")
            .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
}

describe("stack matrix", () => {
    let previewOutputs: Record<string, string>;
    beforeAll(() => {
        previewOutputs = runMatrixStep("pr-preview.yml", "stacks");
    });

    it("the preview job's own command finds exactly the stack files in stacks/", () => {
        expect(stackNames.length).toBeGreaterThan(0);
        const matrix = JSON.parse(previewOutputs.all) as { include: { stack: string }[] };
        expect(matrix.include.map((s) => s.stack).sort()).toEqual(stackNames);
        expect(previewOutputs.all_count).toBe(String(stackNames.length));
    });

    it("reads environment and profile as the YAML parser does", () => {
        for (const entry of listStacks(repoRoot)) {
            const config = YAML.parse(fs.readFileSync(path.join(repoRoot, entry.file), "utf8")).config;
            expect(entry.environment).toBe(config[`${projectName}:environment`]);
            expect(entry.profile).toBe(config[`${projectName}:profile`]);
        }
    });

    it("reads the project name Pulumi uses, the one infra/ declares", () => {
        expect(readProjectName(repoRoot)).toBe(projectName);
    });

    it("a stack file added to the directory gets its job without touching a workflow", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
        fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        fs.cpSync(stackDir, path.join(root, "stacks"), { recursive: true });
        fs.writeFileSync(
            path.join(root, "stacks", "Pulumi.ca-prod.yaml"),
            `config:\n  ${projectName}:profile: "ca-pipeda" # quoted, with a comment\n  ${projectName}:environment: prod\n  azure-native:subscriptionId: 11111111-2222-3333-4444-555555555555\n`,
        );
        const added = listStacks(root).find((s) => s.stack === "ca-prod");
        expect(added).toEqual({
            stack: "ca-prod",
            file: path.join("stacks", "Pulumi.ca-prod.yaml"),
            environment: "prod",
            profile: "ca-pipeda",
            subscriptionId: "11111111-2222-3333-4444-555555555555",
        });
        expect(listStacks(root)).toHaveLength(stackNames.length + 1);
    });

    it("rejects a stack file without environment or with an unknown one, naming file and key", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
        fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        fs.mkdirSync(path.join(root, "stacks"));
        fs.writeFileSync(path.join(root, "stacks", "Pulumi.x.yaml"), `config:\n  ${projectName}:profile: eu-gdpr\n`);
        expect(() => listStacks(root)).toThrow(`stacks/Pulumi.x.yaml: missing config key '${projectName}:environment'`);
        fs.writeFileSync(
            path.join(root, "stacks", "Pulumi.x.yaml"),
            `config:\n  ${projectName}:profile: eu-gdpr\n  ${projectName}:environment: production\n`,
        );
        expect(() => listStacks(root)).toThrow("must be one of prod, nonprod, got 'production'");
    });

    it("splits rings: non-production, one production stack, then the rest; every stack exactly once", () => {
        const stacks = listStacks(repoRoot);
        const r = rings(stacks);
        expect(r.nonprod.every((s) => s.environment === "nonprod")).toBe(true);
        expect(r.canary).toHaveLength(stacks.some((s) => s.environment === "prod") ? 1 : 0);
        expect([...r.canary, ...r.production].every((s) => s.environment === "prod")).toBe(true);
        expect([...r.nonprod, ...r.canary, ...r.production].map((s) => s.stack).sort()).toEqual(stackNames);
    });

    it("honours CANARY_PRODUCTION_STACK and rejects an unknown or non-production one", () => {
        const stacks = listStacks(repoRoot);
        const prod = stacks.filter((s) => s.environment === "prod").map((s) => s.stack);
        const last = prod[prod.length - 1];
        expect(rings(stacks, last).canary.map((s) => s.stack)).toEqual([last]);
        expect(rings(stacks, last).production.map((s) => s.stack)).not.toContain(last);
        expect(() => rings(stacks, "nope")).toThrow("CANARY_PRODUCTION_STACK: no stack named 'nope'");
        const nonprod = stacks.find((s) => s.environment === "nonprod");
        if (nonprod) expect(() => rings(stacks, nonprod.stack)).toThrow("is not a production stack");
    });

    it("the deploy job's own command writes every ring with its count", () => {
        const out = runMatrixStep("deploy.yml", "stacks", { CANARY_PRODUCTION_STACK: "" });
        const names = (ring: string) =>
            (JSON.parse(out[ring]) as { include: { stack: string }[] }).include.map((s) => s.stack);
        const deployed = [...names("nonprod"), ...names("canary"), ...names("production")].sort();
        expect(deployed).toEqual(stackNames);
        for (const ring of ["nonprod", "canary", "production"])
            expect(out[`${ring}_count`]).toBe(String(names(ring).length));
    });

    it("splits the previews: every production stack behind the protected environment, the others without", () => {
        const r = rings(listStacks(repoRoot));
        expect(r.prod.map((s) => s.stack).sort()).toEqual([...r.canary, ...r.production].map((s) => s.stack).sort());
        expect(JSON.parse(previewOutputs.prod).include.length + JSON.parse(previewOutputs.nonprod).include.length).toBe(
            stackNames.length,
        );
    });

    it("refuses a stack named as production that says it is not, with the pack's own production patterns", () => {
        const pack = loadPack(repoRoot)["azure-openai-production-require-deletion-protection"];
        expect(PRODUCTION_NAME_PATTERNS).toEqual(pack.defaults.productionStackPatterns);
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
        fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        fs.mkdirSync(path.join(root, "stacks"));
        fs.writeFileSync(
            path.join(root, "stacks", "Pulumi.fr-prod.yaml"),
            `config:\n  ${projectName}:environment: nonprod\n  ${projectName}:profile: eu-gdpr\n`,
        );
        expect(() => listStacks(root)).toThrow(
            "stack 'fr-prod' is production by its name (*-prod, prod-*, prod) but 'azure-openai-landing-zone:environment' is 'nonprod': expected prod",
        );
    });
});
