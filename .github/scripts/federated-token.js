#!/usr/bin/env node
// Requests a fresh OpenID Connect token for Azure workload identity federation, right before each `pulumi` or
// `az login` call, so a ring of stacks never runs on an expired token (GitHub's last about 5 minutes, Azure
// DevOps' 10: Azure/azure-cli#28708). Node built-ins only.
//
//   node federated-token.js --out <file>
// writes the token to <file> (mode 0600) and prints the CI system's command that masks it in logs.
//
// GitHub Actions (a job with `permissions: id-token: write`): GET $ACTIONS_ID_TOKEN_REQUEST_URL with
// `audience=api://AzureADTokenExchange` and `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`; the answer is
// `{"value": "<jwt>"}` (the same exchange azure-native performs itself: pulumi/pulumi-azure-native
// provider/pkg/provider/auth_azidentity.go, getOidcTokenExchangeAssertion, read 2026-11-27).
// Azure DevOps (inside an AzureCLI@2 task on a workload identity federation service connection): POST
// $SYSTEM_OIDCREQUESTURI?api-version=7.1&serviceConnectionId=$AZURESUBSCRIPTION_SERVICE_CONNECTION_ID with
// `Authorization: Bearer $SYSTEM_ACCESSTOKEN`; the answer is `{"oidcToken": "<jwt>"}` (MicrosoftDocs/azure-devops-docs
// release-notes/2024/includes/pipelines/sprint-240-update.md, "Requesting a fresh idToken", read 2026-11-27).
"use strict";

const fs = require("node:fs");

const AUDIENCE = "api://AzureADTokenExchange";

/** Which CI system's token endpoint the environment offers, or an error naming what is missing. */
function tokenSource(env) {
    if (env.ACTIONS_ID_TOKEN_REQUEST_URL || env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        for (const name of ["ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"]) {
            if (!env[name]) throw new Error(`${name} is not set: the job needs \`permissions: id-token: write\``);
        }
        const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL);
        url.searchParams.set("audience", AUDIENCE);
        return {
            system: "github",
            url: url.toString(),
            method: "GET",
            bearer: env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
            field: "value",
        };
    }
    if (env.SYSTEM_OIDCREQUESTURI) {
        for (const name of ["SYSTEM_ACCESSTOKEN", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"]) {
            if (!env[name]) {
                throw new Error(
                    `${name} is not set: run inside an AzureCLI@2 task on a workload identity federation service connection, with SYSTEM_ACCESSTOKEN: $(System.AccessToken) in its env`,
                );
            }
        }
        const url = new URL(env.SYSTEM_OIDCREQUESTURI);
        url.searchParams.set("api-version", "7.1");
        url.searchParams.set("serviceConnectionId", env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID);
        return {
            system: "azure-devops",
            url: url.toString(),
            method: "POST",
            bearer: env.SYSTEM_ACCESSTOKEN,
            field: "oidcToken",
        };
    }
    throw new Error(
        "no OIDC token endpoint: expected ACTIONS_ID_TOKEN_REQUEST_URL (GitHub Actions) or SYSTEM_OIDCREQUESTURI (Azure DevOps)",
    );
}

async function requestToken(source) {
    const response = await fetch(source.url, {
        method: source.method,
        headers: {
            authorization: `Bearer ${source.bearer}`,
            accept: "application/json",
            "content-type": "application/json",
            ...(source.method === "POST" ? { "content-length": "0" } : {}),
        },
    });
    const text = await response.text();
    if (!response.ok)
        throw new Error(`${source.system} token endpoint answered HTTP ${response.status}: ${text.slice(0, 300)}`);
    let body;
    try {
        body = JSON.parse(text);
    } catch {
        throw new Error(`${source.system} token endpoint answered something that is not JSON`);
    }
    const token = body && body[source.field];
    if (typeof token !== "string" || token.split(".").length !== 3)
        throw new Error(`${source.system} token endpoint answered no JWT in '${source.field}'`);
    return token;
}

/** The log-masking command of each CI system (GitHub workflow command, Azure Pipelines logging command). */
function maskCommand(system, token) {
    return system === "github" ? `::add-mask::${token}` : `##vso[task.setsecret]${token}`;
}

async function main(argv, env) {
    const i = argv.indexOf("--out");
    if (i === -1 || !argv[i + 1] || argv.length !== 2) throw new Error("usage: federated-token.js --out <file>");
    const source = tokenSource(env);
    const token = await requestToken(source);
    fs.writeFileSync(argv[i + 1], token, { mode: 0o600 });
    console.log(maskCommand(source.system, token));
}

module.exports = { tokenSource, requestToken, maskCommand, main, AUDIENCE };

if (require.main === module) {
    main(process.argv.slice(2), process.env).catch((err) => {
        console.error(`federated-token: ${err.message}`);
        process.exit(1);
    });
}
