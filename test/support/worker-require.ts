/**
 * Node's own require, for modules a jest worker process loads once and shares with every test file it runs. jest hands
 * test code a stand-in for the `module` builtin whose `createRequire` is its per-test-file registry (each file would
 * load and evaluate the module again), but the stand-in's `Module` class extends Node's, and a `require` of a builtin
 * through it comes from Node itself.
 *
 * What is loaded this way lives in the worker's realm, not the test file's sandbox (jest gives each file its own
 * globals): `instanceof Array` or `instanceof Promise` in such code is false for arrays and promises a test makes.
 */
import * as nodeModule from "module";

const { Module } = nodeModule as unknown as { Module: new (id: string) => { require(id: string): unknown } };

/** Node's `module` builtin itself (not jest's stand-in). */
export const nodeModules = new Module(__filename).require("module") as typeof nodeModule;
if (nodeModules.createRequire === nodeModule.createRequire) {
    throw new Error(
        "test/support/worker-require.ts: jest's `module` stand-in no longer reaches Node's own loader; load built modules another way",
    );
}

/** Node's require, resolving from this directory (the repository's node_modules). */
export const workerRequire = nodeModules.createRequire(__filename);
