// The weakening detector: compares the rules a pull request's base branch enforces with the rules the pull
// request would enforce, and lists every way the pull request makes them weaker. A strengthening (a stricter
// level, a narrower allow-list, a higher minimum, an exemption removed) is not a finding.
// The rules are read by rules-load.js; what counts as weaker is rules-ordering.js.
"use strict";

const { LEVEL_RANK, VALUE_ORDER, relaxation } = require("./rules-ordering.js");
const { entryOf, exemptionsOf, loadPack, loadRules } = require("./rules-load.js");

/** Every way `head` is weaker than `base`: [{kind, subject, detail}]. */
function diffRules(base, head) {
    const findings = [];
    const add = (kind, subject, detail) => findings.push({ kind, subject, detail });

    // The pack itself: policies, their default levels, exemptability and config defaults.
    for (const [name, b] of Object.entries(base.pack)) {
        const h = head.pack[name];
        if (!h) {
            add("policy-removed", name, "the policy is no longer in the pack");
            continue;
        }
        if ((LEVEL_RANK[h.level] ?? -1) < (LEVEL_RANK[b.level] ?? -1))
            add("level-lowered", name, `pack default ${b.level} to ${h.level}`);
        if (b.nonExemptable && !h.nonExemptable) add("exemptable", name, "was non-exemptable, can now be exempted");
        for (const [prop, bv] of Object.entries(b.defaults)) {
            if (prop === "exemptions") continue;
            const why = relaxation(VALUE_ORDER[prop] || "exact", bv, h.defaults[prop]);
            if (why)
                add(VALUE_ORDER[prop] ? "value-relaxed" : "value-changed", `${name}.${prop}`, `pack default ${why}`);
        }
    }

    // Each profile's config, judged against the pull request's pack defaults on both sides, so that only what the
    // config file itself changes is reported here.
    for (const [profile, bConfig] of Object.entries(base.configs)) {
        const hConfig = head.configs[profile];
        const where = `policies/config/${profile}.json`;
        if (!hConfig) {
            add("config-removed", where, "the profile's pack config is gone");
            continue;
        }
        for (const [name, pol] of Object.entries(head.pack)) {
            const b = entryOf(bConfig, name);
            const h = entryOf(hConfig, name);
            const bLevel = b.level || bConfig.all || pol.level;
            const hLevel = h.level || hConfig.all || pol.level;
            if ((LEVEL_RANK[hLevel] ?? -1) < (LEVEL_RANK[bLevel] ?? -1))
                add("level-lowered", name, `${where}: ${bLevel} to ${hLevel}`);
            const props = new Set([...Object.keys(b.props), ...Object.keys(h.props)]);
            for (const prop of props) {
                if (prop === "exemptions") continue;
                const bv = prop in b.props ? b.props[prop] : pol.defaults[prop];
                const hv = prop in h.props ? h.props[prop] : pol.defaults[prop];
                const why = relaxation(VALUE_ORDER[prop] || "exact", bv, hv);
                if (why)
                    add(VALUE_ORDER[prop] ? "value-relaxed" : "value-changed", `${name}.${prop}`, `${where}: ${why}`);
            }
        }
    }

    // Exemptions, wherever they are declared.
    const bEx = exemptionsOf(base);
    for (const [id, h] of exemptionsOf(head)) {
        const b = bEx.get(id);
        if (!b)
            add(
                "exemption-added",
                id,
                `${h.policy} on ${h.stack}/${h.target} until ${h.expires} (${h.where.join(", ")})`,
            );
        else if (b.policy !== h.policy || b.stack !== h.stack || b.target !== h.target)
            add(
                "exemption-changed",
                id,
                `now ${h.policy} on ${h.stack}/${h.target}, was ${b.policy} on ${b.stack}/${b.target}`,
            );
        else if (h.expires > b.expires) add("exemption-extended", id, `expiry moved from ${b.expires} to ${h.expires}`);
    }

    // Stacks: which profile and environment judge them, and their deletion locks.
    for (const [stack, b] of Object.entries(base.stacks)) {
        const h = head.stacks[stack];
        if (!h) {
            add(
                "stack-removed",
                stack,
                "the stack file is gone: its resources stay in Azure, unmanaged and no longer judged by the pack",
            );
            continue;
        }
        if (h.profile !== b.profile) add("profile-switched", stack, `profile ${b.profile} to ${h.profile}`);
        if (b.environment === "prod" && h.environment !== "prod")
            add("environment-lowered", stack, `environment prod to ${h.environment}`);
        if (b.deletionLocks !== "suspended" && h.deletionLocks === "suspended")
            add("deletion-locks-suspended", stack, "deletionLocks: suspended persisted in the stack file");
    }
    return findings;
}

module.exports = { LEVEL_RANK, VALUE_ORDER, relaxation, loadRules, loadPack, diffRules, entryOf };
