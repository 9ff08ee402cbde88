#!/usr/bin/env node
/**
 * `npm run plan`: rebuilds whatever changed since the last build (content-compared; a no-op build is skipped), then
 * runs the offline plan, so the plan never judges stale code. Exit 2 when the build fails, like any plan error.
 */
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");
const { staleSources } = require("./build-state");

const stale = staleSources();
if (stale.length > 0) {
    process.stderr.write(
        `Building first: ${stale.length} source file(s) changed since the last build (${stale.slice(0, 3).join(", ")}${stale.length > 3 ? ", ..." : ""}).\n`,
    );
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const build = spawnSync(npm, ["run", "-s", "build"], {
        cwd: path.resolve(__dirname, ".."),
        stdio: ["ignore", process.stderr, process.stderr],
    });
    if (build.status !== 0) {
        process.stderr.write(
            "error: the build failed (above); the plan judges only code that compiles: fix it and run `npm run plan` again\n",
        );
        process.exit(2);
    }
}
require("../dist/plan/cli.js")
    .main(process.argv.slice(2))
    .then((code) => {
        process.exitCode = code;
    });
