/** The resource types the Key Vault rules judge, on the azure-native, classic and generic ARM routes. */
import { types } from "../catalogue/azure";
import { armTypeOfGeneric, show } from "./core";

/** ARM types of the generic route, lower-cased. */
export const armVault = "microsoft.keyvault/vaults";
export const armVaultKey = "microsoft.keyvault/vaults/keys";
export const armVaultAccessPolicies = "microsoft.keyvault/vaults/accesspolicies";

export const vaultTypes: readonly string[] = [types.vault, types.classicVault, types.genericResource];
export const keyTypes: readonly string[] = [types.vaultKey, types.classicVaultKey, types.genericResource];

/** The skip reason for a generic resource that is none of `wanted` (lower-cased ARM types). */
export function skipGenericUnless(
    type: string,
    props: Record<string, unknown>,
    ...wanted: string[]
): string | undefined {
    if (type !== types.genericResource) return undefined;
    const arm = armTypeOfGeneric(props);
    return arm && wanted.includes(arm.toLowerCase())
        ? undefined
        : `generic resource of ${show(arm)}, not ${wanted.join(" or ")}`;
}

/** A string lower-cased; any other value as it is. */
export const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
