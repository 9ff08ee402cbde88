import * as http from "http";
import { check, main, requirements, PIPELINE_ENVIRONMENTS } from "../../.github/scripts/environment-check";
import { listStacks } from "../../.github/scripts/stack-matrix";
import { repoRoot } from "./helpers";

const stacks = listStacks(repoRoot);
const reviewers = {
    id: 1,
    node_id: "n",
    type: "required_reviewers",
    prevent_self_review: true,
    reviewers: [{ type: "Team", reviewer: { slug: "platform-owners" } }],
};
const branchPolicy = { protected_branches: false, custom_branch_policies: true };

/** A repository whose environments are all set up as docs/pipelines.md says, derived from stacks/. */
function protectedEnvironments() {
    return Object.entries(requirements(stacks)).map(([name, req], i) => ({
        id: i,
        name,
        can_admins_bypass: false,
        protection_rules: req.reviewers
            ? [reviewers, { id: 9, type: "branch_policy" }]
            : [{ id: 9, type: "branch_policy" }],
        deployment_branch_policy: branchPolicy,
    }));
}

describe("every stack's environment exists with its protection rules", () => {
    it("requires one environment per stack file plus the pipeline's own, reviewers on every production one", () => {
        const req = requirements(stacks);
        expect(Object.keys(req).sort()).toEqual(
            [...stacks.map((s) => s.stack), ...Object.keys(PIPELINE_ENVIRONMENTS)].sort(),
        );
        for (const s of stacks) expect([s.stack, req[s.stack].reviewers]).toEqual([s.stack, s.environment === "prod"]);
        expect(req["policy-release"].refs).toEqual([{ name: "policies-v*", type: "tag" }]);
        expect(() =>
            requirements([...stacks, { stack: "policy-release", file: "x", environment: "nonprod", profile: "p" }]),
        ).toThrow("has the name of a pipeline environment");
    });

    it("names each gap: missing environment, no reviewers, self-review, admin bypass, any branch, the wrong branch", () => {
        const prod = { reviewers: true, refs: [{ name: "main", type: "branch" as const }] };
        expect(check("eu-prod", prod, undefined, [])).toEqual([
            "environment 'eu-prod' does not exist: create it (docs/pipelines.md, \"Environments\") before deploying",
        ]);
        const env = {
            name: "eu-prod",
            can_admins_bypass: true,
            protection_rules: [{ ...reviewers, prevent_self_review: false }],
            deployment_branch_policy: null,
        };
        expect(check("eu-prod", prod, env, [])).toEqual([
            "environment 'eu-prod' lets the person who started a run approve it: tick \"Prevent self-review\"",
            "environment 'eu-prod' lets administrators bypass its protection: untick \"Allow administrators to bypass configured protection rules\"",
            "environment 'eu-prod' accepts deployments from any branch: expected only branch:main",
        ]);
        expect(
            check(
                "eu-prod",
                prod,
                { ...env, can_admins_bypass: false, protection_rules: [], deployment_branch_policy: branchPolicy },
                [{ name: "release/*", type: "branch" }],
            ),
        ).toEqual([
            "environment 'eu-prod' has no required reviewers",
            "environment 'eu-prod' deploys from branch:release/*: expected only branch:main",
        ]);
        expect(
            check(
                "eu-dev",
                { reviewers: false, refs: prod.refs },
                { name: "eu-dev", deployment_branch_policy: branchPolicy },
                [{ name: "main", type: "branch" }],
            ),
        ).toEqual([]);
    });

    describe("against a GitHub API double", () => {
        let server: http.Server;
        let api: string;
        let environments = protectedEnvironments();
        let mainOnly = true;
        beforeAll(async () => {
            server = http.createServer((req, res) => {
                res.setHeader("content-type", "application/json");
                const url = new URL(req.url!, "http://x");
                if (url.pathname === "/repos/o/r/environments")
                    res.end(JSON.stringify({ total_count: environments.length, environments }));
                else if (/^\/repos\/o\/r\/environments\/[^/]+\/deployment-branch-policies$/.test(url.pathname)) {
                    const name = decodeURIComponent(url.pathname.split("/")[5]);
                    const policies =
                        name === "policy-release"
                            ? [{ id: 1, name: "policies-v*", type: "tag" }]
                            : [{ id: 2, name: mainOnly ? "main" : "*", type: "branch" }];
                    res.end(JSON.stringify({ total_count: policies.length, branch_policies: policies }));
                } else {
                    res.statusCode = 404;
                    res.end("{}");
                }
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
        });
        afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

        it("passes a repository set up as documented", async () => {
            const result = await main({ GITHUB_REPOSITORY: "o/r", GITHUB_TOKEN: "t", GITHUB_API_URL: api }, repoRoot);
            expect(result.problems).toEqual([]);
            expect(result.checked.length).toBe(stacks.length + Object.keys(PIPELINE_ENVIRONMENTS).length);
        });

        it("stops the deploy when a new stack file has no environment yet, or an environment accepts any branch", async () => {
            const newest = stacks[stacks.length - 1].stack;
            environments = protectedEnvironments().filter((e) => e.name !== newest);
            mainOnly = false;
            const result = await main({ GITHUB_REPOSITORY: "o/r", GITHUB_TOKEN: "t", GITHUB_API_URL: api }, repoRoot);
            expect(result.problems).toContain(
                `environment '${newest}' does not exist: create it (docs/pipelines.md, "Environments") before deploying`,
            );
            expect(result.problems.filter((p) => p.includes("deploys from branch:*")).length).toBe(stacks.length - 1);
            await expect(main({ GITHUB_REPOSITORY: "o/r" }, repoRoot)).rejects.toThrow(
                "environment variable GITHUB_TOKEN is not set",
            );
        });
    });
});
