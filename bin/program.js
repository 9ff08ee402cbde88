/**
 * The Pulumi program's entry (Pulumi.yaml `main`): the compiled program in dist/infra, after checking that it was
 * built from the current sources, so `pulumi preview` and `pulumi up` never deploy stale code. Its exports are the
 * stack outputs.
 */
"use strict";
const { staleReason } = require("./build-state");

const reason = staleReason();
if (reason) throw new Error(`Refusing to run: ${reason} before \`pulumi preview\` or \`pulumi up\`.`);
module.exports = require("../dist/infra/index.js");
