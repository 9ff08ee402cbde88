/**
 * The Key Vault family, per resource: a vault's deletion protection and network exposure, the permissions its access
 * policies grant, and the type and rotation of its keys. Each rule judges the azure-native resource, its classic twin
 * (`azure:keyvault/*`) and a generic ARM resource of the same Microsoft.KeyVault type, so switching routes is no way
 * around them. The stack rules of the family (access model, audit logs) are in key-vault-stack.ts.
 */
import { types } from "../catalogue/azure";
import { armTypeOfGeneric, asArray, isObject, known, peek, show, unknown } from "./core";
import { Problem, resourceRule } from "./rule";

/** ARM types of the generic route, lower-cased. */
export const armVault = "microsoft.keyvault/vaults";
export const armVaultKey = "microsoft.keyvault/vaults/keys";
export const armVaultAccessPolicies = "microsoft.keyvault/vaults/accesspolicies";

export const vaultTypes: readonly string[] = [types.vault, types.classicVault, types.genericResource];
export const keyTypes: readonly string[] = [types.vaultKey, types.classicVaultKey, types.genericResource];
const accessPolicyHolders: readonly string[] = [
    types.vault,
    types.classicVault,
    types.vaultAccessPolicy,
    types.classicVaultAccessPolicy,
    types.genericResource,
];

/** The skip reason for a generic resource that is none of `wanted` (lower-cased ARM types). */
function skipGenericUnless(type: string, props: Record<string, unknown>, ...wanted: string[]): string | undefined {
    if (type !== types.genericResource) return undefined;
    const arm = armTypeOfGeneric(props);
    return arm && wanted.includes(arm.toLowerCase())
        ? undefined
        : `generic resource of ${show(arm)}, not ${wanted.join(" or ")}`;
}

const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);

export const vaultSoftDelete = resourceRule({
    name: "azure-openai-key-vault-enable-soft-delete",
    description:
        "Key Vaults must keep soft delete on, so that a deleted vault or key can be recovered during its retention period.",
    severity: "high",
    concerns: vaultTypes,
    anchors: {
        mcsb: "DP-8",
        azurePolicy: "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d",
        checkov: "CKV_AZURE_111",
        psrule: "Azure.KeyVault.SoftDelete",
    },
    remediationSteps:
        "Remove enableSoftDelete: false from the vault's properties (soft delete is Azure's default and cannot be turned off on new vaults), and keep softDeleteRetentionInDays at 90.",
    skip: (type, props) =>
        type === types.classicVault
            ? "the classic provider has no soft-delete switch: azurerm always enables it"
            : skipGenericUnless(type, props, armVault),
    check: (_type, props, _c, problem) => {
        const v = known(props, "properties", "enableSoftDelete");
        if (v === false)
            problem(
                "properties.enableSoftDelete",
                "is false, so deleted keys are lost at once",
                "remove it or set it to true",
            );
    },
});

export const vaultPurgeProtection = resourceRule({
    name: "azure-openai-key-vault-enable-purge-protection",
    description:
        "Key Vaults must enable purge protection, so that no one can permanently delete a vault or a key (and the data it encrypts) before the retention period ends.",
    severity: "high",
    concerns: vaultTypes,
    anchors: {
        mcsb: "DP-8",
        azurePolicy: "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53",
        checkov: "CKV_AZURE_110",
        psrule: "Azure.KeyVault.PurgeProtect",
    },
    remediationSteps:
        "Set properties.enablePurgeProtection to true (classic provider: purgeProtectionEnabled = true); Azure OpenAI requires it of a customer-managed key's vault. It cannot be turned off again.",
    skip: (type, props) => skipGenericUnless(type, props, armVault),
    check: (type, props, _c, problem) => {
        const path = type === types.classicVault ? ["purgeProtectionEnabled"] : ["properties", "enablePurgeProtection"];
        const v = known(props, ...path);
        if (v !== true) problem(path.join("."), `is ${show(v)} (Azure's default is off)`, "set it to true");
    },
});

export const vaultPublicNetworkAccess = resourceRule({
    name: "azure-openai-key-vault-disallow-public-network-access",
    description:
        "Key Vaults must not be reachable from public networks: public network access disabled, or the firewall denying by default with no IP allow rules.",
    severity: "critical",
    nonExemptable: true,
    concerns: vaultTypes,
    anchors: {
        mcsb: "NS-2",
        azurePolicy: "55615ac9-af46-4a59-874e-391cc3dfb490",
        checkov: "CKV_AZURE_189",
        psrule: "Azure.KeyVault.Firewall",
    },
    remediationSteps:
        'Set properties.publicNetworkAccess to "Disabled" and reach the vault through its private endpoint (classic provider: publicNetworkAccessEnabled = false), or at least networkAcls.defaultAction "Deny" with no ipRules; keep bypass "AzureServices" so Azure OpenAI reaches its key.',
    skip: (type, props) => skipGenericUnless(type, props, armVault),
    check: (type, props, _c, problem) => {
        const classic = type === types.classicVault;
        const [flagPath, aclPath] = classic
            ? [["publicNetworkAccessEnabled"], ["networkAcls"]]
            : [
                  ["properties", "publicNetworkAccess"],
                  ["properties", "networkAcls"],
              ];
        const flag = known(props, ...flagPath);
        if (classic ? flag === false : lower(flag) === "disabled") return;
        const action = known(props, ...aclPath, "defaultAction");
        const ipRules = peek(props, ...aclPath, "ipRules");
        const rules = ipRules === unknown ? undefined : asArray(ipRules);
        if (action === "Deny" && rules !== undefined && rules.length === 0) return;
        const open = `is ${show(flag)}${classic ? " (the classic provider defaults to true)" : " (Azure defaults to Enabled)"}`;
        if (action !== "Deny")
            problem(
                flagPath.join("."),
                `${open} and ${aclPath.join(".")}.defaultAction is ${show(action)}`,
                classic
                    ? "set publicNetworkAccessEnabled = false"
                    : 'set it to "Disabled" and reach the vault through its private endpoint',
            );
        else
            problem(
                `${aclPath.join(".")}.ipRules`,
                `allow ${rules === undefined ? "networks not known until deploy" : `${rules.length} public address range(s)`} while public access ${open}`,
                "remove every IP rule, or disable public network access",
            );
    },
});

const restricted = ["all", "purge"];

interface AccessPolicyConfig {
    allowedKeyPermissions: string[];
}

/** Checks one access policy entry's permissions; `at` is where it sits ("" at the top), `classic` whether its lists are flat `<kind>Permissions`. */
function checkAccessPolicy(
    entry: unknown,
    at: string,
    classic: boolean,
    config: AccessPolicyConfig,
    problem: Problem,
): void {
    if (!isObject(entry)) return;
    const allowed = config.allowedKeyPermissions.map((p) => p.toLowerCase());
    for (const kind of ["keys", "secrets", "certificates", "storage"]) {
        const path = classic
            ? [
                  `${kind === "keys" ? "key" : kind === "secrets" ? "secret" : kind === "certificates" ? "certificate" : "storage"}Permissions`,
              ]
            : ["permissions", kind];
        const granted = known(entry, ...path);
        const list = asArray(granted).map((p) => String(p));
        if (list.length === 0) continue;
        const label = at ? `${at}.${path.join(".")}` : path.join(".");
        const wide = list.filter((p) => restricted.includes(p.toLowerCase()));
        if (wide.length > 0)
            problem(
                label,
                `grants ${wide.map((p) => JSON.stringify(p)).join(" and ")}`,
                `grant only the named key permissions a customer-managed key needs (${config.allowedKeyPermissions.join(", ")})`,
            );
        else if (kind !== "keys")
            problem(
                label,
                `grants ${kind} permissions (${list.join(", ")})`,
                "grant no secret, certificate or storage permissions: the vault holds a customer-managed key only",
            );
        else {
            const extra = list.filter((p) => !allowed.includes(p.toLowerCase()));
            if (extra.length > 0)
                problem(label, `grants ${extra.join(", ")}`, `grant only ${config.allowedKeyPermissions.join(", ")}`);
        }
    }
}

export const vaultAccessPolicies = resourceRule<AccessPolicyConfig>({
    name: "azure-openai-key-vault-restrict-access-policies",
    description:
        "Key Vault access policies must grant only the named key permissions a customer-managed key needs, never all permissions, purge, or secret, certificate and storage permissions.",
    severity: "high",
    concerns: accessPolicyHolders,
    anchors: { mcsb: "PA-7", psrule: "Azure.KeyVault.AccessPolicy" },
    configSchema: {
        properties: {
            allowedKeyPermissions: {
                type: "array",
                items: { type: "string" },
                default: ["get", "wrapKey", "unwrapKey"],
            },
        },
    },
    remediationSteps:
        "Grant the Azure OpenAI account's identity keys: get, wrapKey and unwrapKey only (the CustomerManagedKey component does); use Azure RBAC (enableRbacAuthorization) for every other principal.",
    skip: (type, props) => skipGenericUnless(type, props, armVault, armVaultAccessPolicies),
    check: (type, props, config, problem) => {
        if (type === types.vaultAccessPolicy)
            return checkAccessPolicy(known(props, "policy"), "policy", false, config, problem);
        if (type === types.classicVaultAccessPolicy) return checkAccessPolicy(props, "", true, config, problem);
        const classic = type === types.classicVault;
        const path = classic ? ["accessPolicies"] : ["properties", "accessPolicies"];
        asArray(known(props, ...path)).forEach((entry, i) =>
            checkAccessPolicy(entry, `${path.join(".")}[${i}]`, classic, config, problem),
        );
    },
});

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

export const keyVaultPolicies = [
    vaultSoftDelete,
    vaultPurgeProtection,
    vaultPublicNetworkAccess,
    vaultAccessPolicies,
    keyType,
    keyRotation,
];
