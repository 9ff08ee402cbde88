// The weakening detector: compares the rules a pull request's base branch enforces with the rules the pull
// request would enforce, and lists every way the pull request makes them weaker. A strengthening (a stricter
// level, a narrower allow-list, a higher minimum, an exemption removed) is not a finding.
//
// The rules of a checkout are read from what the pipeline itself enforces, never from prose:
//   - the built pack's policies (policies/bin/policies/all.js `allPolicies`: name, enforcementLevel,
//     nonExemptable, configSchema defaults), the same metadata the offline plan reads (plan/policy-metadata.ts);
//   - every generated pack config, policies/config/<profile>.json, in the format `pulumi preview
//     --policy-pack-config` takes: per policy a level string or an object with `enforcementLevel` and properties,
//     and an optional "all" level for every policy (pulumi/pulumi pkg/resource/plugin/policy.go,
//     parsePolicyPackConfig, read 2026-11-27);
//   - policies/exemptions.yaml, and the exemptions embedded in each config;
//   - each stack file's profile, environment and deletion-lock setting (stacks/Pulumi.<stack>.yaml).
//
// Orderings (docs/pipelines.md, "What counts as weakening the rules"):
//   enforcement levels   disabled < advisory < remediate < mandatory (anything below mandatory is weaker:
//                        remediate rewrites a resource instead of stopping the deployment)
//   allowlist            a list of what is allowed: any element the base does not allow is weaker
//   allowlist-map        allowed values per key (approved model versions): a new key or value is weaker
//   requirelist          a list of what is required or watched: any element dropped is weaker
//   requirement          a boolean that switches a requirement on: true to false is weaker
//   minimum / maximum    a number that must be reached / not exceeded: lower / higher is weaker
//   floor-map            numbers per key used to estimate a cost (prices): a lower or missing value is weaker
//   exact                a value with no order (the compliance profile a tag must name): any change is weaker
// A config property without an ordering here is reported as changed whenever it changes; a test fails when the
// pack declares a property this table does not order, so the table cannot fall behind the pack.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const LEVEL_RANK = { disabled: 0, advisory: 1, remediate: 2, mandatory: 3 };

const VALUE_ORDER = {
    allowedRegions: "allowlist",
    allowedSkus: "allowlist",
    allowedKinds: "allowlist",
    allowedSeverityThresholds: "allowlist",
    allowedRoleIds: "allowlist",
    allowedAccountRoleIds: "allowlist",
    allowedWorkspaceRoleIds: "allowlist",
    allowedKeyVaultRoleIds: "allowlist",
    allowedContainerRoleIds: "allowlist",
    allowedKeyVaultKeyPermissions: "allowlist",
    allowedPrincipalTypes: "allowlist",
    accountZones: "allowlist",
    vaultZones: "allowlist",
    monitorZones: "allowlist",
    allowedKeyPermissions: "allowlist",
    allowedKeyTypes: "allowlist",
    approvedModels: "allowlist-map",
    requiredTags: "requirelist",
    productionStackPatterns: "requirelist",
    productionEnvironments: "requirelist",
    requireCustomerManagedKey: "requirement",
    requireFqdnList: "requirement",
    requireNoAutoUpgrade: "requirement",
    requirePrivateInbound: "requirement",
    forbidSubscriptionKeys: "requirement",
    forbidBodyLogging: "requirement",
    requireHsm: "requirement",
    requirePrivateAccess: "requirement",
    requiredQuotaPeriods: "requirelist",
    minInteractiveDays: "minimum",
    minTotalDays: "minimum",
    warningDays: "minimum",
    minRsaKeySize: "minimum",
    dailySpendLimitUsd: "maximum",
    maxPerRequestTokens: "maximum",
    maxDailyUsd: "maximum",
    maxMonthlyUsd: "maximum",
    maxDays: "maximum",
    maxRotateAfterDays: "maximum",
    pricesUsdPer1kTokens: "floor-map",
    complianceProfile: "exact",
    today: "clock",
    exemptions: "exemptions",
};

const json = (v) => JSON.stringify(v);
const list = (v) => (Array.isArray(v) ? v.map(String) : []);

/** Why a value change is weaker under its ordering, or undefined when it is not. */
function relaxation(kind, base, head) {
    if (json(base) === json(head)) return undefined;
    switch (kind) {
        case "allowlist": {
            const added = list(head).filter((x) => !list(base).includes(x));
            return added.length ? `now also allows ${added.join(", ")}` : undefined;
        }
        case "allowlist-map": {
            const b = base && typeof base === "object" ? base : {};
            const h = head && typeof head === "object" ? head : {};
            const added = [];
            for (const [key, values] of Object.entries(h)) {
                if (!(key in b)) added.push(`${key} (${list(values).join(", ")})`);
                else for (const v of list(values)) if (!list(b[key]).includes(v)) added.push(`${key} ${v}`);
            }
            return added.length ? `now also allows ${added.join(", ")}` : undefined;
        }
        case "requirelist": {
            const dropped = list(base).filter((x) => !list(head).includes(x));
            return dropped.length ? `no longer requires ${dropped.join(", ")}` : undefined;
        }
        case "requirement":
            return base === true && head !== true
                ? `requirement switched off (${json(base)} to ${json(head)})`
                : undefined;
        case "clock":
            // The pack's notion of today: pinning it (or moving a pin) can revive expired exemptions and retired models.
            return head !== undefined && head !== null && head !== ""
                ? `the pack's date is pinned to ${json(head)} (was ${json(base)})`
                : undefined;
        case "minimum":
            return typeof head !== "number" || (typeof base === "number" && head < base)
                ? `minimum lowered from ${json(base)} to ${json(head)}`
                : undefined;
        case "maximum":
            return typeof head !== "number" || (typeof base === "number" && head > base)
                ? `maximum raised from ${json(base)} to ${json(head)}`
                : undefined;
        case "floor-map": {
            const b = base && typeof base === "object" ? base : {};
            const h = head && typeof head === "object" ? head : {};
            const lowered = Object.entries(b)
                .filter(([k, v]) => !(typeof h[k] === "number" && h[k] >= v))
                .map(([k, v]) => `${k} ${v} to ${h[k] === undefined ? "(none)" : h[k]}`);
            return lowered.length ? `lowered ${lowered.join(", ")}` : undefined;
        }
        default:
            return `changed from ${json(base)} to ${json(head)}`;
    }
}

/** The pack's policies of a checkout, from its built pack (throws naming the file when it is not built). */
function loadPack(root) {
    const file = path.join(root, "policies", "bin", "policies", "all.js");
    if (!fs.existsSync(file))
        throw new Error(`${file}: the policy pack is not built (run: npx tsc -p policies/tsconfig.json in ${root})`);
    const { allPolicies } = require(path.resolve(file));
    if (!Array.isArray(allPolicies)) throw new Error(`${file}: expected an allPolicies list`);
    const policies = {};
    for (const p of allPolicies) {
        const props = (p.configSchema && p.configSchema.properties) || {};
        policies[p.name] = {
            level: p.enforcementLevel || "mandatory",
            nonExemptable: p.nonExemptable === true,
            defaults: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v && v.default])),
        };
    }
    return policies;
}

/** The yaml package of the checkout running this script (installed by its npm ci), never the other checkout's. */
const yaml = () => require("yaml");

function loadExemptionsFile(root) {
    const file = path.join(root, "policies", "exemptions.yaml");
    if (!fs.existsSync(file)) return [];
    const doc = yaml().parse(fs.readFileSync(file, "utf8")) || {};
    if (doc.exemptions !== undefined && !Array.isArray(doc.exemptions))
        throw new Error(`${file}: exemptions: expected a list`);
    return (doc.exemptions || []).map((e) => normalizeExemption(e, "policies/exemptions.yaml"));
}

function normalizeExemption(e, where) {
    const resource = e.resource || {};
    const expires = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : String(e.expires || "");
    return {
        id: String(e.id),
        policy: String(e.policy),
        stack: String(resource.stack || e.stack || ""),
        target: String(resource.urn || resource.name || e.urn || e.name || ""),
        expires,
        where,
    };
}

function loadConfigs(root) {
    const dir = path.join(root, "policies", "config");
    const out = {};
    if (!fs.existsSync(dir)) return out;
    for (const f of fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort()) {
        const text = fs.readFileSync(path.join(dir, f), "utf8");
        try {
            out[f.replace(/\.json$/, "")] = JSON.parse(text);
        } catch (e) {
            throw new Error(`policies/config/${f}: not JSON (${e.message})`);
        }
    }
    return out;
}

function loadStacks(root, project) {
    const dir = path.join(root, "stacks");
    const out = {};
    if (!fs.existsSync(dir)) return out;
    for (const f of fs
        .readdirSync(dir)
        .filter((f) => /^Pulumi\..+\.ya?ml$/.test(f))
        .sort()) {
        const config = (yaml().parse(fs.readFileSync(path.join(dir, f), "utf8")) || {}).config || {};
        out[f.replace(/^Pulumi\.|\.ya?ml$/g, "")] = {
            profile: config[`${project}:profile`],
            environment: config[`${project}:environment`],
            deletionLocks: config[`${project}:deletionLocks`] || "enforced",
        };
    }
    return out;
}

/** Everything the detector compares, read from one checkout. */
function loadRules(root, project) {
    return {
        pack: loadPack(root),
        configs: loadConfigs(root),
        exemptions: loadExemptionsFile(root),
        stacks: loadStacks(root, project),
    };
}

/** A config entry's level and properties, per the CLI's config format. */
function entryOf(config, policy) {
    const v = config[policy];
    if (typeof v === "string") return { level: v, props: {} };
    if (v && typeof v === "object") {
        const { enforcementLevel, ...props } = v;
        return { level: enforcementLevel, props };
    }
    return { level: undefined, props: {} };
}

function exemptionsOf(rules) {
    const byId = new Map();
    const add = (e) => {
        const known = byId.get(e.id);
        byId.set(
            e.id,
            known ? { ...known, where: [...new Set([...known.where, e.where])] } : { ...e, where: [e.where] },
        );
    };
    rules.exemptions.forEach(add);
    for (const [profile, config] of Object.entries(rules.configs)) {
        for (const policy of Object.keys(config)) {
            const raw = entryOf(config, policy).props.exemptions;
            if (Array.isArray(raw)) for (const e of raw) add(normalizeExemption(e, `policies/config/${profile}.json`));
        }
    }
    return byId;
}

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
