/**
 * How an Azure OpenAI account authenticates: callers with Entra ID only (no API keys, a custom subdomain), the account
 * itself with a managed identity; and which kinds of Cognitive Services account are admitted.
 */
import { always, isClassic } from "./account-common";
import { known, peek, show, unknown } from "./core";
import { fixFor } from "./fix";
import { resourceRule } from "./rule";
import { accountTypes } from "./stack-index";

export const localAuth = resourceRule({
    name: "azure-openai-account-disallow-local-auth",
    description:
        "Azure OpenAI accounts must disable local (API key) authentication so that every call is made with an Entra ID identity.",
    severity: "critical",
    nonExemptable: true,
    concerns: accountTypes,
    anchors: {
        mcsb: "IM-1",
        azurePolicy: "71ef260a-8f18-47b7-abcb-62d0673d94dc",
        checkov: "CKV_AZURE_236",
        psrule: "Azure.AI.DisableLocalAuth",
    },
    remediationSteps:
        "Set properties.disableLocalAuth to true (classic provider: localAuthEnabled = false); callers use Entra ID with the Cognitive Services OpenAI User role.",
    check: (type, props, _c, problem) => {
        if (isClassic(type)) {
            const v = known(props, "localAuthEnabled");
            if (v !== false)
                problem(
                    "localAuthEnabled",
                    `is ${show(v)} (the classic provider defaults to true)`,
                    fixFor("set localAuthEnabled = false", always),
                );
        } else {
            const v = known(props, "properties", "disableLocalAuth");
            if (v !== true)
                problem(
                    "properties.disableLocalAuth",
                    `is ${show(v)} (API keys stay usable)`,
                    fixFor("set it to true", always),
                );
        }
    },
});

export const managedIdentity = resourceRule({
    name: "azure-openai-account-enable-managed-identity",
    description:
        "Azure OpenAI accounts must have a managed identity so they reach Key Vault and other services without secrets.",
    severity: "medium",
    concerns: accountTypes,
    anchors: {
        mcsb: "IM-3",
        azurePolicy: "fe3fd216-4f83-4fc1-8984-2bbec80a3418",
        checkov: "CKV_AZURE_238",
        psrule: "Azure.AI.ManagedIdentity",
    },
    remediationSteps: 'Set identity.type to "SystemAssigned" (or "UserAssigned" with userAssignedIdentities).',
    check: (_type, props, _c, problem) => {
        const v = known(props, "identity", "type");
        if (typeof v !== "string" || v === "" || v.toLowerCase() === "none")
            problem("identity.type", `is ${show(v)}`, fixFor('set it to "SystemAssigned"', always));
    },
});

export const customSubdomain = resourceRule({
    name: "azure-openai-account-configure-custom-subdomain",
    description:
        "Azure OpenAI accounts must have a custom subdomain, which Entra ID authentication and private endpoints require.",
    severity: "high",
    concerns: accountTypes,
    anchors: { mcsb: "IM-1" },
    remediationSteps:
        "Set properties.customSubDomainName (classic provider: customSubdomainName) to a globally unique name.",
    check: (type, props, _c, problem) => {
        const path = isClassic(type) ? ["customSubdomainName"] : ["properties", "customSubDomainName"];
        // An unknown subdomain (e.g. from a random suffix) is still a value; an unknown parent object hides whether one is set.
        if (path.length > 1) known(props, ...path.slice(0, -1));
        const v = peek(props, ...path);
        if (v !== unknown && (typeof v !== "string" || v.trim() === ""))
            problem(
                path.join("."),
                `is ${show(v)}`,
                fixFor("set a globally unique subdomain name", {
                    stackKey: "namePrefix (the subdomain derives from it)",
                    componentArg: "OpenAiAccount namePrefix and uniquenessSeed",
                }),
            );
    },
});

interface KindConfig {
    allowedKinds: string[];
}
export const accountKind = resourceRule<KindConfig>({
    name: "azure-openai-account-allow-kind",
    description:
        "Cognitive Services accounts must be of an allowed kind (OpenAI or AIServices) so that no other service slips in under the same baseline.",
    severity: "medium",
    concerns: accountTypes,
    anchors: {},
    configSchema: {
        properties: { allowedKinds: { type: "array", items: { type: "string" }, default: ["OpenAI", "AIServices"] } },
    },
    remediationSteps:
        "Set kind to one of the allowed kinds (OpenAI by default), or ask the platform team to add the kind to this rule's allowedKinds.",
    check: (_type, props, config, problem) => {
        const kind = known(props, "kind");
        if (typeof kind !== "string" || !config.allowedKinds.includes(kind))
            problem(
                "kind",
                `is ${show(kind)}`,
                fixFor(`use one of ${config.allowedKinds.join(", ")}`, { alwaysSetBy: "OpenAiAccount (kind OpenAI)" }),
            );
    },
});
