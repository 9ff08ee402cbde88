#!/usr/bin/env node
/**
 * Starts a compiled policy pack for the offline plan: `node pack-host.js <engine-address> <pack-dir>`.
 * It does what the Pulumi CLI's loader (`@pulumi/pulumi/cmd/run-policy-pack`) does for a pack whose `main` is
 * JavaScript: work in the pack's directory, leave the program no arguments, require the directory (its package.json
 * `main`), exit non-zero on an uncaught error. It skips the loader's registration of type-checking ts-node, which
 * loads `typescript` (~0.5 s of CPU and ~50 MB per pack start) that a compiled pack never uses. The pack, its SDK and
 * its gRPC server are the same; packs whose `main` is TypeScript are started through the CLI's loader
 * (plan/analyzer/process.ts), and test/policies/contract.test.ts keeps proving this pack through that loader.
 */
import "../runtime/lazy-sdk-deps";
import * as path from "path";

const [, script, engineAddress, packDir] = process.argv;
if (!engineAddress || !packDir) {
    process.stderr.write("usage: pack-host <engine-address> <pack-dir>\n");
    process.exit(2);
}
const dir = path.resolve(packDir);
process.chdir(dir);
process.argv = [process.argv[0], script];
const fail = (err: unknown) => {
    process.stderr.write(
        `Running policy pack '${dir}' failed with an unhandled exception:\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(dir);
