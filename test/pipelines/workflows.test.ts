import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";
import { listStacks } from "../../.github/scripts/stack-matrix";
import { allJobs, allStrings, Job, loadWorkflows, repoRoot, Step, workflow, Workflow } from "./helpers";

const workflows = loadWorkflows();
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$/;
/** Names a secret must not have: the workflows authenticate by OIDC, never with a stored credential. */
const CREDENTIAL_NAME = /secret|key|password|credential|cert/i;

const steps = (job: Job): Step[] => job.steps ?? [];
const runsPulumi = (job: Job) => steps(job).some((s) => /pulumi-stack\.sh (preview|up)|pulumi policy publish/.test(s.run ?? ""));
const concurrencyGroup = (job: Job) => (typeof job.concurrency === "string" ? job.concurrency : job.concurrency?.group);
const environmentName = (job: Job) => (typeof job.environment === "string" ? job.environment : job.environment?.name);

describe("GitHub workflows", () => {
    it("are all found", () => {
        expect(workflows.map((w) => w.file)).toEqual(["deploy.yml", "policy-release.yml", "pr-checks.yml", "pr-preview.yml", "pulumi-up.yml"]);
    });

    it("validate against the published GitHub workflow schema (SchemaStore)", () => {
        const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "github-workflow.schema.json"), "utf8"));
        const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
        const problems = workflows.flatMap((w) => (validate(w.data) ? [] : [`${w.file}: ${JSON.stringify(validate.errors)}`]));
        expect(problems).toEqual([]);
        // The schema has teeth: a misspelt key is rejected.
        expect(validate({ on: "push", jobs: { a: { "runs-on": "ubuntu-latest", permisions: {}, steps: [{ run: "true" }] } } })).toBe(false);
    });

    it("pin every action to a full commit SHA with its version in a comment", () => {
        const uses = workflows.flatMap((w) => allJobs([w]).flatMap(({ job }) => steps(job).map((s) => ({ file: w.file, uses: s.uses }))));
        const remote = uses.filter((u): u is { file: string; uses: string } => !!u.uses && !u.uses.startsWith("./"));
        expect(remote.length).toBeGreaterThan(10);
        for (const { file, uses: ref } of remote) {
            expect(`${file}: ${ref}`).toMatch(new RegExp(`: ${PINNED.source.slice(1)}`));
            const line = workflow(workflows, file).text.split("\n").find((l) => l.includes(`uses: ${ref}`));
            expect(`${file}: ${line}`).toMatch(/ # v\d+(\.\d+)*$/);
        }
        // One version of each action across all workflows.
        const shaByAction = new Map<string, Set<string>>();
        for (const { uses: ref } of remote) {
            const [action, sha] = ref.split("@");
            shaByAction.set(action, (shaByAction.get(action) ?? new Set()).add(sha));
        }
        for (const [action, shas] of shaByAction) expect(`${action}: ${shas.size}`).toBe(`${action}: 1`);
    });

    it("reference no secret named like a client secret or key, and pass no credential to azure/login", () => {
        for (const w of workflows) {
            const secretNames = [...w.text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]);
            expect({ file: w.file, secrets: secretNames.filter((n) => CREDENTIAL_NAME.test(n)) }).toEqual({ file: w.file, secrets: [] });
            expect(w.text).not.toMatch(/client-secret|creds:|AZURE_CLIENT_SECRET|ARM_CLIENT_SECRET|ARM_ACCESS_KEY|AZURE_STORAGE_KEY/);
        }
    });

    it("every job that previews, deploys or publishes uses OIDC: id-token write, federated Azure login, OIDC providers", () => {
        const pulumiJobs = allJobs(workflows).filter(({ job }) => runsPulumi(job));
        expect(pulumiJobs.map(({ file, id }) => `${file}:${id}`).sort()).toEqual(["policy-release.yml:publish", "pr-preview.yml:preview", "pulumi-up.yml:up"]);
        for (const { file, id, job } of pulumiJobs) {
            const where = `${file}:${id}`;
            expect([where, (job.permissions as Record<string, string>)["id-token"]]).toEqual([where, "write"]);
            if (file === "policy-release.yml") continue; // publishes to Pulumi Cloud only, no Azure
            const login = steps(job).find((s) => s.uses?.startsWith("azure/login@"));
            expect(login?.with).toEqual({
                "client-id": expect.stringMatching(/^\$\{\{ vars\.AZURE_(PREVIEW_)?CLIENT_ID \}\}$/),
                "tenant-id": "${{ vars.AZURE_TENANT_ID }}",
                "subscription-id": expect.stringContaining("vars.AZURE_SUBSCRIPTION_ID"),
            });
            expect(job.env).toMatchObject({ ARM_USE_OIDC: "true", ARM_CLIENT_ID: login!.with!["client-id"], ARM_TENANT_ID: "${{ vars.AZURE_TENANT_ID }}" });
        }
    });

    it("run previews and updates with the policy pack and the stack's profile config", () => {
        const script = fs.readFileSync(path.join(repoRoot, ".github", "scripts", "pulumi-stack.sh"), "utf8");
        expect(script).toContain('--policy-pack policies --policy-pack-config "$policy_config"');
        expect(script).toContain('policy_config="policies/config/${profile}.json"');
        const pulumiSteps = allJobs(workflows).flatMap(({ job }) => steps(job)).filter((s) => /pulumi-stack\.sh/.test(s.run ?? ""));
        expect(pulumiSteps).toHaveLength(2);
        for (const step of pulumiSteps) expect(step.env).toMatchObject({ STACK: "${{ matrix.stack }}", PROFILE: "${{ matrix.profile }}" });
    });

    it("declare read-only permissions at the top and write scopes only where a job needs them", () => {
        const allowedWrites: Record<string, string[]> = {
            "pr-checks.yml:verify": ["security-events"],
            "pr-preview.yml:preview": ["id-token", "pull-requests"],
            "pulumi-up.yml:up": ["id-token"],
            "deploy.yml:nonprod": ["id-token"],
            "deploy.yml:canary": ["id-token"],
            "deploy.yml:production": ["id-token"],
            "policy-release.yml:publish": ["id-token"],
        };
        for (const w of workflows) expect([w.file, w.data.permissions]).toEqual([w.file, { contents: "read" }]);
        for (const { file, id, job } of allJobs(workflows)) {
            expect(typeof job.permissions).toBe("object");
            const writes = Object.entries(job.permissions as Record<string, string>).filter(([, v]) => v === "write").map(([k]) => k).sort();
            expect([`${file}:${id}`, writes]).toEqual([`${file}:${id}`, (allowedWrites[`${file}:${id}`] ?? []).sort()]);
        }
    });

    it("never persist the GITHUB_TOKEN in the checkout", () => {
        const checkouts = allJobs(workflows).flatMap(({ job }) => steps(job)).filter((s) => s.uses?.startsWith("actions/checkout@"));
        expect(checkouts.length).toBeGreaterThan(5);
        for (const c of checkouts) expect(c.with).toMatchObject({ "persist-credentials": false });
    });
});

describe("pull-request checks (no secrets, forks included)", () => {
    const w = workflow(workflows, "pr-checks.yml");
    const job = w.data.jobs.verify;

    it("run on pull_request (never pull_request_target) and reference no secret", () => {
        expect(Object.keys(w.data.on)).toContain("pull_request");
        expect(w.text).not.toContain("pull_request_target");
        expect(allStrings(w.data).some((s) => s.includes("secrets."))).toBe(false);
    });

    it("install from the lockfile, test, plan all stacks to the job summary and SARIF", () => {
        const runs = steps(job).map((s) => s.run ?? "");
        expect(runs).toEqual(expect.arrayContaining(["npm ci --no-audit --no-fund", "npm test"]));
        expect(runs.join("\n")).toMatch(/npm run --silent plan -- --format markdown --out plan\.md[\s\S]*GITHUB_STEP_SUMMARY/);
        expect(runs.join("\n")).toContain("npm run --silent plan -- --format sarif --out plan.sarif");
        expect(runs.join("\n")).not.toContain("--stack");
    });

    it("upload SARIF only when the token may write security events (not for forks)", () => {
        const upload = steps(job).find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
        expect(upload?.with).toMatchObject({ sarif_file: "plan.sarif" });
        expect(upload?.if).toBe("github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository");
    });
});

describe("pull-request preview", () => {
    const w = workflow(workflows, "pr-preview.yml");

    it("skips forks (no OIDC token) and builds its matrix from the stacks job", () => {
        expect(w.data.jobs.stacks.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
        const preview = w.data.jobs.preview;
        expect(preview.needs).toBe("stacks");
        expect(preview.strategy?.matrix).toBe("${{ fromJSON(needs.stacks.outputs.all) }}");
        expect(w.data.jobs.stacks.outputs).toMatchObject({ all: "${{ steps.matrix.outputs.all }}" });
    });

    it("has a concurrency group per stack and pull request", () => {
        expect(w.data.jobs.preview.concurrency).toEqual({
            group: "pulumi-preview-${{ matrix.stack }}-pr-${{ github.event.pull_request.number }}",
            "cancel-in-progress": true,
        });
    });

    it("posts the preview even when it fails, by the stack's marker", () => {
        const post = steps(w.data.jobs.preview).find((s) => s.run?.includes("pr-comment.js"));
        expect(post?.if).toBe("always() && steps.preview.outcome != 'skipped'");
        expect(post?.env).toMatchObject({ GITHUB_TOKEN: "${{ github.token }}", STACK: "${{ matrix.stack }}", OUTCOME: "${{ steps.preview.outcome }}" });
    });
});

describe("deploy", () => {
    const deploy = workflow(workflows, "deploy.yml");
    const up = workflow(workflows, "pulumi-up.yml").data.jobs.up;

    it("runs on push to main, after tests and a clean offline plan", () => {
        expect(deploy.data.on.push).toEqual({ branches: ["main"] });
        expect(steps(deploy.data.jobs.verify).map((s) => s.run ?? "").join("\n")).toMatch(/npm test[\s\S]*npm run --silent plan/);
    });

    it("deploys in rings: non-production, then the first production stack, then the rest", () => {
        const { nonprod, canary, production } = deploy.data.jobs;
        for (const [job, ring] of [[nonprod, "nonprod"], [canary, "canary"], [production, "production"]] as const) {
            expect(job.uses).toBe("./.github/workflows/pulumi-up.yml");
            expect(job.with).toEqual({ ring, stacks: `\${{ needs.stacks.outputs.${ring} }}` });
            expect(job.needs).toEqual(expect.arrayContaining(["stacks", "verify"]));
        }
        expect(canary.needs).toContain("nonprod");
        expect(production.needs).toContain("canary");
        // A later ring never runs after a failed earlier one: it requires success (or an empty earlier ring).
        expect(canary.if).toContain("needs.nonprod.result == 'success'");
        expect(production.if).toContain("needs.canary.result == 'success'");
        expect(canary.if).toContain("needs.verify.result == 'success'");
    });

    it("puts every stack, so every production stack, behind the GitHub environment named after it", () => {
        expect(environmentName(up)).toBe("${{ matrix.stack }}");
        expect(up.strategy?.matrix).toBe("${{ fromJSON(inputs.stacks) }}");
        const prod = listStacks(repoRoot).filter((s) => s.environment === "prod");
        expect(prod.length).toBeGreaterThan(0);
        // Production stacks only ever reach pulumi-up.yml through the canary and production rings.
        const ringsOf = (r: string) => JSON.stringify(deploy.data.jobs[r].with);
        expect(ringsOf("canary")).toContain("outputs.canary");
        expect(ringsOf("production")).toContain("outputs.production");
    });

    it("never runs two updates of one stack at once", () => {
        expect(up.concurrency).toEqual({ group: "pulumi-up-${{ matrix.stack }}", "cancel-in-progress": false });
    });

    it("deploys with pulumi up and the policy pack", () => {
        const run = steps(up).find((s) => s.run?.includes("pulumi-stack.sh"));
        expect(run?.run).toBe('.github/scripts/pulumi-stack.sh up "$STACK" "$PROFILE"');
    });
});

describe("policy pack release", () => {
    const w: Workflow = workflow(workflows, "policy-release.yml");
    const job = w.data.jobs.publish;

    it("publishes on a policies-v* tag to the organization, behind an environment, after the tests", () => {
        expect(w.data.on).toEqual({ push: { tags: ["policies-v*"] } });
        expect(environmentName(job)).toBe("policy-release");
        const runs = steps(job).map((s) => s.run ?? "").join("\n");
        expect(runs).toMatch(/npm test[\s\S]*policies-v\$version[\s\S]*pulumi policy publish "\$PULUMI_ORG"/);
        expect(concurrencyGroup({ concurrency: (w.data as { concurrency?: Job["concurrency"] }).concurrency })).toBe("policy-release");
    });
});
