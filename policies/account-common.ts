/** What the account rules share: which provider's shape an account has, and where the account component's fixes go. */
import { types } from "../catalogue/azure";

export const isClassic = (type: string) => type === types.classicAccount;
/** The platform's account component sets these and takes no argument that undoes them. */
export const always = { alwaysSetBy: "OpenAiAccount" };

/** Where a stack owner and a component user set the customer-managed key. */
export const cmkFix = {
    stackKey: "customerManagedKey (and customerManagedKey.phase)",
    componentArg: "OpenAiAccount encryption = CustomerManagedKey.accountEncryption, encryptionPhase",
};
