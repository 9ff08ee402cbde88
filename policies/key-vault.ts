/**
 * The Key Vault family, per resource: a vault's deletion protection and network exposure, the permissions its access
 * policies grant, and the type and rotation of its keys. Each rule judges the azure-native resource, its classic twin
 * (`azure:keyvault/*`) and a generic ARM resource of the same Microsoft.KeyVault type, so switching routes is no way
 * around them. The rules live in key-vault-vaults.ts, key-vault-access-policies.ts and key-vault-keys.ts; the stack rules
 * of the family (access model, audit logs) are in key-vault-stack.ts.
 */
import { vaultAccessPolicies } from "./key-vault-access-policies";
import { durationDays, keyRotation, keyType } from "./key-vault-keys";
import { armVault, armVaultAccessPolicies, armVaultKey, keyTypes, vaultTypes } from "./key-vault-types";
import { vaultPublicNetworkAccess, vaultPurgeProtection, vaultSoftDelete } from "./key-vault-vaults";

export {
    armVault,
    armVaultAccessPolicies,
    armVaultKey,
    durationDays,
    keyRotation,
    keyType,
    keyTypes,
    vaultAccessPolicies,
    vaultPublicNetworkAccess,
    vaultPurgeProtection,
    vaultSoftDelete,
    vaultTypes,
};

export const keyVaultPolicies = [
    vaultSoftDelete,
    vaultPurgeProtection,
    vaultPublicNetworkAccess,
    vaultAccessPolicies,
    keyType,
    keyRotation,
];
