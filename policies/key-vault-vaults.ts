/** A vault's deletion protection (soft delete, purge protection) and network exposure. */
import { types } from "../catalogue/azure";
import { asArray, known, peek, show, unknown } from "./core";
import { armVault, lower, skipGenericUnless, vaultTypes } from "./key-vault-types";
import { resourceRule } from "./rule";

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
