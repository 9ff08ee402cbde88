#!/usr/bin/env node
/**
 * `npm run plan`: rebuilds whatever changed since the last build (content-compared; a no-op build is skipped), then
 * runs the offline plan, so the plan never judges stale code. Exit 2 when the build fails, like any plan error.
 */
"use strict";
const { buildIfStale } = require("./build-if-stale");

if (buildIfStale() !== 0) {
    process.stderr.write(
        "error: the build failed (above); the plan judges only code that compiles: fix it and run `npm run plan` again\n",
    );
    process.exit(2);
}
require("../dist/plan/cli.js")
    .main(process.argv.slice(2))
    .then((code) => {
        process.exitCode = code;
    });
