#!/usr/bin/env node
// Decides, from `pulumi preview --json --show-sames` of a stack, whether its next `pulumi up` must run with the
// stack's CanNotDelete management locks suspended: true when the preview deletes a resource that lies under a
// locked scope (a model deployment under a locked account, a table under a locked workspace), because Azure
// refuses to delete anything under such a lock ("ScopeLocked": a lock on a parent is inherited by its children,
// learn.microsoft.com/azure/azure-resource-manager/management/lock-resources, read 2026-11-27). The locked
// resources themselves keep `protect: true`, so Pulumi never deletes them whatever the locks; a deletion of a
// locked resource itself, or of a child that is not a day-2 change (an audit diagnostic setting, a key), is
// refused here and the pipeline stops before any change.
//
// The preview's shape is `PreviewDigest` (pulumi/pulumi sdk/pkg/display/json.go, read 2026-11-27): `steps[]` of
// `{op, urn, provider, oldState, newState, ...}` where oldState/newState are `apitype.ResourceV3`
// (`{urn, type, id, custom, protect, inputs, outputs, parent, ...}`, sdk/go/common/apitype/core.go). Step ops are
// the engine's StepOp strings (pkg/resource/deploy/step.go): a resource the update deletes shows as "delete", or
// as "replace" (the JSON display keeps only the logical step of a replacement unless --show-replacement-steps,
// which adds "delete-replaced"). Unchanged resources, such as the locks, appear only with --show-sames
// (display `shouldShow`: `OpSame` is shown when `ShowSameResources`), so the pipeline passes it.
//
//   node deletion-locks.js decide <preview.json>
// prints "lift" or "keep" on stdout (the reasons on stderr); exits 1 when a deletion is refused, 2 on bad input.
"use strict";

const fs = require("node:fs");
const { armTypeOf, isUnder, sameId } = require("./arm-id.js");

const LOCK_TYPE = "Microsoft.Authorization/locks";
const DELETING_OPS = new Set(["delete", "replace", "delete-replaced"]);

/**
 * Child resource types whose removal under a lifted lock is an ordinary day-2 change of this platform, each with
 * why it is safe. Anything else under a locked scope is refused.
 */
const DAY2_DELETIONS = {
    "Microsoft.CognitiveServices/accounts/deployments": "a model deployment removed from the stack's deployments",
    "Microsoft.CognitiveServices/accounts/raiBlocklists": "a content-filter blocklist no longer referenced",
    "Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems":
        "a blocklist item removed from the DLP patterns",
    "Microsoft.CognitiveServices/accounts/raiPolicies":
        "a content filter replaced by another (Azure refuses while a deployment uses it)",
    "Microsoft.OperationalInsights/workspaces/tables": "a table removed from the audit workspace's configuration",
    "Microsoft.OperationalInsights/workspaces/savedSearches": "a saved search removed or renamed",
    "Microsoft.Authorization/roleAssignments": "access removed from a persona or application",
};

const stateOf = (step) => step.oldState || step.newState;

/** The scope a lock applies to: its `scope` input, else its id without /providers/Microsoft.Authorization/locks/<name>. */
function lockScope(state) {
    const scope = state.inputs && typeof state.inputs.scope === "string" ? state.inputs.scope : undefined;
    if (scope) return scope;
    const match = /^(.*)\/providers\/Microsoft\.Authorization\/locks\/[^/]+$/i.exec(state.id || "");
    if (!match) throw new Error(`lock ${state.urn}: neither a scope input nor a lock id to read its scope from`);
    return match[1];
}

function armTypeOrUndefined(id) {
    try {
        return armTypeOf(id);
    } catch {
        return undefined;
    }
}

/**
 * The decision for one preview: which deletions need the locks lifted, which are refused, and whether to lift.
 * Throws with what was expected when the document is not a preview digest.
 */
function lockLiftPlan(preview) {
    if (!preview || typeof preview !== "object" || Array.isArray(preview))
        throw new Error("expected the JSON object printed by `pulumi preview --json`");
    if (preview.steps !== undefined && !Array.isArray(preview.steps))
        throw new Error("steps: expected an array of preview steps");
    const steps = preview.steps || [];
    steps.forEach((s, i) => {
        if (!s || typeof s.op !== "string" || typeof s.urn !== "string")
            throw new Error(`steps[${i}]: expected {op, urn, oldState?, newState?}`);
    });

    const locks = [];
    for (const step of steps) {
        const old = step.oldState;
        if (!old || typeof old.id !== "string" || armTypeOrUndefined(old.id) !== LOCK_TYPE) continue;
        const level = old.inputs && old.inputs.level;
        if (level !== "CanNotDelete" && level !== "ReadOnly") continue;
        locks.push({ urn: old.urn || step.urn, id: old.id, scope: lockScope(old), level, op: step.op });
    }

    const lockedDeletions = [];
    const refused = [];
    const locksRemoved = [];
    for (const step of steps) {
        if (!DELETING_OPS.has(step.op)) continue;
        const old = step.oldState;
        if (!old || typeof old.id !== "string" || old.id === "") continue;
        const armType = armTypeOrUndefined(old.id);
        if (!armType) continue; // not an Azure resource (a random string, an Entra object): no Azure lock applies
        if (armType === LOCK_TYPE) {
            locksRemoved.push({ urn: step.urn, id: old.id });
            continue;
        }
        const itself = locks.filter((l) => sameId(old.id, l.scope));
        const covering = locks.filter((l) => isUnder(old.id, l.scope));
        if (itself.length > 0) {
            refused.push({
                urn: step.urn,
                id: old.id,
                armType,
                reason: `it is itself locked (${itself.map((l) => l.level).join(", ")}); a locked resource is never deleted by the pipeline`,
            });
            continue;
        }
        if (old.protect) {
            refused.push({ urn: step.urn, id: old.id, armType, reason: "it is protected (protect: true)" });
            continue;
        }
        if (covering.length === 0) continue;
        if (!DAY2_DELETIONS[armType]) {
            refused.push({
                urn: step.urn,
                id: old.id,
                armType,
                reason: `${armType} is not a day-2 deletion the pipeline carries out under a lock (allowed: ${Object.keys(DAY2_DELETIONS).join(", ")})`,
            });
            continue;
        }
        lockedDeletions.push({
            urn: step.urn,
            id: old.id,
            op: step.op,
            armType,
            why: DAY2_DELETIONS[armType],
            lockScopes: covering.map((l) => l.scope),
        });
    }

    // The root stack is shown whatever the flags; any other unchanged resource proves --show-sames was passed.
    const sawSames = steps.some((s) => s.op === "same" && !s.urn.includes("::pulumi:pulumi:Stack::"));
    if (steps.some((s) => DELETING_OPS.has(s.op)) && !sawSames) {
        throw new Error(
            "the preview deletes resources but lists no unchanged ones: run `pulumi preview --json --show-sames` so the locks are visible",
        );
    }
    return { lift: lockedDeletions.length > 0 && refused.length === 0, locks, lockedDeletions, refused, locksRemoved };
}

function describe(plan) {
    const lines = [
        `locks: ${plan.locks.length}; deletions under a lock: ${plan.lockedDeletions.length}; refused: ${plan.refused.length}`,
    ];
    for (const d of plan.lockedDeletions) lines.push(`  lift for: ${d.op} ${d.urn} (${d.armType}: ${d.why})`);
    for (const r of plan.refused) lines.push(`  refused: ${r.urn}: ${r.reason}`);
    for (const l of plan.locksRemoved) lines.push(`  lock removed by the program: ${l.urn}`);
    return lines.join("\n");
}

function main(argv) {
    const [command, file] = argv;
    if (command !== "decide" || !file) {
        console.error("usage: deletion-locks.js decide <preview.json>");
        return 2;
    }
    let plan;
    try {
        plan = lockLiftPlan(JSON.parse(fs.readFileSync(file, "utf8")));
    } catch (e) {
        console.error(`deletion-locks: ${file}: ${e.message}`);
        return 2;
    }
    console.error(describe(plan));
    if (plan.refused.length > 0) {
        console.error(
            "deletion-locks: refusing to run: the preview deletes resources the pipeline does not delete under a lock (see above)",
        );
        return 1;
    }
    console.log(plan.lift ? "lift" : "keep");
    return 0;
}

module.exports = { lockLiftPlan, DAY2_DELETIONS, describe, main };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
