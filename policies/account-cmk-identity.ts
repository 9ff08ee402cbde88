/** Which identity unwraps an Azure OpenAI account's customer-managed key: its system-assigned one, the only one Azure accepts. */
import { types } from "../catalogue/azure";
import { cmkFix, isClassic } from "./account-common";
import { known, show } from "./core";
import { fixFor } from "./fix";
import { resourceRule } from "./rule";
import { accountTypes } from "./stack-index";

/**
 * Where each provider puts the key and the identity that unwraps it (a generic ARM resource carries the account's ARM
 * properties under `properties`, like azure-native's account).
 */
function cmkIdentityFields(type: string) {
    if (isClassic(type))
        return {
            key: ["customerManagedKey", "keyVaultKeyId"],
            identityClientId: ["customerManagedKey", "identityClientId"],
            identityType: ["identity", "type"],
        };
    return {
        key: ["properties", "encryption", "keySource"],
        identityClientId: ["properties", "encryption", "keyVaultProperties", "identityClientId"],
        identityType: ["identity", "type"],
    };
}

const cognitiveAccount = /^microsoft\.cognitiveservices$/i;

export const cmkSystemIdentity = resourceRule({
    name: "azure-openai-account-enforce-cmk-system-identity",
    description:
        "Azure OpenAI accounts that encrypt with a customer-managed key must unwrap it with their system-assigned identity: Azure OpenAI does not support user-assigned identities for customer-managed keys.",
    severity: "high",
    concerns: [...accountTypes, types.genericResource],
    anchors: { mcsb: "DP-5" },
    remediationSteps:
        'Remove keyVaultProperties.identityClientId (classic provider: customerManagedKey.identityClientId), give the account identity type SystemAssigned, and grant that identity get, wrapKey and unwrapKey on the key by a Key Vault access policy ("Azure OpenAI only supports customer-managed keys (CMK) with system-assigned managed identities", learn.microsoft.com/azure/ai-foundry/openai/encrypt-data-at-rest).',
    check: (type, props, _c, problem, args) => {
        if (type === types.genericResource) {
            const namespace = known(props, "resourceProviderNamespace");
            const resourceType = known(props, "resourceType");
            if (
                typeof namespace !== "string" ||
                !cognitiveAccount.test(namespace) ||
                String(resourceType).toLowerCase() !== "accounts"
            )
                args.notApplicable("generic resource that is not a Microsoft.CognitiveServices account");
        }
        const f = cmkIdentityFields(type);
        const key = known(props, ...f.key);
        const hasKey = isClassic(type) ? typeof key === "string" && key !== "" : key === "Microsoft.KeyVault";
        if (!hasKey) args.notApplicable("the account does not encrypt with a customer-managed key");
        const clientId = known(props, ...f.identityClientId);
        const reason =
            "Azure OpenAI supports customer-managed keys with the system-assigned identity only; Azure refuses a user-assigned one";
        if (typeof clientId === "string" && clientId !== "") {
            problem(
                f.identityClientId.join("."),
                `is ${show(clientId)}, a user-assigned identity (${reason})`,
                fixFor(
                    "remove it and grant the account's system-assigned identity get, wrapKey and unwrapKey by a Key Vault access policy",
                    cmkFix,
                ),
            );
        }
        const identityType = known(props, ...f.identityType);
        if (typeof identityType !== "string" || !/systemassigned/i.test(identityType)) {
            problem(
                f.identityType.join("."),
                `is ${show(identityType)}, so no system-assigned identity can unwrap the key (${reason})`,
                fixFor('set it to "SystemAssigned"', { alwaysSetBy: "OpenAiAccount" }),
            );
        }
    },
});
