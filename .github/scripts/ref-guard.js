#!/usr/bin/env node
// Guards on the commit a pipeline acts on, checked against the repository host right before it acts:
//   node ref-guard.js main-head   the commit is main's head now: a deploy never applies an older commit (a re-run
//                                  of an old run, a run queued behind newer pushes, a manual dispatch of a branch)
//   node ref-guard.js on-main     the commit is on main's history: a policy pack release is never cut from a
//                                  commit that was not reviewed into main
// GitHub (GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_TOKEN with contents: read): GET
// /repos/{repo}/git/ref/heads/main answers `{object: {sha}}`; GET /repos/{repo}/compare/{sha}...main answers
// `status` "ahead" or "identical" when main contains the commit ("diverged" or "behind" otherwise)
// (docs.github.com/rest/git/refs#get-a-reference, docs.github.com/rest/commits/commits#compare-two-commits, read
// 2026-11-27). Azure Repos (SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT, BUILD_REPOSITORY_ID, BUILD_SOURCEVERSION,
// SYSTEM_ACCESSTOKEN): GET {collection}{project}/_apis/git/repositories/{id}/refs?filter=heads/main answers
// `{value: [{name, objectId}]}` (learn.microsoft.com/rest/api/azure/devops/git/refs/list, read 2026-11-27).
"use strict";

const MAIN = "main";

async function getJson(url, headers) {
    const response = await fetch(url, { headers: { accept: "application/json", ...headers } });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
}

function required(env, names) {
    for (const name of names) if (!env[name]) throw new Error(`environment variable ${name} is not set`);
}

function host(env) {
    if (env.GITHUB_ACTIONS === "true" || env.GITHUB_REPOSITORY) {
        required(env, ["GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_TOKEN"]);
        const api = `${env.GITHUB_API_URL || "https://api.github.com"}/repos/${env.GITHUB_REPOSITORY}`;
        const headers = { authorization: `Bearer ${env.GITHUB_TOKEN}`, "x-github-api-version": "2022-11-28" };
        return {
            sha: env.GITHUB_SHA,
            mainHead: async () => (await getJson(`${api}/git/ref/heads/${MAIN}`, headers)).object.sha,
            onMain: async (sha) =>
                ["ahead", "identical"].includes((await getJson(`${api}/compare/${sha}...${MAIN}`, headers)).status),
        };
    }
    if (env.TF_BUILD) {
        required(env, [
            "SYSTEM_COLLECTIONURI",
            "SYSTEM_TEAMPROJECT",
            "BUILD_REPOSITORY_ID",
            "BUILD_SOURCEVERSION",
            "SYSTEM_ACCESSTOKEN",
        ]);
        const api = `${env.SYSTEM_COLLECTIONURI.replace(/\/?$/, "/")}${encodeURIComponent(env.SYSTEM_TEAMPROJECT)}/_apis/git/repositories/${env.BUILD_REPOSITORY_ID}`;
        const headers = { authorization: `Bearer ${env.SYSTEM_ACCESSTOKEN}` };
        return {
            sha: env.BUILD_SOURCEVERSION,
            mainHead: async () => {
                const refs = (await getJson(`${api}/refs?filter=heads/${MAIN}&api-version=7.1`, headers)).value || [];
                const ref = refs.find((r) => r.name === `refs/heads/${MAIN}`);
                if (!ref) throw new Error(`the repository has no refs/heads/${MAIN}`);
                return ref.objectId;
            },
            onMain: async () => {
                throw new Error("on-main is checked on GitHub only (the policy release runs there)");
            },
        };
    }
    throw new Error(
        "neither GitHub Actions (GITHUB_REPOSITORY) nor Azure Pipelines (TF_BUILD): cannot ask the repository host",
    );
}

async function main(argv, env) {
    const [check] = argv;
    if (argv.length !== 1 || !["main-head", "on-main"].includes(check))
        throw new Error("usage: ref-guard.js main-head|on-main");
    const h = host(env);
    if (!/^[0-9a-f]{40}$/.test(h.sha)) throw new Error(`the commit to check is not a full SHA: '${h.sha}'`);
    if (check === "main-head") {
        const head = await h.mainHead();
        if (head !== h.sha) {
            throw new Error(
                `this run is for ${h.sha.slice(0, 12)} but ${MAIN} is now at ${String(head).slice(0, 12)}: only ${MAIN}'s head is deployed (a newer run deploys it)`,
            );
        }
        console.log(`${h.sha.slice(0, 12)} is ${MAIN}'s head`);
    } else {
        if (!(await h.onMain(h.sha)))
            throw new Error(
                `${h.sha.slice(0, 12)} is not on ${MAIN}: a release is cut only from a commit reviewed into ${MAIN}`,
            );
        console.log(`${h.sha.slice(0, 12)} is on ${MAIN}`);
    }
}

module.exports = { main, host };

if (require.main === module) {
    main(process.argv.slice(2), process.env).catch((err) => {
        console.error(`ref-guard: ${err.message}`);
        process.exit(1);
    });
}
