/**
 * The configuration the engine sends to Configure, reconciled from the pack's description and the user's
 * `--policy-pack-config` file: schema defaults, then the pack's initial config, then the user's (`all` first), each
 * policy's properties validated against its schema (Ajv), every problem reported at once.
 */
import Ajv, { ValidateFunction } from "ajv";
import {
    AnalyzerInfo,
    EffectivePolicyConfig,
    EnforcementLevel,
    enforcementLevels,
    PolicyConfig,
    PolicyConfigError,
} from "./protocol";

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** A compiled validator per distinct schema: every stack of a plan reconciles the same pack's schemas. */
function configValidator(schema: object): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
        validate = (ajv ??= new Ajv({ allErrors: true, strict: false })).compile(schema);
        validators.set(key, validate);
    }
    return validate;
}

/**
 * What the engine sends to Configure: each policy's schema defaults, then the pack's initial config, then the
 * user's config (`all` sets every level first), each policy's properties validated against its schema.
 * `userConfig` is the JSON of `pulumi preview --policy-pack-config`: policy name to a level string or an object.
 */
export function reconcilePolicyConfig(info: AnalyzerInfo, userConfig: unknown): EffectivePolicyConfig {
    const problems: string[] = [];
    const user = normalizeUserConfig(userConfig, problems);
    const known = new Set(info.policies.map((p) => p.name));
    for (const name of Object.keys(user)) {
        if (name !== "all" && !known.has(name))
            problems.push(
                `${name}: no policy of that name in pack ${info.name} (expected one of ${[...known].join(", ")})`,
            );
    }
    const result: EffectivePolicyConfig = {};
    for (const p of info.policies) {
        const properties: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (schema && "default" in schema) properties[k] = structuredClone(schema.default);
        }
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties };
    }
    // A policy left at its schema's own defaults needs no validation, unless its schema requires properties.
    const configured = new Set<string>();
    for (const layer of [info.initialConfig, user]) {
        const all = layer.all?.enforcementLevel;
        if (all) for (const c of Object.values(result)) c.enforcementLevel = all;
        for (const [name, c] of Object.entries(layer)) {
            const target = result[name];
            if (!target) continue;
            if (c.enforcementLevel) target.enforcementLevel = c.enforcementLevel;
            if (c.properties && Object.keys(c.properties).length > 0) configured.add(name);
            Object.assign(target.properties, c.properties ?? {});
        }
    }
    for (const p of info.policies) {
        if (!p.configSchema || (!configured.has(p.name) && p.configSchema.required.length === 0)) continue;
        const validate = configValidator({
            type: "object",
            properties: p.configSchema.properties,
            required: p.configSchema.required.length ? p.configSchema.required : undefined,
        });
        if (!validate(result[p.name].properties)) {
            for (const e of validate.errors ?? []) {
                const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "";
                problems.push(
                    `${p.name}${where ? `.${where}` : ""}: ${e.message}${e.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : ""}`,
                );
            }
        }
    }
    if (problems.length) throw new PolicyConfigError(problems);
    return result;
}

function normalizeUserConfig(raw: unknown, problems: string[]): Record<string, PolicyConfig> {
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== "object" || Array.isArray(raw)) {
        problems.push("(root): expected a JSON object of policy name to enforcement level or settings");
        return {};
    }
    const out: Record<string, PolicyConfig> = {};
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
        const level = (v: unknown): EnforcementLevel | undefined => {
            if (v === undefined) return undefined;
            if (typeof v === "string" && enforcementLevels.includes(v as EnforcementLevel))
                return v as EnforcementLevel;
            problems.push(
                `${name}.enforcementLevel: '${String(v)}' is not an enforcement level (expected one of ${enforcementLevels.join(", ")})`,
            );
            return undefined;
        };
        if (typeof value === "string") {
            out[name] = { enforcementLevel: level(value) };
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            out[name] = { enforcementLevel: level(enforcementLevel), properties };
        } else {
            problems.push(`${name}: expected an enforcement level string or an object`);
        }
    }
    return out;
}
