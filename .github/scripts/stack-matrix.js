#!/usr/bin/env node
// Lists the stacks to preview or deploy by reading stacks/Pulumi.<stack>.yaml, so a stack added to the
// directory is previewed and deployed without editing any pipeline. Node built-ins only: it runs before
// `npm ci`. Usage:
//   node .github/scripts/stack-matrix.js                  # JSON to stdout
//   node .github/scripts/stack-matrix.js --github-output  # also writes all, nonprod, canary, production
//                                                         # (and *_count) to $GITHUB_OUTPUT
//   node .github/scripts/stack-matrix.js --azure-devops   # the same as Azure DevOps output variables
// Rings: all, nonprod, prod (every production stack), canary, production (production minus canary).
// Each ring is written three ways: <ring> (GitHub matrix {"include": [...]}), <ring>_ado (Azure DevOps matrix
// object), <ring>_list ("stack:profile ..." for a shell loop), plus <ring>_count.
// The first production ring ("canary") is $CANARY_PRODUCTION_STACK, or the first production stack by name.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/;
const ENVIRONMENTS = ["prod", "nonprod"];
/**
 * Stack names that are production by name, the same globs as the pack's deletion-protection policy
 * (`productionStackPatterns` default; test/pipelines/stack-matrix.test.ts keeps them equal): such a stack that says
 * `environment: nonprod` would deploy in the unreviewed first ring with the non-production identity, so it is refused.
 */
const PRODUCTION_NAME_PATTERNS = ["*-prod", "prod-*", "prod"];
const globToRegExp = (glob) =>
    new RegExp(
        `^${glob
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
    );

/** The Pulumi project name, read from Pulumi.yaml (the CLI's own source of truth). */
function readProjectName(repoRoot) {
    const file = path.join(repoRoot, "Pulumi.yaml");
    const match = /^name:\s*["']?([A-Za-z0-9_.-]+)["']?\s*$/m.exec(fs.readFileSync(file, "utf8"));
    if (!match) throw new Error(`${file}: expected a top-level 'name: <project>' line`);
    return match[1];
}

/** The stack config directory, from Pulumi.yaml's stackConfigDir (default: the project root). */
function readStackConfigDir(repoRoot) {
    const match = /^stackConfigDir:\s*["']?([^"'\s#]+)["']?\s*$/m.exec(
        fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8"),
    );
    return path.join(repoRoot, match ? match[1] : ".");
}

/**
 * Reads one top-level config value (`  <namespace>:<key>: <scalar>`) from a stack file. Stack files keep these
 * keys as plain scalars directly under `config:`; anything else is reported rather than guessed.
 */
function readScalar(text, file, fullKey, required) {
    const escaped = fullKey.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const matches = [...text.matchAll(new RegExp(`^[ \\t]+${escaped}:[ \\t]*(.*?)[ \\t]*(?:#.*)?$`, "gm"))];
    if (matches.length === 0) {
        if (required) throw new Error(`${file}: missing config key '${fullKey}'`);
        return undefined;
    }
    if (matches.length > 1) throw new Error(`${file}: config key '${fullKey}' appears ${matches.length} times`);
    const value = matches[0][1].replace(/^(["'])(.*)\1$/, "$2");
    if (!/^[A-Za-z0-9_.-]+$/.test(value)) {
        throw new Error(
            `${file}: config key '${fullKey}' must be a plain word (letters, digits, '.', '_', '-'), got '${value}'`,
        );
    }
    return value;
}

/** Every stack file in the stack config directory, sorted by stack name. */
function listStacks(repoRoot) {
    const project = readProjectName(repoRoot);
    const dir = readStackConfigDir(repoRoot);
    const stacks = fs
        .readdirSync(dir)
        .filter((name) => STACK_FILE.test(name))
        .sort()
        .map((name) => {
            const file = path.join(dir, name);
            const text = fs.readFileSync(file, "utf8");
            const rel = path.relative(repoRoot, file);
            const environment = readScalar(text, rel, `${project}:environment`, true);
            if (!ENVIRONMENTS.includes(environment)) {
                throw new Error(
                    `${rel}: '${project}:environment' must be one of ${ENVIRONMENTS.join(", ")}, got '${environment}'`,
                );
            }
            const stackName = STACK_FILE.exec(name)[1];
            if (environment !== "prod" && PRODUCTION_NAME_PATTERNS.some((p) => globToRegExp(p).test(stackName))) {
                throw new Error(
                    `${rel}: stack '${stackName}' is production by its name (${PRODUCTION_NAME_PATTERNS.join(", ")}) but '${project}:environment' is '${environment}': expected prod`,
                );
            }
            const stack = {
                stack: stackName,
                file: rel,
                environment,
                profile: readScalar(text, rel, `${project}:profile`, true),
            };
            // Optional: the subscription the azure-native provider deploys to, when a stack has its own.
            const subscriptionId = readScalar(text, rel, "azure-native:subscriptionId", false);
            return subscriptionId ? { ...stack, subscriptionId } : stack;
        });
    if (stacks.length === 0)
        throw new Error(`${path.relative(repoRoot, dir) || "."}: no Pulumi.<stack>.yaml files found`);
    return stacks;
}

/**
 * Splits stacks into deployment rings: non-production, one production stack, then the other production stacks;
 * `prod` is every production stack (the previews that run behind the protected preview environment).
 */
function rings(stacks, canaryName) {
    const nonprod = stacks.filter((s) => s.environment !== "prod");
    const production = stacks.filter((s) => s.environment === "prod");
    let canary = production.slice(0, 1);
    if (canaryName) {
        const chosen = stacks.find((s) => s.stack === canaryName);
        if (!chosen)
            throw new Error(
                `CANARY_PRODUCTION_STACK: no stack named '${canaryName}' (stacks: ${stacks.map((s) => s.stack).join(", ")})`,
            );
        if (chosen.environment !== "prod")
            throw new Error(`CANARY_PRODUCTION_STACK: '${canaryName}' is not a production stack`);
        canary = [chosen];
    }
    return {
        all: stacks,
        nonprod,
        prod: production,
        canary,
        production: production.filter((s) => !canary.includes(s)),
    };
}

function main(argv, env) {
    const repoRoot = path.resolve(__dirname, "..", "..");
    const byRing = rings(listStacks(repoRoot), env.CANARY_PRODUCTION_STACK || undefined);
    const lines = [];
    for (const [ring, stacks] of Object.entries(byRing)) {
        // A GitHub matrix object, used whole: `matrix: ${{ fromJSON(needs.stacks.outputs.<ring>) }}`.
        lines.push([ring, JSON.stringify({ include: stacks })], [`${ring}_count`, String(stacks.length)]);
        // Azure DevOps matrices are objects keyed by job name; each key's values become job variables.
        const adoMatrix = stacks.map((s) => [
            s.stack.replace(/[^A-Za-z0-9_]/g, "_"),
            { stack: s.stack, profile: s.profile },
        ]);
        lines.push([`${ring}_ado`, JSON.stringify(Object.fromEntries(adoMatrix))]);
        // For loops in a shell (Azure DevOps deployment jobs take no matrix): "stack:profile stack:profile".
        lines.push([`${ring}_list`, stacks.map((s) => `${s.stack}:${s.profile}`).join(" ")]);
    }
    if (argv.includes("--github-output")) {
        if (!env.GITHUB_OUTPUT) throw new Error("--github-output: the GITHUB_OUTPUT environment variable is not set");
        fs.appendFileSync(env.GITHUB_OUTPUT, lines.map(([k, v]) => `${k}=${v}\n`).join(""));
    }
    if (argv.includes("--azure-devops")) {
        for (const [k, v] of lines) console.log(`##vso[task.setvariable variable=${k};isOutput=true]${v}`);
    }
    console.log(JSON.stringify(byRing, null, 2));
}

module.exports = { listStacks, rings, readProjectName, PRODUCTION_NAME_PATTERNS };

if (require.main === module) {
    try {
        main(process.argv.slice(2), process.env);
    } catch (err) {
        console.error(`stack-matrix: ${err.message}`);
        process.exit(1);
    }
}
