/**
 * How an Azure OpenAI account is configured. Each rule judges the azure-native account and its classic
 * twin (`azure:cognitive/account:Account`), so switching providers is no route around the pack. Every fix
 * names what a raw program sets, the stack key a stack owner edits and the component argument (policies/fix.ts).
 * The rules live in account-network.ts, account-identity.ts, account-cmk.ts and account-cmk-identity.ts.
 */
import { cmkSystemIdentity } from "./account-cmk-identity";
import { customerManagedKey } from "./account-cmk";
import { accountKind, customSubdomain, localAuth, managedIdentity } from "./account-identity";
import { networkAclDeny, outboundRestricted, publicNetworkAccess } from "./account-network";

export {
    accountKind,
    cmkSystemIdentity,
    customerManagedKey,
    customSubdomain,
    localAuth,
    managedIdentity,
    networkAclDeny,
    outboundRestricted,
    publicNetworkAccess,
};

export const accountPolicies = [
    publicNetworkAccess,
    networkAclDeny,
    localAuth,
    managedIdentity,
    customSubdomain,
    outboundRestricted,
    customerManagedKey,
    cmkSystemIdentity,
    accountKind,
];
