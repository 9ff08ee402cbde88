/** What a customer-managed key of an account links to in the stack: its vault, the grant to the account, the deployments. */
import { PolicyResource } from "@pulumi/policy";
import { cmkKeyPermissions, types } from "../catalogue/azure";
import { asArray, cannotKnow, describe, peek } from "./core";
import { canonicalType, deploymentTypes, StackIndex } from "./stack-index";

/** The vault of the stack an account's key lives in, by the host name of its keyVaultUri. */
export function vaultOf(index: StackIndex, account: PolicyResource): PolicyResource | undefined {
    // The key's vault by URN first (the account's properties came from the vault's or the key's outputs), as a
    // preview knows it; then by the host of keyVaultUri among vaults whose name the outputs know.
    for (const d of account.propertyDependencies.properties ?? []) {
        const type = canonicalType(d.type);
        if (type === types.vault) return d;
        if (type === types.vaultKey) {
            const vault =
                (d.propertyDependencies.vaultName ?? []).find((v) => canonicalType(v.type) === types.vault) ??
                (d.parent && canonicalType(d.parent.type) === types.vault ? d.parent : undefined);
            if (vault) return vault;
        }
    }
    const uri = peek(account.props, "properties", "encryption", "keyVaultProperties", "keyVaultUri");
    const host = typeof uri === "string" ? /^https:\/\/([^./]+)\./i.exec(uri)?.[1] : undefined;
    if (!host) return undefined;
    const found = index.named(types.vault, host)[0];
    // A vault of the stack whose name a preview does not know yet may be this one: cannot judge, never a silent pass.
    if (!found && index.hasUnknownNames(types.vault)) cannotKnow(`${describe(account)}: the vault of keyVaultUri`);
    return found;
}

/** Access policies of the stack that grant the account's system identity the key permissions Azure OpenAI needs. */
export function keyGrantsFor(index: StackIndex, account: PolicyResource): PolicyResource[] {
    const principal = peek(account.props, "identity", "principalId");
    return index.of(types.vaultAccessPolicy).filter((ap) => {
        const viaUrn = (ap.propertyDependencies.policy ?? []).some((d) => d.urn === account.urn);
        const objectId = peek(ap.props, "policy", "objectId");
        const viaId = typeof principal === "string" && principal !== "" && objectId === principal;
        const keys = asArray(peek(ap.props, "policy", "permissions", "keys")).map((k) => String(k).toLowerCase());
        return (viaUrn || viaId) && cmkKeyPermissions.every((k) => keys.includes(k.toLowerCase()));
    });
}

/** Model deployments of the stack on this account: they are what puts customer data into it. */
export function deploymentsOn(index: StackIndex, account: PolicyResource): PolicyResource[] {
    const id = peek(account.props, "id");
    return index.of(...deploymentTypes).filter((d) => {
        const deps = [
            ...(d.propertyDependencies.accountName ?? []),
            ...(d.propertyDependencies.cognitiveAccountId ?? []),
        ];
        if (deps.some((x) => x.urn === account.urn)) return true;
        const own = peek(d.props, "id");
        const parentId = peek(d.props, "cognitiveAccountId");
        return (
            typeof id === "string" &&
            id !== "" &&
            ((typeof own === "string" && own.toLowerCase().startsWith(`${id.toLowerCase()}/deployments/`)) ||
                parentId === id)
        );
    });
}
