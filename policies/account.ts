/**
 * Rules 1-8: how an Azure OpenAI account is configured. Each rule judges the azure-native account and its classic
 * twin (`azure:cognitive/account:Account`), so switching providers is no route around the pack (rule 23).
 */
import { types } from "../catalogue/azure";
import { asArray, known, peek, show, unknown } from "./core";
import { resourceRule } from "./rule";
import { accountTypes } from "./stack-index";

const isClassic = (type: string) => type === types.classicAccount;

export const publicNetworkAccess = resourceRule({
    name: "azure-openai-account-disallow-public-network-access",
    description: "Azure OpenAI accounts must disable public network access so that they are reachable only through private endpoints.",
    severity: "critical",
    nonExemptable: true,
    concerns: accountTypes,
    anchors: { mcsb: "NS-2", azurePolicy: "47ba1dd7-28d9-4b07-a8d5-9813bed64e0c", checkov: "CKV_AZURE_134", psrule: "Azure.AI.PrivateEndpoints" },
    remediationSteps: "Set properties.publicNetworkAccess to \"Disabled\" (classic provider: publicNetworkAccessEnabled = false) and reach the account through its private endpoint.",
    check: (type, props, _c, problem) => {
        if (isClassic(type)) {
            const v = known(props, "publicNetworkAccessEnabled");
            if (v !== false) problem("publicNetworkAccessEnabled", `is ${show(v)} (the classic provider defaults to true)`, "set publicNetworkAccessEnabled = false");
        } else {
            const v = known(props, "properties", "publicNetworkAccess");
            if (v !== "Disabled") problem("properties.publicNetworkAccess", `is ${show(v)} (Azure defaults to Enabled)`, "set it to \"Disabled\"");
        }
    },
});

export const networkAclDeny = resourceRule({
    name: "azure-openai-account-enforce-network-acl-deny",
    description: "Azure OpenAI accounts must deny network traffic by default and carry no IP or virtual network allow rules.",
    severity: "high",
    concerns: accountTypes,
    anchors: { mcsb: "NS-2", azurePolicy: "037eea7a-bd0a-46c5-9a66-03aea78705d3", psrule: "Azure.AI.PublicAccess" },
    remediationSteps: "Set networkAcls.defaultAction to \"Deny\" and remove ipRules and virtualNetworkRules; callers reach the account through its private endpoint.",
    check: (type, props, _c, problem) => {
        const base = isClassic(type) ? ["networkAcls"] : ["properties", "networkAcls"];
        const label = base.join(".");
        const action = known(props, ...base, "defaultAction");
        if (action !== "Deny") problem(`${label}.defaultAction`, `is ${show(action)}`, "set it to \"Deny\"");
        for (const rules of ["ipRules", "virtualNetworkRules"]) {
            const list = peek(props, ...base, rules);
            if (list === unknown || asArray(list).length > 0) problem(`${label}.${rules}`, `allows ${list === unknown ? "networks not known until deploy" : `${asArray(list).length} rule(s)`}`, `remove every entry from ${rules}`);
        }
    },
});

export const localAuth = resourceRule({
    name: "azure-openai-account-disallow-local-auth",
    description: "Azure OpenAI accounts must disable local (API key) authentication so that every call is made with an Entra ID identity.",
    severity: "critical",
    nonExemptable: true,
    concerns: accountTypes,
    anchors: { mcsb: "IM-1", azurePolicy: "71ef260a-8f18-47b7-abcb-62d0673d94dc", checkov: "CKV_AZURE_236", psrule: "Azure.AI.DisableLocalAuth" },
    remediationSteps: "Set properties.disableLocalAuth to true (classic provider: localAuthEnabled = false); callers use Entra ID with the Cognitive Services OpenAI User role.",
    check: (type, props, _c, problem) => {
        if (isClassic(type)) {
            const v = known(props, "localAuthEnabled");
            if (v !== false) problem("localAuthEnabled", `is ${show(v)} (the classic provider defaults to true)`, "set localAuthEnabled = false");
        } else {
            const v = known(props, "properties", "disableLocalAuth");
            if (v !== true) problem("properties.disableLocalAuth", `is ${show(v)} (API keys stay usable)`, "set it to true");
        }
    },
});

export const managedIdentity = resourceRule({
    name: "azure-openai-account-enable-managed-identity",
    description: "Azure OpenAI accounts must have a managed identity so they reach Key Vault and other services without secrets.",
    severity: "medium",
    concerns: accountTypes,
    anchors: { mcsb: "IM-3", azurePolicy: "fe3fd216-4f83-4fc1-8984-2bbec80a3418", checkov: "CKV_AZURE_238", psrule: "Azure.AI.ManagedIdentity" },
    remediationSteps: "Set identity.type to \"SystemAssigned\" (or \"UserAssigned\" with userAssignedIdentities).",
    check: (_type, props, _c, problem) => {
        const v = known(props, "identity", "type");
        if (typeof v !== "string" || v === "" || v.toLowerCase() === "none") problem("identity.type", `is ${show(v)}`, "set it to \"SystemAssigned\"");
    },
});

export const customSubdomain = resourceRule({
    name: "azure-openai-account-configure-custom-subdomain",
    description: "Azure OpenAI accounts must have a custom subdomain, which Entra ID authentication and private endpoints require.",
    severity: "high",
    concerns: accountTypes,
    anchors: { mcsb: "IM-1" },
    remediationSteps: "Set properties.customSubDomainName (classic provider: customSubdomainName) to a globally unique name.",
    check: (type, props, _c, problem) => {
        const path = isClassic(type) ? ["customSubdomainName"] : ["properties", "customSubDomainName"];
        // An unknown subdomain (e.g. from a random suffix) is still a value; an unknown parent object hides whether one is set.
        if (path.length > 1) known(props, ...path.slice(0, -1));
        const v = peek(props, ...path);
        if (v !== unknown && (typeof v !== "string" || v.trim() === "")) problem(path.join("."), `is ${show(v)}`, "set a globally unique subdomain name");
    },
});

interface OutboundConfig { requireFqdnList: boolean }
export const outboundRestricted = resourceRule<OutboundConfig>({
    name: "azure-openai-account-restrict-outbound-access",
    description: "Azure OpenAI accounts must restrict outbound network access to an explicit list of FQDNs to prevent data exfiltration.",
    severity: "high",
    concerns: accountTypes,
    anchors: { mcsb: "NS-2", checkov: "CKV_AZURE_247" },
    configSchema: { properties: { requireFqdnList: { type: "boolean", default: true } } },
    remediationSteps: "Set properties.restrictOutboundNetworkAccess to true and properties.allowedFqdnList to the hosts the account may call (classic provider: outboundNetworkAccessRestricted and fqdns). Lower this rule's enforcementLevel in the profile's policy config only with the security team's sign-off.",
    check: (type, props, config, problem) => {
        const [flag, list] = isClassic(type) ? [["outboundNetworkAccessRestricted"], ["fqdns"]] : [["properties", "restrictOutboundNetworkAccess"], ["properties", "allowedFqdnList"]];
        const restricted = known(props, ...flag);
        if (restricted !== true) problem(flag.join("."), `is ${show(restricted)}`, "set it to true");
        const fqdns = peek(props, ...list);
        if (config.requireFqdnList && fqdns !== unknown && asArray(fqdns).length === 0) problem(list.join("."), "is empty", "list the FQDNs the account may reach");
    },
});

interface CmkConfig { requireCustomerManagedKey: boolean }
export const customerManagedKey = resourceRule<CmkConfig>({
    name: "azure-openai-account-enforce-customer-managed-key",
    description: "Azure OpenAI accounts must encrypt data at rest with a customer-managed key in Key Vault where the compliance profile requires it.",
    severity: "high",
    concerns: accountTypes,
    anchors: { mcsb: "DP-5", azurePolicy: "67121cc7-ff39-4ab8-b7e3-95b84dab487d", checkov: "CKV2_AZURE_22" },
    configSchema: { properties: { requireCustomerManagedKey: { type: "boolean", default: false } } },
    remediationSteps: "Set properties.encryption.keySource to \"Microsoft.KeyVault\" with keyVaultProperties.keyVaultUri and keyName (classic provider: customerManagedKey.keyVaultKeyId).",
    skip: (_t, _p, config) => (config.requireCustomerManagedKey ? undefined : "the compliance profile does not require a customer-managed key"),
    check: (type, props, _c, problem) => {
        if (isClassic(type)) {
            const keyId = peek(props, "customerManagedKey", "keyVaultKeyId");
            if (keyId !== unknown && (typeof keyId !== "string" || keyId === "")) problem("customerManagedKey.keyVaultKeyId", `is ${show(keyId)}`, "set it to the Key Vault key's id");
            return;
        }
        const source = known(props, "properties", "encryption", "keySource");
        if (source !== "Microsoft.KeyVault") problem("properties.encryption.keySource", `is ${show(source)} (Microsoft-managed keys)`, "set it to \"Microsoft.KeyVault\"");
        for (const key of ["keyVaultUri", "keyName"]) {
            const v = peek(props, "properties", "encryption", "keyVaultProperties", key);
            if (v !== unknown && (typeof v !== "string" || v === "")) problem(`properties.encryption.keyVaultProperties.${key}`, `is ${show(v)}`, `set ${key} of the customer-managed key`);
        }
    },
});

interface KindConfig { allowedKinds: string[] }
export const accountKind = resourceRule<KindConfig>({
    name: "azure-openai-account-allow-kind",
    description: "Cognitive Services accounts must be of an allowed kind (OpenAI or AIServices) so that no other service slips in under the same baseline.",
    severity: "medium",
    concerns: accountTypes,
    anchors: {},
    configSchema: { properties: { allowedKinds: { type: "array", items: { type: "string" }, default: ["OpenAI", "AIServices"] } } },
    remediationSteps: "Set kind to one of the allowed kinds (OpenAI by default), or ask the platform team to add the kind to this rule's allowedKinds.",
    check: (_type, props, config, problem) => {
        const kind = known(props, "kind");
        if (typeof kind !== "string" || !config.allowedKinds.includes(kind)) problem("kind", `is ${show(kind)}`, `use one of ${config.allowedKinds.join(", ")}`);
    },
});

export const accountPolicies = [publicNetworkAccess, networkAclDeny, localAuth, managedIdentity, customSubdomain, outboundRestricted, customerManagedKey, accountKind];
