#!/usr/bin/env node
// Turns the engine event log of one `pulumi preview` (`--event-log`, one apitype.EngineEvent JSON object per
// line) into the public-repository-safe summary a pull-request comment shows: how many resources each operation
// touches and every policy violation (policy, pack, level, resource, message), never a property diff.
// Event shapes: pulumi/pulumi sdk/go/common/apitype/events.go (EngineEvent with resourcePreEvent.metadata.op,
// summaryEvent.resourceChanges, policyEvent{policyName, policyPackName, enforcementLevel, resourceUrn, message},
// diagnosticEvent.severity), read 2026-11-27. `--event-log` is offered when PULUMI_DEBUG_COMMANDS=true
// (pkg/cmd/pulumi/operations/preview.go registers it under hasDebugCommands()).
//   node preview-summary.js --stack <stack> --outcome <outcome> --events <events.jsonl> --out <summary.json>
"use strict";

const fs = require("node:fs");

const MAX_MESSAGE = 400;
const MAX_VIOLATIONS = 50;
const LEVELS = ["mandatory", "remediate", "warning", "advisory", "none"];

const clip = (s, n = MAX_MESSAGE) => {
    const one = String(s).replace(/\s+/g, " ").trim();
    return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

/** The summary of an event log's text: counts per operation, violations, error diagnostics. */
function summarize(text, { stack, outcome }) {
    const changes = {};
    const perStep = {};
    const violations = [];
    let errors = 0;
    let sawSummary = false;
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
    lines.forEach((line, i) => {
        let event;
        try {
            event = JSON.parse(line);
        } catch {
            throw new Error(`event log line ${i + 1}: not JSON`);
        }
        if (event.summaryEvent) {
            sawSummary = true;
            for (const [op, n] of Object.entries(event.summaryEvent.resourceChanges || {}))
                if (Number.isInteger(n)) changes[op] = n;
        } else if (event.resourcePreEvent && event.resourcePreEvent.metadata) {
            const m = event.resourcePreEvent.metadata;
            if (typeof m.op === "string") perStep[m.op] = (perStep[m.op] || 0) + 1;
        } else if (event.policyEvent) {
            const p = event.policyEvent;
            violations.push({
                policy: clip(p.policyName, 120),
                pack: clip(p.policyPackName, 120),
                level: LEVELS.includes(p.enforcementLevel) ? p.enforcementLevel : "unknown",
                resource: p.resourceUrn ? clip(String(p.resourceUrn).split("::").pop(), 200) : "(stack)",
                message: clip(p.message),
            });
        } else if (event.diagnosticEvent && event.diagnosticEvent.severity === "error") {
            errors += 1;
        }
    });
    return {
        stack,
        outcome,
        // The engine's own totals when the preview finished; otherwise what the steps so far show.
        changes: sawSummary ? changes : perStep,
        complete: sawSummary,
        violations: violations.slice(0, MAX_VIOLATIONS),
        violationCount: violations.length,
        errors,
    };
}

function parseArgs(argv) {
    const args = {};
    for (let i = 0; i < argv.length; i += 2) {
        const key = argv[i];
        if (!["--stack", "--outcome", "--events", "--out"].includes(key) || argv[i + 1] === undefined) {
            throw new Error(
                `unexpected argument '${key}'; usage: --stack <stack> --outcome <outcome> --events <events.jsonl> --out <summary.json>`,
            );
        }
        args[key.slice(2)] = argv[i + 1];
    }
    for (const key of ["stack", "outcome", "events", "out"]) if (!args[key]) throw new Error(`missing --${key}`);
    return args;
}

function main(argv) {
    const args = parseArgs(argv);
    const text = fs.existsSync(args.events) ? fs.readFileSync(args.events, "utf8") : "";
    const summary = summarize(text, { stack: args.stack, outcome: args.outcome });
    fs.writeFileSync(args.out, `${JSON.stringify(summary, null, 2)}\n`);
    const changed =
        Object.entries(summary.changes)
            .filter(([op]) => op !== "same")
            .map(([op, n]) => `${op} ${n}`)
            .join(", ") || "no changes";
    console.log(`${args.stack}: ${changed}; ${summary.violationCount} policy violation(s); ${summary.errors} error(s)`);
}

module.exports = { summarize, parseArgs, main };

if (require.main === module) {
    try {
        main(process.argv.slice(2));
    } catch (err) {
        console.error(`preview-summary: ${err.message}`);
        process.exit(1);
    }
}
