// Reads the rules of one checkout from what the pipeline itself enforces, never from prose:
//   - the built pack's policies (policies/bin/policies/all.js `allPolicies`: name, enforcementLevel,
//     nonExemptable, configSchema defaults), the same metadata the offline plan reads (plan/policy-metadata.ts);
//   - every generated pack config, policies/config/<profile>.json, in the format `pulumi preview
//     --policy-pack-config` takes: per policy a level string or an object with `enforcementLevel` and properties,
//     and an optional "all" level for every policy (pulumi/pulumi pkg/resource/plugin/policy.go,
//     parsePolicyPackConfig, read 2026-11-27);
//   - policies/exemptions.yaml, and the exemptions embedded in each config;
//   - each stack file's profile, environment and deletion-lock setting (stacks/Pulumi.<stack>.yaml).
"use strict";

const fs = require("node:fs");
const path = require("node:path");

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

/** Every exemption of the rules by id, wherever it is declared (the exemptions file, a profile's config). */
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

module.exports = { loadPack, loadRules, entryOf, exemptionsOf };
