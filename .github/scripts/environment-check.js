#!/usr/bin/env node
// Checks, before any deploy ring starts, that every stack in stacks/ has its GitHub environment with the
// protection the pipeline relies on, and so do the environments the workflows name for production previews and
// the policy release. GitHub creates a missing environment on first use with no protection at all, so without
// this check a new stack file would deploy unreviewed. Node built-ins only.
//   node environment-check.js            (GITHUB_REPOSITORY, GITHUB_TOKEN with actions: read; GITHUB_API_URL)
// Requirements (the deploy identity of a stack is federated to exactly `environment:<stack>`):
//   every stack environment: deployments only from the branch `main` (custom branch policy "main", nothing else);
//   production stacks, `preview-production` and `policy-release`: required reviewers (at least one), prevent
//   self-review, administrators cannot bypass; `policy-release`: deployments only from tags `policies-v*`.
// API: GET /repos/{repo}/environments (environments[].protection_rules[] of type required_reviewers with
// prevent_self_review and reviewers, deployment_branch_policy {protected_branches, custom_branch_policies},
// can_admins_bypass) and GET /repos/{repo}/environments/{name}/deployment-branch-policies
// (branch_policies[] of {name, type}); "Actions" read permission (docs.github.com/rest/deployments/environments
// and /rest/deployments/branch-policies, read 2026-11-27).
"use strict";

const path = require("node:path");
const { listAll } = require("./github-api.js");
const { listStacks } = require("./stack-matrix.js");

/** Environments named in the workflows besides the stacks' own (test/pipelines keeps this list equal to them). */
const PIPELINE_ENVIRONMENTS = {
    "preview-production": { reviewers: true, refs: null },
    "policy-release": { reviewers: true, refs: [{ name: "policies-v*", type: "tag" }] },
};

/** What each environment must have, from the stack files. */
function requirements(stacks) {
    const out = {};
    for (const s of stacks)
        out[s.stack] = { reviewers: s.environment === "prod", refs: [{ name: "main", type: "branch" }] };
    for (const [name, req] of Object.entries(PIPELINE_ENVIRONMENTS)) {
        if (out[name]) throw new Error(`stack '${name}' has the name of a pipeline environment: rename the stack`);
        out[name] = req;
    }
    return out;
}

/** Problems of one environment against its requirement (an empty list when it is fine). */
function check(name, req, env, branchPolicies) {
    if (!env)
        return [`environment '${name}' does not exist: create it (docs/pipelines.md, "Environments") before deploying`];
    const problems = [];
    if (req.reviewers) {
        const rule = (env.protection_rules || []).find((r) => r.type === "required_reviewers");
        if (!rule || !Array.isArray(rule.reviewers) || rule.reviewers.length === 0)
            problems.push(`environment '${name}' has no required reviewers`);
        else if (rule.prevent_self_review !== true)
            problems.push(
                `environment '${name}' lets the person who started a run approve it: tick "Prevent self-review"`,
            );
        if (env.can_admins_bypass !== false)
            problems.push(
                `environment '${name}' lets administrators bypass its protection: untick "Allow administrators to bypass configured protection rules"`,
            );
    }
    if (req.refs) {
        const policy = env.deployment_branch_policy;
        const want = req.refs.map((r) => `${r.type}:${r.name}`).sort();
        if (!policy || policy.custom_branch_policies !== true) {
            problems.push(
                `environment '${name}' accepts deployments from any ${policy && policy.protected_branches ? "protected branch" : "branch"}: expected only ${want.join(", ")}`,
            );
        } else {
            const have = (branchPolicies || []).map((b) => `${b.type || "branch"}:${b.name}`).sort();
            if (JSON.stringify(have) !== JSON.stringify(want))
                problems.push(
                    `environment '${name}' deploys from ${have.join(", ") || "nothing"}: expected only ${want.join(", ")}`,
                );
        }
    }
    return problems;
}

async function main(env, repoRoot = path.resolve(__dirname, "..", "..")) {
    for (const name of ["GITHUB_REPOSITORY", "GITHUB_TOKEN"])
        if (!env[name]) throw new Error(`environment variable ${name} is not set`);
    const api = `${env.GITHUB_API_URL || "https://api.github.com"}/repos/${env.GITHUB_REPOSITORY}`;
    const reqs = requirements(listStacks(repoRoot));
    const environments = new Map(
        (await listAll(`${api}/environments?per_page=100`, env.GITHUB_TOKEN, "environments")).map((e) => [e.name, e]),
    );
    const problems = [];
    for (const [name, req] of Object.entries(reqs)) {
        const e = environments.get(name);
        const branchPolicies =
            e && req.refs && e.deployment_branch_policy && e.deployment_branch_policy.custom_branch_policies
                ? await listAll(
                      `${api}/environments/${encodeURIComponent(name)}/deployment-branch-policies?per_page=100`,
                      env.GITHUB_TOKEN,
                      "branch_policies",
                  )
                : [];
        problems.push(...check(name, req, e, branchPolicies));
    }
    return { checked: Object.keys(reqs), problems };
}

module.exports = { requirements, check, main, PIPELINE_ENVIRONMENTS };

if (require.main === module) {
    main(process.env)
        .then(({ checked, problems }) => {
            for (const p of problems) console.log(`::error title=Unprotected environment::${p}`);
            if (problems.length) {
                console.error(
                    `environment-check: ${problems.length} problem(s) in ${checked.length} environments; no stack is deployed until they are fixed`,
                );
                process.exit(1);
            }
            console.log(
                `environment-check: ${checked.length} environments protected as required (${checked.join(", ")})`,
            );
        })
        .catch((err) => {
            console.error(`environment-check: ${err.message}`);
            process.exit(1);
        });
}
