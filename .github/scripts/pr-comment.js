#!/usr/bin/env node
// Posts to a pull request, one comment per subject edited in place on every push: a stack's preview summary
// (counts per operation and policy violations, never a property diff: the repository may be public), or the
// rules check's verdict. A comment is found by its first line, a hidden marker naming project and subject,
// compared exactly (so stack `eu-prod` never overwrites `eu-prod-2`'s comment), and only among comments written
// by COMMENT_AUTHOR. It runs in a job that holds `pull-requests: write` and nothing else, installs nothing and
// runs no program: what it posts comes from the artifacts of the jobs that ran the pull request's code, read as
// untrusted data (validated, clipped, escaped).
//   node pr-comment.js --kind preview --stack <stack> --summary <summary.json>
//   node pr-comment.js --kind rules --file <verdict.md>
// Environment: GITHUB_TOKEN, GITHUB_REPOSITORY, PR_NUMBER; optional GITHUB_API_URL, GITHUB_SERVER_URL,
// GITHUB_RUN_ID, PR_HEAD_SHA, COMMENT_AUTHOR (default github-actions[bot]).
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { readProjectName } = require("./stack-matrix.js");

/** GitHub rejects comment bodies over 65,536 characters. */
const MAX_BODY = 60000;
const OPS = [
    "create",
    "update",
    "replace",
    "delete",
    "same",
    "create-replacement",
    "delete-replaced",
    "read",
    "import",
];

function previewMarker(project, stack) {
    return `<!-- azure-openai-preview: project=${project} stack=${stack} -->`;
}

function rulesMarker(project) {
    return `<!-- azure-openai-rules: project=${project} -->`;
}

/** The comment this subject owns: first line equal to the marker, written by the expected author. */
function findMarkedComment(comments, marker, author) {
    return comments.find(
        (c) =>
            c.user && c.user.login === author && typeof c.body === "string" && c.body.split(/\r?\n/, 1)[0] === marker,
    );
}

/** Text from an artifact made safe for a table cell or a line: no markup, no mentions, no HTML, bounded. */
function cell(value, max = 300) {
    const text = String(value).replace(/\s+/g, " ").trim();
    const clipped = text.length > max ? `${text.slice(0, max - 1)}…` : text;
    return clipped
        .replace(/[\\`*_[\]|#]/g, (c) => `\\${c}`)
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/@/g, "@\u200b");
}

/** Checks a preview summary read from an artifact; throws naming the key that is wrong. */
function validateSummary(s) {
    if (!s || typeof s !== "object") throw new Error("summary: expected an object");
    for (const key of ["stack", "outcome"])
        if (typeof s[key] !== "string" || !/^[A-Za-z0-9_.-]{1,64}$/.test(s[key]))
            throw new Error(`summary.${key}: expected a plain word`);
    if (!s.changes || typeof s.changes !== "object") throw new Error("summary.changes: expected an object of counts");
    for (const [op, n] of Object.entries(s.changes))
        if (!OPS.includes(op) || !Number.isInteger(n) || n < 0)
            throw new Error(`summary.changes.${op}: expected a known operation with a count`);
    if (!Array.isArray(s.violations)) throw new Error("summary.violations: expected a list");
    for (const key of ["violationCount", "errors"])
        if (!Number.isInteger(s[key]) || s[key] < 0) throw new Error(`summary.${key}: expected a count`);
    return s;
}

function renderPreviewComment({ project, summary, runUrl, sha }) {
    const s = validateSummary(summary);
    const ok = s.outcome === "success";
    const changed = OPS.filter((op) => op !== "same" && s.changes[op]).map((op) => `| ${op} | ${s.changes[op]} |`);
    const lines = [
        previewMarker(project, s.stack),
        `### ${ok ? "✅" : "❌"} \`pulumi preview\` of stack \`${s.stack}\` ${ok ? "succeeded" : `ended with '${s.outcome}'`}`,
        "",
        `Commit ${sha ? `\`${sha.slice(0, 12)}\`` : "(unknown)"}; judged by this pull request's policy pack with the stack's profile config` +
            " (the base branch's rules judge it in the `rules not weakened` check)." +
            (runUrl ? ` [Workflow run](${runUrl}).` : ""),
        "",
        changed.length ? ["| operation | resources |", "|---|---|", ...changed].join("\n") : "No resource changes.",
        "",
        `**Policy violations: ${s.violationCount}**${s.errors ? `; errors: ${s.errors} (see the workflow log)` : ""}`,
    ];
    if (s.violations.length) {
        lines.push("", "| policy | level | resource | message |", "|---|---|---|---|");
        for (const v of s.violations)
            lines.push(
                `| ${cell(v.policy, 120)} | ${cell(v.level, 20)} | ${cell(v.resource, 120)} | ${cell(v.message)} |`,
            );
        if (s.violationCount > s.violations.length)
            lines.push("", `… and ${s.violationCount - s.violations.length} more in the workflow log.`);
    }
    lines.push(
        "",
        "Property-level diffs are not posted here (the repository may be public); the workflow log has the plan.",
        "",
    );
    return lines.join("\n");
}

function renderRulesComment({ project, markdown }) {
    const body = String(markdown)
        .replace(/<!--[\s\S]*?-->/g, "")
        .replace(/@(?=[A-Za-z0-9-])/g, "@\u200b");
    const clipped =
        body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}\n\n… cut, see the workflow's job summary.` : body;
    return `${rulesMarker(project)}\n${clipped.trim()}\n`;
}

async function github(method, url, token, body) {
    const response = await fetch(url, {
        method,
        headers: {
            accept: "application/vnd.github+json",
            authorization: `Bearer ${token}`,
            "x-github-api-version": "2022-11-28",
            ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
    return { data: await response.json(), link: response.headers.get("link") || "" };
}

async function listComments(api, repo, pr, token) {
    const comments = [];
    let url = `${api}/repos/${repo}/issues/${pr}/comments?per_page=100`;
    while (url) {
        const { data, link } = await github("GET", url, token);
        comments.push(...data);
        const next = /<([^>]+)>;\s*rel="next"/.exec(link);
        url = next ? next[1] : null;
    }
    return comments;
}

const KINDS = { preview: ["stack", "summary"], rules: ["file"] };

function parseArgs(argv) {
    const args = {};
    for (let i = 0; i < argv.length; i += 2) {
        const key = argv[i];
        if (!["--kind", "--stack", "--summary", "--file"].includes(key) || argv[i + 1] === undefined) {
            throw new Error(
                `unexpected argument '${key}'; usage: --kind preview --stack <stack> --summary <summary.json> | --kind rules --file <verdict.md>`,
            );
        }
        args[key.slice(2)] = argv[i + 1];
    }
    if (!KINDS[args.kind]) throw new Error(`--kind: expected one of ${Object.keys(KINDS).join(", ")}`);
    for (const key of KINDS[args.kind]) if (!args[key]) throw new Error(`missing --${key}`);
    return args;
}

function requireEnv(env, name) {
    if (!env[name]) throw new Error(`environment variable ${name} is not set`);
    return env[name];
}

async function main(argv, env) {
    const args = parseArgs(argv);
    const token = requireEnv(env, "GITHUB_TOKEN");
    const repo = requireEnv(env, "GITHUB_REPOSITORY");
    const pr = requireEnv(env, "PR_NUMBER");
    if (!/^\d+$/.test(pr)) throw new Error(`PR_NUMBER must be a number, got '${pr}'`);
    const api = env.GITHUB_API_URL || "https://api.github.com";
    const author = env.COMMENT_AUTHOR || "github-actions[bot]";
    const project = readProjectName(path.resolve(__dirname, "..", ".."));
    const runUrl =
        env.GITHUB_SERVER_URL && env.GITHUB_RUN_ID
            ? `${env.GITHUB_SERVER_URL}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`
            : undefined;
    let body;
    let marker;
    if (args.kind === "preview") {
        const summary = fs.existsSync(args.summary)
            ? JSON.parse(fs.readFileSync(args.summary, "utf8"))
            : { stack: args.stack, outcome: "not-run", changes: {}, violations: [], violationCount: 0, errors: 0 }; // skipped, cancelled, awaiting approval or failed before the preview
        if (summary.stack !== args.stack)
            throw new Error(`summary is for stack '${summary.stack}', not '${args.stack}'`);
        body = renderPreviewComment({ project, summary, runUrl, sha: env.PR_HEAD_SHA });
        marker = previewMarker(project, args.stack);
    } else {
        body = renderRulesComment({ project, markdown: fs.readFileSync(args.file, "utf8") });
        marker = rulesMarker(project);
    }
    const existing = findMarkedComment(await listComments(api, repo, pr, token), marker, author);
    if (existing) {
        await github("PATCH", `${api}/repos/${repo}/issues/comments/${existing.id}`, token, { body });
        console.log(`updated comment ${existing.id} (${args.kind}${args.stack ? ` ${args.stack}` : ""})`);
    } else {
        const { data } = await github("POST", `${api}/repos/${repo}/issues/${pr}/comments`, token, { body });
        console.log(`created comment ${data.id} (${args.kind}${args.stack ? ` ${args.stack}` : ""})`);
    }
}

module.exports = {
    previewMarker,
    rulesMarker,
    findMarkedComment,
    renderPreviewComment,
    renderRulesComment,
    validateSummary,
    cell,
    parseArgs,
    main,
};

if (require.main === module) {
    main(process.argv.slice(2), process.env).catch((err) => {
        console.error(`pr-comment: ${err.message}`);
        process.exit(1);
    });
}
