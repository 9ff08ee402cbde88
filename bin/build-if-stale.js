#!/usr/bin/env node
/**
 * Runs `npm run build` only when a source or build config differs, by content, from what the last build recorded
 * (bin/build-state.js), or a compiled entry point is missing: a no-op build is skipped instead of three type-checking
 * compilations of the SDK's declarations. Used by `npm run plan` and by `npm test` before jest.
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { staleSources } = require("./build-state");

const root = path.resolve(__dirname, "..");
/** What each build output must hold: the plan, the pack's entry and the components package's entry. */
const entryPoints = ["dist/plan/cli.js", "policies/bin/policies/index.js", "components/bin/components/index.js"];

/** Why a build is needed (changed sources, or a missing output), or an empty list. */
function buildReasons(dir = root) {
    const missing = entryPoints.filter((f) => !fs.existsSync(path.join(dir, f))).map((f) => `${f} (missing)`);
    return [...staleSources(dir), ...missing];
}

/** Builds when needed, saying why on stderr; returns the build's exit status (0 when nothing was needed). */
function buildIfStale(dir = root) {
    const reasons = buildReasons(dir);
    if (reasons.length === 0) return 0;
    const shown = reasons.slice(0, 3).join(", ") + (reasons.length > 3 ? ", ..." : "");
    process.stderr.write(`Building first: ${reasons.length} change(s) since the last build (${shown}).\n`);
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const build = spawnSync(npm, ["run", "-s", "build"], {
        cwd: dir,
        stdio: ["ignore", process.stderr, process.stderr],
    });
    return build.status ?? 1;
}

module.exports = { buildReasons, buildIfStale };

if (require.main === module) process.exitCode = buildIfStale();
