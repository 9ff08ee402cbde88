/**
 * Every identity a pipeline can obtain, its subject and its rights (pipelines/identities.json), checked against
 * the workflows and Azure Pipelines that use it, and the identity table of docs/pipelines.md rendered from it.
 */
import * as fs from "fs";
import * as path from "path";
import { allJobs, Job, loadAdoPipelines, loadWorkflows, repoRoot } from "./helpers";
import { docBlock } from "./doc-blocks";

interface Identity {
    name: string;
    system: "github" | "azure-devops";
    subject: string;
    runsPullRequestCode: boolean;
    jobs: string[];
    clientIdVariable?: string | null;
    serviceConnectionVariable?: string;
    pulumiCloud: { tokenType: "team" | "organization"; teamVariable: string | null; rights: string };
    azure: string[];
    canWrite: string;
}
const identities = (
    JSON.parse(fs.readFileSync(path.join(repoRoot, "pipelines", "identities.json"), "utf8")) as {
        identities: Identity[];
    }
).identities;
const workflows = loadWorkflows();
const environmentName = (job: Job) => (typeof job.environment === "string" ? job.environment : job.environment?.name);
const oidcJobs = allJobs(workflows).filter(
    ({ job }) => !job.uses && (job.permissions as Record<string, string>)?.["id-token"] === "write",
);

/** The OIDC subject GitHub puts in a job's token: its environment, else the event (docs.github.com, "OpenID Connect reference", subject claims). */
function subjectOf(file: string, job: Job): string {
    const env = environmentName(job);
    if (env) return `repo:<owner>/<repo>:environment:${env === "${{ matrix.stack }}" ? "<stack>" : env}`;
    const on = workflows.find((w) => w.file === file)!.data.on;
    if (Object.keys(on).length === 1 && "pull_request" in on) return "repo:<owner>/<repo>:pull_request";
    throw new Error(
        `${file}: a job with id-token: write and no environment outside a pull_request workflow gets a branch subject: not allowed`,
    );
}

/** The identity table of docs/pipelines.md. */
function renderIdentities(): string {
    const cell = (s: string) => s.replace(/\|/g, "\\|");
    const rows = identities.map(
        (i) =>
            `| ${i.name} | ${i.system} | \`${cell(i.subject)}\` | ${i.jobs.map((j) => `\`${j}\``).join(", ")} | ${i.runsPullRequestCode ? "yes" : "no"} | ${cell(i.azure.join("; ") || "none")} | ${cell(`${i.pulumiCloud.tokenType} token: ${i.pulumiCloud.rights}`)} | ${cell(i.canWrite)} |`,
    );
    return [
        "| identity | CI | subject | jobs | runs PR code | Azure | Pulumi Cloud | can write |",
        "|---|---|---|---|---|---|---|---|",
        ...rows,
    ].join("\n");
}

describe("identities per subject", () => {
    it("every GitHub job that requests an OIDC token has exactly one identity, for the subject GitHub gives it", () => {
        expect(oidcJobs.length).toBeGreaterThan(3);
        for (const { file, id, job } of oidcJobs) {
            const where = `${file}:${id}`;
            const found = identities.filter((i) => i.system === "github" && i.jobs.includes(where));
            expect([where, found.length]).toEqual([where, 1]);
            expect([where, found[0].subject]).toEqual([where, subjectOf(file, job)]);
        }
        const used = new Set(oidcJobs.map(({ file, id }) => `${file}:${id}`));
        for (const i of identities.filter((x) => x.system === "github"))
            for (const j of i.jobs) expect([i.name, used.has(j)]).toEqual([i.name, true]);
    });

    it("each job logs in as its identity: the Azure client id and the Pulumi Cloud token it requests", () => {
        for (const { file, id, job } of oidcJobs) {
            const i = identities.find((x) => x.jobs.includes(`${file}:${id}`))!;
            const env = (job.env ?? {}) as Record<string, string>;
            expect([i.name, env.ARM_CLIENT_ID]).toEqual([
                i.name,
                i.clientIdVariable ? `\${{ vars.${i.clientIdVariable} }}` : undefined,
            ]);
            const auth = (job.steps ?? []).find((s) => s.uses?.startsWith("pulumi/auth-actions@"));
            expect(auth?.with?.["requested-token-type"]).toBe(
                `urn:pulumi:token-type:access_token:${i.pulumiCloud.tokenType}`,
            );
            expect([i.name, auth?.with?.scope]).toEqual([
                i.name,
                i.pulumiCloud.teamVariable ? `team:\${{ vars.${i.pulumiCloud.teamVariable} }}` : undefined,
            ]);
        }
    });

    it("no identity a pull request can reach writes state, deploys, publishes or holds a custom deploy role", () => {
        for (const i of identities.filter((x) => x.runsPullRequestCode)) {
            expect([i.name, i.azure.join(" ")]).not.toEqual([
                i.name,
                expect.stringMatching(/landing-zone-deployer|landing-zone-linker|Contributor on the|Owner|publish/),
            ]);
            expect([i.name, i.pulumiCloud.tokenType, i.pulumiCloud.rights]).toEqual([
                i.name,
                "team",
                expect.stringMatching(/Read on|read-only/),
            ]);
            expect(i.canWrite).toMatch(/^backend lock files only/);
        }
        // The identity a pull request gets without any review cannot decrypt production secrets.
        const unreviewed = identities.filter((x) => x.system === "github" && x.subject.endsWith(":pull_request"));
        expect(unreviewed.map((x) => x.name)).toEqual(["preview-nonprod"]);
        expect(unreviewed[0].azure.join(" ")).toContain("non-production secrets key only");
    });

    it("separate production and non-production identities; one deploy identity per stack", () => {
        const deploy = identities.find((x) => x.name === "deploy-<stack>")!;
        expect(deploy.subject).toBe("repo:<owner>/<repo>:environment:<stack>");
        expect(
            identities.filter((x) => x.system === "azure-devops" && !x.runsPullRequestCode).map((x) => x.name),
        ).toEqual(["aoai-deploy-nonprod-wif", "aoai-deploy-prod-wif"]);
    });

    it("the Azure DevOps pipelines use the service connections named here, the pull-request one only for previews", () => {
        const ado = loadAdoPipelines();
        const text = ado.map((p) => p.text).join("\n");
        for (const i of identities.filter((x) => x.system === "azure-devops")) {
            expect(text).toContain(`name: ${i.serviceConnectionVariable}\n    value: ${i.name}`);
        }
        const deploy = ado.find((p) => p.file === "deploy.yml")!.text;
        expect(deploy).not.toContain("aoai-preview-nonprod-wif");
        expect(ado.find((p) => p.file === "preview.yml")!.text).not.toMatch(/aoai-deploy-/);
    });

    it("docs/pipelines.md lists each identity, its subject and its rights as pipelines/identities.json says", () => {
        expect(docBlock("identities")).toBe(renderIdentities());
    });
});
