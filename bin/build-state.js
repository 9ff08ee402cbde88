#!/usr/bin/env node
/**
 * Whether the compiled tree (dist/ and policies/bin/) was built from the sources as they are now, by content, not
 * by timestamp: `npm run build` records a hash of every file it compiles (`--record`), and the plan, the program and
 * the tests compare against it. An edit that is reverted, a checkout or a copied tree all compare correctly.
 * Plain JavaScript, so it runs before anything is built.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const stateFile = (dir) => path.join(dir, "dist", ".build-state.json");
/** What the build reads besides the sources its tsconfig includes. */
const buildConfigFiles = [
    "package-lock.json",
    "tsconfig.json",
    "tsconfig.build.json",
    "policies/tsconfig.json",
    "policies/package.json",
    "components/tsconfig.json",
    "components/package.json",
];

/** The source folders a tsconfig includes (`catalogue/**\/*.ts` -> `catalogue`). */
function sourceDirs(dir, tsconfigFile = "tsconfig.build.json") {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, tsconfigFile), "utf8"));
    return [...new Set(tsconfig.include.map((pattern) => pattern.split("/")[0]))];
}

function walk(dir, rel, out, extensions = [".ts"]) {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "node_modules" || entry.name === "bin" || entry.name.startsWith(".")) continue;
        const full = path.join(dir, entry.name);
        const r = `${rel}/${entry.name}`;
        if (entry.isDirectory()) walk(full, r, out, extensions);
        else if (extensions.some((e) => entry.name.endsWith(e))) out.push(r);
    }
}

/**
 * Path (relative, `/`-separated) to the sha256 of its content, for every file a compilation depends on: by default the
 * build's (tsconfig.build.json's folders, its configs and the lockfile).
 */
function sourceHashes(
    dir = root,
    { tsconfig = "tsconfig.build.json", configFiles = buildConfigFiles, extensions } = {},
) {
    const files = [];
    for (const d of sourceDirs(dir, tsconfig)) walk(path.join(dir, d), d, files, extensions);
    files.push(...configFiles.filter((f) => fs.existsSync(path.join(dir, f))));
    const hashes = {};
    for (const f of files.sort())
        hashes[f] = crypto
            .createHash("sha256")
            .update(fs.readFileSync(path.join(dir, f)))
            .digest("hex");
    return hashes;
}

/** The files that differ from what the last build recorded (all of them when nothing was recorded). */
function staleSources(dir = root) {
    const now = sourceHashes(dir);
    let built = {};
    try {
        built = JSON.parse(fs.readFileSync(stateFile(dir), "utf8")).sources ?? {};
    } catch {
        return ["(no build recorded: dist/.build-state.json is missing)"];
    }
    const changed = Object.keys(now).filter((f) => built[f] !== now[f]);
    const removed = Object.keys(built).filter((f) => !(f in now));
    return [...changed, ...removed.map((f) => `${f} (deleted)`)];
}

const pendingFile = (dir) => path.join(dir, "dist", ".build-state.pending.json");

/** Takes the sources' hashes before a build compiles them: a file saved during the build is then seen as changed. */
function snapshotBuild(dir = root) {
    fs.mkdirSync(path.dirname(pendingFile(dir)), { recursive: true });
    fs.writeFileSync(pendingFile(dir), `${JSON.stringify({ sources: sourceHashes(dir) }, null, 1)}\n`);
}

/** Records the sources the build just compiled: the snapshot taken before it, else the sources as they are now. */
function recordBuild(dir = root) {
    fs.mkdirSync(path.dirname(stateFile(dir)), { recursive: true });
    if (fs.existsSync(pendingFile(dir))) fs.renameSync(pendingFile(dir), stateFile(dir));
    else fs.writeFileSync(stateFile(dir), `${JSON.stringify({ sources: sourceHashes(dir) }, null, 1)}\n`);
}

/** A one-line reason naming the first stale files and the command that fixes them, or undefined when fresh. */
function staleReason(dir = root) {
    const stale = staleSources(dir);
    if (stale.length === 0) return undefined;
    const shown = stale.slice(0, 5).join(", ") + (stale.length > 5 ? ` and ${stale.length - 5} more` : "");
    return `the compiled code in dist/ is not built from the current sources (${shown}): run \`npm run build\``;
}

module.exports = { sourceHashes, staleSources, staleReason, snapshotBuild, recordBuild };

if (require.main === module && process.argv[2] === "--snapshot") snapshotBuild();
if (require.main === module && process.argv[2] === "--record") recordBuild();
