/** The permissions a vault's access policies grant: only the named key permissions a customer-managed key needs. */
import { types } from "../catalogue/azure";
import { asArray, isObject, known } from "./core";
import { armVault, armVaultAccessPolicies, skipGenericUnless } from "./key-vault-types";
import { Problem, resourceRule } from "./rule";

const accessPolicyHolders: readonly string[] = [
    types.vault,
    types.classicVault,
    types.vaultAccessPolicy,
    types.classicVaultAccessPolicy,
    types.genericResource,
];

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
