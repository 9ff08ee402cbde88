#!/usr/bin/env node
// The `rules not weakened` check of a pull request (.github/workflows/pr-rules.yml).
//   node rules-check.js --base <base checkout> --head <head checkout> --out <verdict.md>
// 1. Weakenings: rules-diff.js compares the base branch's rules with the pull request's.
// 2. The pull request's program judged by the base branch's rules: the offline plan of every stack of the pull
//    request (its own planner and program, built in <head>) through the base branch's built pack, with the base
//    branch's policy config of the profile the base branch gave the stack (a new stack: the profile it names; a
//    profile the base does not know: the base pack's defaults, the pack's strict baseline).
// 3. Approval: a weakening, or a program the base rules refuse, passes only with an APPROVED review, on the pull
//    request's current head commit, by a login listed in RULES_OWNERS (a repository variable, which a pull
//    request cannot change); GET /repos/{repo}/pulls/{n}/reviews answers [{user: {login}, state, commit_id}]
//    (docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request, read 2026-11-27).
// Environment: GITHUB_TOKEN (pull-requests: read), GITHUB_REPOSITORY, PR_NUMBER, PR_HEAD_SHA, BASE_SHA,
// RULES_OWNERS; GITHUB_API_URL optional. Exit 0 passed, 1 failed, 2 could not judge.
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { listAll } = require("./github-api.js");
const { diffRules, loadRules } = require("./rules-diff.js");
const { readProjectName } = require("./stack-matrix.js");

/** Groups the head's stacks by the base policy config that judges them. */
function judgementPlan(baseRules, headRules, baseRoot) {
    const groups = new Map();
    for (const [stack, h] of Object.entries(headRules.stacks)) {
        const profile = (baseRules.stacks[stack] && baseRules.stacks[stack].profile) || h.profile;
        const file = path.join(baseRoot, "policies", "config", `${profile}.json`);
        const key = fs.existsSync(file) ? file : "";
        if (!groups.has(key))
            groups.set(key, {
                policyConfig: key || undefined,
                profile: key ? profile : `${profile} (unknown to the base: pack defaults)`,
                stacks: [],
            });
        groups.get(key).stacks.push(stack);
    }
    return [...groups.values()];
}

/** Runs the head's offline plan with the base pack for each group; per stack: failed, violations. */
function judgeWithBase(groups, baseRoot, headRoot) {
    const results = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "base-judgement-"));
    groups.forEach((g, i) => {
        let config = g.policyConfig;
        if (!config) {
            config = path.join(dir, "defaults.json");
            fs.writeFileSync(config, "{}\n"); // an empty config: every policy at its pack default
        }
        const out = path.join(dir, `report-${i}.json`);
        const args = [
            path.join(headRoot, "dist", "plan", "cli.js"),
            ...g.stacks.flatMap((s) => ["--stack", s]),
            "--policy-pack",
            path.join(baseRoot, "policies"),
            "--policy-config",
            config,
            "--format",
            "json",
            "--out",
            out,
        ];
        const run = spawnSync(process.execPath, args, { cwd: headRoot, encoding: "utf8" });
        if (run.status !== 0 && run.status !== 1) {
            for (const stack of g.stacks)
                results.push({
                    stack,
                    profile: g.profile,
                    error: (run.stderr || run.stdout || `exit ${run.status}`).trim().split("\n").slice(-3).join(" "),
                });
            return;
        }
        const report = JSON.parse(fs.readFileSync(out, "utf8"));
        for (const s of report.stacks) {
            results.push({
                stack: s.stack,
                profile: g.profile,
                mandatoryViolations: s.result.mandatoryViolations,
                failed: s.result.failed,
                violations: s.violations
                    .filter((v) => v.enforcementLevel === "mandatory")
                    .map((v) => ({
                        policy: v.policyName,
                        resource: String(v.urn).split("::").pop(),
                        message: v.message,
                    })),
            });
        }
    });
    return results;
}

/** The rules owners' latest decisive review of each, and whether one of them approved this head commit. */
function approvalOf(reviews, owners, headSha) {
    const latest = new Map();
    for (const r of reviews) {
        if (!r.user || !["APPROVED", "CHANGES_REQUESTED", "DISMISSED"].includes(r.state)) continue;
        latest.set(r.user.login.toLowerCase(), r);
    }
    const wanted = owners.map((o) => o.toLowerCase());
    const approvers = [...latest.entries()]
        .filter(([login, r]) => wanted.includes(login) && r.state === "APPROVED" && r.commit_id === headSha)
        .map(([, r]) => r.user.login);
    const stale = [...latest.entries()]
        .filter(([login, r]) => wanted.includes(login) && r.state === "APPROVED" && r.commit_id !== headSha)
        .map(([, r]) => r.user.login);
    return { approved: approvers.length > 0, approvers, stale };
}

async function fetchReviews(env) {
    const api = `${env.GITHUB_API_URL || "https://api.github.com"}/repos/${env.GITHUB_REPOSITORY}`;
    return listAll(`${api}/pulls/${env.PR_NUMBER}/reviews?per_page=100`, env.GITHUB_TOKEN);
}

const esc = (s) =>
    String(s)
        .replace(/\s+/g, " ")
        .replace(/[|`<>]/g, (c) => ({ "|": "\\|", "`": "'", "<": "&lt;", ">": "&gt;" })[c])
        .slice(0, 300);

function renderVerdict({ passed, findings, judgement, approval, owners, baseSha, headSha, errors }) {
    const lines = [
        `## ${passed ? "✅" : "❌"} Rules check ${passed ? "passed" : "failed"}`,
        "",
        `Judged by **the base branch's rules** (\`${String(baseSha || "").slice(0, 12)}\`: its built policy pack, \`policies/config/*.json\` and \`policies/exemptions.yaml\`)` +
            ` **and this pull request's own** (\`${String(headSha || "").slice(0, 12)}\`, in \`test and offline plan\` and the previews).`,
        "",
        `### Weakenings of the rules: ${findings.length}`,
    ];
    if (findings.length) {
        lines.push("", "| kind | subject | what changed |", "|---|---|---|");
        for (const f of findings) lines.push(`| ${esc(f.kind)} | ${esc(f.subject)} | ${esc(f.detail)} |`);
    }
    const refused = judgement.filter((j) => j.error || j.failed);
    lines.push(
        "",
        `### This pull request's stacks under the base branch's rules: ${refused.length ? `${refused.length} refused` : "all pass"}`,
        "",
        "| stack | base profile config | mandatory violations |",
        "|---|---|---|",
    );
    for (const j of judgement)
        lines.push(
            `| ${esc(j.stack)} | ${esc(j.profile)} | ${j.error ? `error: ${esc(j.error)}` : j.mandatoryViolations} |`,
        );
    const shown = judgement.flatMap((j) => (j.violations || []).map((v) => ({ ...v, stack: j.stack }))).slice(0, 30);
    if (shown.length) {
        lines.push("", "| stack | policy | resource | message |", "|---|---|---|---|");
        for (const v of shown)
            lines.push(`| ${esc(v.stack)} | ${esc(v.policy)} | ${esc(v.resource)} | ${esc(v.message)} |`);
    }
    lines.push("", "### Approval by the rules' owners");
    if (!findings.length && !refused.length)
        lines.push("", "Not needed: nothing is weakened and the base branch's rules accept every stack.");
    else if (!owners.length)
        lines.push("", "RULES_OWNERS is not set, so nobody can approve a weakening: the check stays failed.");
    else if (approval && approval.approved)
        lines.push("", `Approved on this commit by ${approval.approvers.map(esc).join(", ")} (RULES_OWNERS).`);
    else {
        lines.push("", `Needs an approving review on this commit from one of RULES_OWNERS (${owners.length} listed).`);
        if (approval && approval.stale.length)
            lines.push(`Approvals on an older commit do not count: ${approval.stale.map(esc).join(", ")}.`);
    }
    for (const e of errors) lines.push("", `**Could not judge:** ${esc(e)}`);
    return `${lines.join("\n")}\n`;
}

async function main(argv, env) {
    const get = (flag) => {
        const i = argv.indexOf(flag);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const baseRoot = get("--base");
    const headRoot = get("--head");
    const out = get("--out");
    if (!baseRoot || !headRoot || !out || argv.length !== 6)
        throw new Error("usage: rules-check.js --base <dir> --head <dir> --out <verdict.md>");
    const project = readProjectName(headRoot);
    const owners = String(env.RULES_OWNERS || "")
        .split(/[\s,]+/)
        .filter(Boolean);
    const errors = [];
    const base = loadRules(path.resolve(baseRoot), project);
    const head = loadRules(path.resolve(headRoot), project);
    const findings = diffRules(base, head);
    const judgement = judgeWithBase(
        judgementPlan(base, head, path.resolve(baseRoot)),
        path.resolve(baseRoot),
        path.resolve(headRoot),
    );
    const needsApproval = findings.length > 0 || judgement.some((j) => j.failed);
    let approval;
    if (needsApproval && owners.length) {
        try {
            for (const name of ["GITHUB_TOKEN", "GITHUB_REPOSITORY", "PR_NUMBER", "PR_HEAD_SHA"])
                if (!env[name]) throw new Error(`environment variable ${name} is not set`);
            approval = approvalOf(await fetchReviews(env), owners, env.PR_HEAD_SHA);
        } catch (e) {
            errors.push(`reading the reviews: ${e.message}`);
        }
    }
    if (judgement.some((j) => j.error))
        errors.push("the offline plan could not run for every stack under the base branch's rules");
    const passed = errors.length === 0 && (!needsApproval || Boolean(approval && approval.approved));
    fs.writeFileSync(
        out,
        renderVerdict({
            passed,
            findings,
            judgement,
            approval,
            owners,
            baseSha: env.BASE_SHA,
            headSha: env.PR_HEAD_SHA,
            errors,
        }),
    );
    return errors.length ? 2 : passed ? 0 : 1;
}

module.exports = { judgementPlan, judgeWithBase, approvalOf, renderVerdict, main };

if (require.main === module) {
    main(process.argv.slice(2), process.env).then(
        (code) => process.exit(code),
        (err) => {
            console.error(`rules-check: ${err.message}`);
            process.exit(2);
        },
    );
}
