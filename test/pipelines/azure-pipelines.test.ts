import { spawnSync } from "child_process";
import * as path from "path";
import { allStrings, loadAdoPipelines, repoRoot } from "./helpers";

const pipelines = loadAdoPipelines();
const byFile = (file: string) => pipelines.find((p) => p.file === file)!.data;

/** Output variable names the matrix script declares for Azure DevOps (`##vso[task.setvariable variable=NAME;isOutput=true]`). */
const adoOutputs = (() => {
    const result = spawnSync("node", [path.join(repoRoot, ".github", "scripts", "stack-matrix.js"), "--azure-devops"], { encoding: "utf8", env: { ...process.env, CANARY_PRODUCTION_STACK: "" } });
    if (result.status !== 0) throw new Error(result.stderr);
    return new Map([...result.stdout.matchAll(/^##vso\[task\.setvariable variable=([a-z_]+);isOutput=true\](.*)$/gm)].map((m) => [m[1], m[2]]));
})();

describe("Azure Pipelines", () => {
    it("are all found", () => {
        expect(pipelines.map((p) => p.file)).toEqual(["deploy.yml", "preview.yml", path.join("templates", "pulumi-stack.yml")]);
    });

    it("use only output variables the matrix script writes", () => {
        const referenced = pipelines.flatMap((p) => [...p.text.matchAll(/rings\.([a-z_]+)/g)].map((m) => m[1]));
        expect(referenced.length).toBeGreaterThan(5);
        for (const name of referenced) expect([name, adoOutputs.has(name)]).toEqual([name, true]);
    });

    it("preview: one matrix job per stack file, computed at run time", () => {
        const preview = byFile("preview.yml");
        const job = preview.jobs.find((j: { job: string }) => j.job === "preview");
        expect(job.strategy.matrix).toBe("$[ dependencies.stacks.outputs['rings.all_ado'] ]");
        const matrix = JSON.parse(adoOutputs.get("all_ado")!) as Record<string, { stack: string; profile: string }>;
        expect(Object.values(matrix).map((m) => m.stack).sort()).toEqual(
            (JSON.parse(adoOutputs.get("all")!) as { include: { stack: string }[] }).include.map((s) => s.stack).sort(),
        );
        expect(job.steps[0].parameters).toMatchObject({ command: "preview", stacks: "$(stack):$(profile)" });
    });

    it("deploy: rings in order, each a deployment job in an environment, production ones separate from non-production", () => {
        const deploy = byFile("deploy.yml");
        expect(deploy.lockBehavior).toBe("sequential");
        const stages = Object.fromEntries(deploy.stages.map((s: { stage: string }) => [s.stage, s]));
        expect(Object.keys(stages)).toEqual(["verify", "nonprod", "canary", "production"]);
        expect(stages.canary.dependsOn).toContain("nonprod");
        expect(stages.production.dependsOn).toContain("canary");
        const envs = ["nonprod", "canary", "production"].map((s) => stages[s].jobs[0].environment);
        expect(envs).toEqual(["aoai-nonprod", "aoai-canary", "aoai-production"]);
        expect(stages.canary.jobs[0].strategy.runOnce.deploy.steps[0].parameters.serviceConnection).toBe("${{ variables.productionServiceConnection }}");
        expect(stages.nonprod.jobs[0].strategy.runOnce.deploy.steps[0].parameters.serviceConnection).toBe("${{ variables.nonprodServiceConnection }}");
    });

    it("authenticate by workload identity federation only: no secret-like variable, no client secret", () => {
        const template = byFile(path.join("templates", "pulumi-stack.yml"));
        const task = template.steps.find((s: { task?: string }) => s.task === "AzureCLI@2");
        expect(task.inputs).toMatchObject({ addSpnToEnvironment: true, azureSubscription: "${{ parameters.serviceConnection }}" });
        expect(task.inputs.inlineScript).toContain('ARM_USE_OIDC=true ARM_OIDC_TOKEN="$idToken"');
        for (const p of pipelines) {
            const strings = allStrings(p.data).join("\n");
            expect(strings).not.toMatch(/servicePrincipalKey|ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|AZURE_STORAGE_KEY|ARM_ACCESS_KEY/);
        }
        expect(task.inputs.inlineScript).toContain(".github/scripts/pulumi-stack.sh ${{ parameters.command }}");
    });
});
