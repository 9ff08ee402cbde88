// The policies this pack runs, for tools that read a pack's metadata without starting it (the offline plan).
"use strict";
module.exports = { allPolicies: require("azure-openai-policies").allPolicies };
