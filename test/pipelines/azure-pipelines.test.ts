import { spawnSync } from "child_process";
import * as path from "path";
import { allStrings, loadAdoPipelines, repoRoot } from "./helpers";

const pipelines = loadAdoPipelines();
const byFile = (file: string) => pipelines.find((p) => p.file === file)!.data;

/** Output variable names the matrix script declares for Azure DevOps (`##vso[task.setvariable variable=NAME;isOutput=true]`). */
const adoOutputs = (() => {
    const result = spawnSync("node", [path.join(repoRoot, ".github", "scripts", "stack-matrix.js"), "--azure-devops"], {
        encoding: "utf8",
        env: { ...process.env, CANARY_PRODUCTION_STACK: "" },
    });
    if (result.status !== 0) throw new Error(result.stderr);
    return new Map(
        [...result.stdout.matchAll(/^##vso\[task\.setvariable variable=([a-z_]+);isOutput=true\](.*)$/gm)].map((m) => [
            m[1],
            m[2],
        ]),
    );
})();

describe("Azure Pipelines", () => {
    it("are all found", () => {
        expect(pipelines.map((p) => p.file)).toEqual([
            "deploy.yml",
            "preview.yml",
            path.join("templates", "pulumi-stack.yml"),
        ]);
    });

    it("use only output variables the matrix script writes", () => {
        const referenced = pipelines.flatMap((p) => [...p.text.matchAll(/rings\.([a-z_]+)/g)].map((m) => m[1]));
        expect(referenced.length).toBeGreaterThan(5);
        for (const name of referenced) expect([name, adoOutputs.has(name)]).toEqual([name, true]);
    });

    it("preview: non-production stacks in a matrix, production stacks only in a deployment job behind approvals, every stack once", () => {
        const jobs = byFile("preview.yml").stages[0].jobs as {
            job?: string;
            deployment?: string;
            environment?: string;
            strategy: Record<string, unknown>;
            steps?: { parameters: Record<string, string> }[];
            variables?: Record<string, string>;
        }[];
        const job = jobs.find((j) => j.job === "preview")!;
        expect(job.strategy.matrix).toBe("$[ dependencies.stacks.outputs['rings.nonprod_ado'] ]");
        expect(job.steps![0].parameters).toMatchObject({
            command: "preview",
            stacks: "$(stack):$(profile)",
            serviceConnection: "${{ variables.previewServiceConnection }}",
        });
        const prod = jobs.find((j) => j.deployment === "preview_prod")!;
        expect(prod.environment).toBe("aoai-preview-production");
        expect(prod.variables).toEqual({ stacks: "$[ dependencies.stacks.outputs['rings.prod_list'] ]" });
        const nonprod = Object.values(
            JSON.parse(adoOutputs.get("nonprod_ado")!) as Record<string, { stack: string }>,
        ).map((m) => m.stack);
        const production = adoOutputs
            .get("prod_list")!
            .split(" ")
            .filter(Boolean)
            .map((e) => e.split(":")[0]);
        expect([...nonprod, ...production].sort()).toEqual(
            (JSON.parse(adoOutputs.get("all")!) as { include: { stack: string }[] }).include.map((s) => s.stack).sort(),
        );
    });

    it("deploy: rings in order, each a deployment job in an environment, production ones separate from non-production", () => {
        const deploy = byFile("deploy.yml");
        expect(deploy.lockBehavior).toBe("sequential");
        const stages = Object.fromEntries(deploy.stages.map((s: { stage: string }) => [s.stage, s]));
        for (const s of ["nonprod", "canary", "production"])
            expect(stages[s].condition).toContain("eq(variables['Build.SourceBranch'], 'refs/heads/main')");
        expect(Object.keys(stages)).toEqual(["verify", "nonprod", "canary", "production"]);
        expect(stages.canary.dependsOn).toContain("nonprod");
        expect(stages.production.dependsOn).toContain("canary");
        const envs = ["nonprod", "canary", "production"].map((s) => stages[s].jobs[0].environment);
        expect(envs).toEqual(["aoai-nonprod", "aoai-canary", "aoai-production"]);
        expect(stages.canary.jobs[0].strategy.runOnce.deploy.steps[0].parameters.serviceConnection).toBe(
            "${{ variables.productionServiceConnection }}",
        );
        expect(stages.nonprod.jobs[0].strategy.runOnce.deploy.steps[0].parameters.serviceConnection).toBe(
            "${{ variables.nonprodServiceConnection }}",
        );
    });

    it("authenticate by workload identity federation only: no secret-like variable, no client secret", () => {
        const template = byFile(path.join("templates", "pulumi-stack.yml"));
        const task = template.steps.find((s: { task?: string }) => s.task === "AzureCLI@2");
        expect(task.inputs).toMatchObject({
            addSpnToEnvironment: true,
            azureSubscription: "${{ parameters.serviceConnection }}",
        });
        // A fresh federated token per pulumi call (pulumi-stack.sh asks System.OidcRequestUri), never the task's one.
        expect(task.inputs.inlineScript).not.toContain("$idToken");
        expect(task.inputs.inlineScript).toContain("export AZURE_FEDERATED_LOGIN=true");
        expect(task.env).toMatchObject({ SYSTEM_ACCESSTOKEN: "$(System.AccessToken)" });
        expect(task.inputs.inlineScript).toMatch(/ref-guard\.js main-head[\s\S]*pulumi-stack\.sh/);
        for (const p of pipelines) {
            const strings = allStrings(p.data).join("\n");
            expect(strings).not.toMatch(
                /servicePrincipalKey|ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|AZURE_STORAGE_KEY|ARM_ACCESS_KEY/,
            );
        }
        expect(task.inputs.inlineScript).toContain(".github/scripts/pulumi-stack.sh ${{ parameters.command }}");
    });

    it("install without scripts and the CLI by checksum", () => {
        const text = pipelines.map((p) => p.text).join("\n");
        const installs = [...text.matchAll(/npm ci[^\n]*/g)].map((m) => m[0]);
        expect(installs.length).toBeGreaterThan(1);
        for (const line of installs) expect(line).toBe("npm ci --ignore-scripts --no-audit --no-fund");
        expect(text).not.toContain("get.pulumi.com");
        expect(text).toContain(".github/scripts/install-pulumi-cli.sh");
    });
});
