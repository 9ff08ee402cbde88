#!/usr/bin/env node
/**
 * `npm run typecheck`: type-checks every TypeScript file of the repository (tsconfig.json: sources, tests, examples),
 * unless nothing it reads changed, by content, since the last clean type-check (.jestcache/typecheck-state.json):
 * its .ts and .json files, the tsconfigs and the lockfile (the dependencies' declarations). The hashes are taken
 * before tsc runs, so a file saved during the check is checked again next time. tsc itself is incremental
 * (tsconfig.typecheck.json): it re-checks what changed and what depends on it.
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { sourceHashes } = require("./build-state");

const root = path.resolve(__dirname, "..");
const stateFile = path.join(root, ".jestcache", "typecheck-state.json");
const configFiles = ["package-lock.json", "tsconfig.json", "tsconfig.typecheck.json"];

function sameAsLastCheck(hashes) {
    try {
        return JSON.stringify(JSON.parse(fs.readFileSync(stateFile, "utf8"))) === JSON.stringify(hashes);
    } catch {
        return false;
    }
}

const hashes = sourceHashes(root, { tsconfig: "tsconfig.json", configFiles, extensions: [".ts", ".json"] });
if (!sameAsLastCheck(hashes)) {
    const tsc = require.resolve("typescript/bin/tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.typecheck.json"], { cwd: root, stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
    fs.mkdirSync(path.dirname(stateFile), { recursive: true });
    fs.writeFileSync(stateFile, JSON.stringify(hashes));
}
