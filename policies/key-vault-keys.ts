/** A vault key's type and size, and its automatic rotation and expiry. */
import { types } from "../catalogue/azure";
import { asArray, isObject, known, peek, show } from "./core";
import { armVaultKey, keyTypes, lower, skipGenericUnless } from "./key-vault-types";
import { resourceRule } from "./rule";

interface KeyTypeConfig {
    allowedKeyTypes: string[];
    requireHsm: boolean;
    minRsaKeySize: number;
}
export const keyType = resourceRule<KeyTypeConfig>({
    name: "azure-openai-key-vault-key-allow-key-type",
    description:
        "Key Vault keys must be RSA keys of at least the minimum size, HSM-protected (RSA-HSM) where the compliance profile requires it, as Azure OpenAI's customer-managed keys are.",
    severity: "high",
    concerns: keyTypes,
    anchors: { mcsb: "DP-6", azurePolicy: "587c79fe-dd04-4a5e-9d0b-f89598c7261b", checkov: "CKV_AZURE_112" },
    configSchema: {
        properties: {
            allowedKeyTypes: {
                type: "array",
                items: { type: "string", enum: ["RSA", "RSA-HSM"] },
                minItems: 1,
                default: ["RSA", "RSA-HSM"],
            },
            requireHsm: { type: "boolean", default: false },
            minRsaKeySize: { type: "integer", minimum: 2048, default: 2048 },
        },
    },
    remediationSteps:
        'Create the key with kty "RSA-HSM" (a Premium vault) and keySize 2048 or more (classic provider: keyType, keySize); Azure OpenAI encrypts with RSA keys only.',
    skip: (type, props) => skipGenericUnless(type, props, armVaultKey),
    check: (type, props, config, problem) => {
        const classic = type === types.classicVaultKey;
        const [ktyPath, sizePath] = classic
            ? [["keyType"], ["keySize"]]
            : [
                  ["properties", "kty"],
                  ["properties", "keySize"],
              ];
        const kty = known(props, ...ktyPath);
        const allowed = config.requireHsm ? ["RSA-HSM"] : config.allowedKeyTypes;
        if (typeof kty !== "string" || !allowed.includes(kty))
            problem(
                ktyPath.join("."),
                `is ${show(kty)}${config.requireHsm && kty === "RSA" ? ": the compliance profile requires HSM-protected keys" : ""}`,
                `use ${allowed.join(" or ")}`,
            );
        const size = known(props, ...sizePath);
        if (size !== undefined && (typeof size !== "number" || size < config.minRsaKeySize))
            problem(sizePath.join("."), `is ${show(size)}`, `use at least ${config.minRsaKeySize} bits`);
    },
});

/** Days of an ISO 8601 duration of whole years, months or days (`P365D`, `P1Y`, `P18M`); undefined otherwise. */
export function durationDays(v: unknown): number | undefined {
    const m = typeof v === "string" ? /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/i.exec(v) : null;
    if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
    return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 30 + Number(m[3] ?? 0);
}

interface RotationConfig {
    maxRotateAfterDays: number;
}
export const keyRotation = resourceRule<RotationConfig>({
    name: "azure-openai-key-vault-key-configure-rotation",
    description:
        "Key Vault keys must have a rotation policy that rotates them automatically within the maximum cryptoperiod, and an expiry.",
    severity: "medium",
    concerns: keyTypes,
    anchors: {
        mcsb: "DP-6",
        azurePolicy: "d8cf8476-a2ec-4916-896e-992351803c44",
        checkov: "CKV_AZURE_40",
        psrule: "Azure.KeyVault.AutoRotationPolicy",
    },
    configSchema: { properties: { maxRotateAfterDays: { type: "integer", minimum: 1, maximum: 3650, default: 730 } } },
    remediationSteps:
        'Give the key properties.rotationPolicy with a lifetimeAction { trigger: { timeAfterCreate: "P365D" }, action: { type: "rotate" } } and attributes.expiryTime (classic provider: rotationPolicy.automatic.timeAfterCreation and rotationPolicy.expireAfter); the CustomerManagedKey component does.',
    skip: (type, props) => skipGenericUnless(type, props, armVaultKey),
    check: (type, props, config, problem) => {
        if (type === types.classicVaultKey) {
            const automatic = known(props, "rotationPolicy", "automatic");
            const afterCreation = isObject(automatic) ? automatic.timeAfterCreation : undefined;
            const beforeExpiry = isObject(automatic) ? automatic.timeBeforeExpiry : undefined;
            if (afterCreation === undefined && beforeExpiry === undefined)
                problem(
                    "rotationPolicy.automatic",
                    "is not set, so the key is never rotated",
                    'set rotationPolicy.automatic.timeAfterCreation (e.g. "P365D")',
                );
            else if ((durationDays(afterCreation) ?? 0) > config.maxRotateAfterDays)
                problem(
                    "rotationPolicy.automatic.timeAfterCreation",
                    `is ${show(afterCreation)}`,
                    `rotate within ${config.maxRotateAfterDays} days`,
                );
            if (
                known(props, "rotationPolicy", "expireAfter") === undefined &&
                known(props, "expirationDate") === undefined
            )
                problem(
                    "rotationPolicy.expireAfter",
                    "is not set and the key has no expirationDate",
                    'set rotationPolicy.expireAfter (e.g. "P730D")',
                );
            return;
        }
        const actions = asArray(known(props, "properties", "rotationPolicy", "lifetimeActions")).filter(isObject);
        const rotate = actions.filter((a) => lower(peek(a, "action", "type")) === "rotate");
        if (rotate.length === 0)
            problem(
                "properties.rotationPolicy.lifetimeActions",
                'have no "rotate" action, so the key is never rotated',
                'add { trigger: { timeAfterCreate: "P365D" }, action: { type: "rotate" } }',
            );
        for (const a of rotate) {
            const after = peek(a, "trigger", "timeAfterCreate");
            const days = durationDays(after);
            if (days !== undefined && days > config.maxRotateAfterDays)
                problem(
                    "properties.rotationPolicy.lifetimeActions[rotate].trigger.timeAfterCreate",
                    `is ${show(after)}`,
                    `rotate within ${config.maxRotateAfterDays} days`,
                );
        }
        const expiry = known(props, "properties", "rotationPolicy", "attributes", "expiryTime");
        if (expiry === undefined && known(props, "properties", "attributes", "expires") === undefined)
            problem(
                "properties.rotationPolicy.attributes.expiryTime",
                "is not set and the key has no attributes.expires",
                'set an expiry (e.g. "P730D") so a leaked version stops working',
            );
    },
});
