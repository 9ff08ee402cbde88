#!/usr/bin/env node
// Posts a stack's `pulumi preview` to its pull request as one comment per stack, edited in place on every
// push. The comment is found by its first line, a hidden marker naming project and stack, compared exactly, so
// stack `eu-prod` never overwrites the comment of `eu-prod-2`; only comments written by COMMENT_AUTHOR count.
//   node .github/scripts/pr-comment.js --stack <stack> --outcome <success|failure|...> --file <preview output>
// Environment: GITHUB_TOKEN, GITHUB_REPOSITORY, PR_NUMBER; optional GITHUB_API_URL, GITHUB_SERVER_URL,
// GITHUB_RUN_ID, COMMENT_AUTHOR (default github-actions[bot]).
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { readProjectName } = require("./stack-matrix.js");

/** GitHub rejects comment bodies over 65,536 characters; keep room for the frame around the output. */
const MAX_OUTPUT_CHARS = 60000;

function previewMarker(project, stack) {
    return `<!-- azure-openai-preview: project=${project} stack=${stack} -->`;
}

/** The comment this stack owns: first line equal to the marker, written by the expected author. */
function findMarkedComment(comments, marker, author) {
    return comments.find((c) => c.user && c.user.login === author && typeof c.body === "string" && c.body.split(/\r?\n/, 1)[0] === marker);
}

/** Keeps the end of long output: the summary and any policy violations come last. */
function truncateOutput(output, max = MAX_OUTPUT_CHARS) {
    if (output.length <= max) return output;
    return `… ${output.length - max} characters cut, see the workflow log for the full output …\n${output.slice(-max)}`;
}

function renderComment({ project, stack, outcome, output, runUrl, sha }) {
    const ok = outcome === "success";
    const fence = "```";
    return [
        previewMarker(project, stack),
        `### ${ok ? "✅" : "❌"} \`pulumi preview\` of stack \`${stack}\` ${ok ? "succeeded" : `ended with '${outcome}'`}`,
        "",
        `Commit ${sha ? `\`${sha.slice(0, 12)}\`` : "(unknown)"}; policy pack enforced with the stack's profile config.` +
            (runUrl ? ` [Workflow run](${runUrl}).` : ""),
        "",
        "<details><summary>Preview output</summary>",
        "",
        `${fence}text`,
        truncateOutput(output.replace(/`{3,}/g, "``\u200b`")).trimEnd(),
        fence,
        "",
        "</details>",
        "",
    ].join("\n");
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

function parseArgs(argv) {
    const args = {};
    for (let i = 0; i < argv.length; i += 2) {
        const key = argv[i];
        if (!["--stack", "--outcome", "--file"].includes(key) || argv[i + 1] === undefined) {
            throw new Error(`unexpected argument '${key}'; usage: --stack <stack> --outcome <outcome> --file <output file>`);
        }
        args[key.slice(2)] = argv[i + 1];
    }
    for (const key of ["stack", "outcome", "file"]) if (!args[key]) throw new Error(`missing --${key}`);
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
    const output = fs.existsSync(args.file) ? fs.readFileSync(args.file, "utf8") : `(no output: ${args.file} was not written)`;
    const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
    const body = renderComment({ project, stack: args.stack, outcome: args.outcome, output, runUrl, sha: env.PR_HEAD_SHA });

    const existing = findMarkedComment(await listComments(api, repo, pr, token), previewMarker(project, args.stack), author);
    if (existing) {
        await github("PATCH", `${api}/repos/${repo}/issues/comments/${existing.id}`, token, { body });
        console.log(`updated comment ${existing.id} for stack ${args.stack}`);
    } else {
        const { data } = await github("POST", `${api}/repos/${repo}/issues/${pr}/comments`, token, { body });
        console.log(`created comment ${data.id} for stack ${args.stack}`);
    }
}

module.exports = { previewMarker, findMarkedComment, renderComment, truncateOutput, parseArgs, main };

if (require.main === module) {
    main(process.argv.slice(2), process.env).catch((err) => {
        console.error(`pr-comment: ${err.message}`);
        process.exit(1);
    });
}
