/** Whether an Azure OpenAI account encrypts with a customer-managed key that Azure will accept, where the profile requires one. */
import { PolicyResource } from "@pulumi/policy";
import { cmkKeyPermissions } from "../catalogue/azure";
import { deploymentsOn, keyGrantsFor, vaultOf } from "./account-cmk-links";
import { cmkFix, isClassic } from "./account-common";
import { finding, known, PackStackPolicy, peek, ruleFields, show, unknown, withDefaults } from "./core";
import { fixFor } from "./fix";
import { accountTypes, canonicalType, StackIndex } from "./stack-index";
import { judgeEach } from "./stack-rule";

/** What is wrong with an account's customer-managed key configuration (empty when complete), and whether one is set. */
function keyGaps(
    type: string,
    props: Record<string, unknown>,
): { configured: boolean; gaps: [string, string, string][] } {
    if (isClassic(type)) {
        const keyId = peek(props, "customerManagedKey", "keyVaultKeyId");
        if (keyId === unknown) return { configured: true, gaps: [] };
        const configured = typeof keyId === "string" && keyId !== "";
        return {
            configured,
            gaps: configured
                ? []
                : [
                      [
                          "customerManagedKey.keyVaultKeyId",
                          `is ${show(keyId)}`,
                          fixFor("set it to the Key Vault key's id", cmkFix),
                      ],
                  ],
        };
    }
    const source = known(props, "properties", "encryption", "keySource");
    if (source !== "Microsoft.KeyVault")
        return {
            configured: false,
            gaps: [
                [
                    "properties.encryption.keySource",
                    `is ${show(source)} (Microsoft-managed keys)`,
                    fixFor('set it to "Microsoft.KeyVault" with keyVaultProperties', cmkFix),
                ],
            ],
        };
    const gaps: [string, string, string][] = [];
    for (const key of ["keyVaultUri", "keyName"]) {
        const v = peek(props, "properties", "encryption", "keyVaultProperties", key);
        if (v !== unknown && (typeof v !== "string" || v === ""))
            gaps.push([
                `properties.encryption.keyVaultProperties.${key}`,
                `is ${show(v)}`,
                fixFor(`set ${key} of the customer-managed key`, cmkFix),
            ]);
    }
    return { configured: true, gaps };
}

interface CmkConfig {
    requireCustomerManagedKey: boolean;
}
const cmkSchema = { properties: { requireCustomerManagedKey: { type: "boolean", default: false } } } as const;
const cmkSpec = {
    name: "azure-openai-account-enforce-customer-managed-key",
    description:
        "Azure OpenAI accounts must encrypt data at rest with a customer-managed key in a Key Vault that uses legacy access policies, where the compliance profile requires it.",
    severity: "high" as const,
    concerns: accountTypes,
    anchors: { mcsb: "DP-5", azurePolicy: "67121cc7-ff39-4ab8-b7e3-95b84dab487d", checkov: "CKV2_AZURE_22" },
    configSchema: cmkSchema,
    remediationSteps:
        'Set properties.encryption.keySource to "Microsoft.KeyVault" with keyVaultProperties.keyVaultUri and keyName (classic provider: customerManagedKey.keyVaultKeyId), in a vault with purge protection and legacy access policies (enableRbacAuthorization false) whose access policy grants the account\'s system-assigned identity get, wrapKey and unwrapKey. A new account is rolled out in two updates: first the identity and its grant with no model deployed (stack config customerManagedKey.phase: grant), then the encryption (phase encrypt).',
};

/** How a message names a vault: its Azure name when known, else its Pulumi name. */
const vaultName = (index: StackIndex, vault: PolicyResource): string => {
    const name = index.azureName(vault);
    return typeof name === "string" ? name : vault.name;
};

/**
 * A stack rule, because what Azure requires spans resources: the vault's authorization mode and the grant to the
 * account's identity. The identity only exists once the account does, so a new account is first created with
 * Microsoft-managed keys and its grant, with no model deployed (nothing to protect yet): that state is reported as an
 * advisory finding of this rule until the next update encrypts; with a deployment on the account it is a violation.
 */
export const customerManagedKey: PackStackPolicy = {
    ...ruleFields(cmkSpec),
    validateStack: (args, report) => {
        const config = withDefaults<CmkConfig>(cmkSpec.configSchema as never, args.getConfig());
        if (!config.requireCustomerManagedKey)
            args.notApplicable("the compliance profile does not require a customer-managed key");
        const index = new StackIndex(args.resources);
        // A finding at the policy's effective level (configurable per profile), or advisory: the object form of
        // reportViolation carries a level of its own (@pulumi/policy server.js makeReportViolationFun).
        const file = (r: PolicyResource, [property, actual, fix]: [string, string, string], level?: "advisory") =>
            level
                ? (report as unknown as (d: { message: string; urn: string; enforcementLevel: string }) => void)({
                      message: finding(r, property, actual, fix),
                      urn: r.urn,
                      enforcementLevel: level,
                  })
                : report(finding(r, property, actual, fix), r.urn);
        judgeEach(index.of(...accountTypes), (account) => {
            const type = canonicalType(account.type);
            const { configured, gaps } = keyGaps(type, account.props);
            if (
                !configured &&
                !isClassic(type) &&
                deploymentsOn(index, account).length === 0 &&
                keyGrantsFor(index, account).length > 0
            ) {
                file(
                    account,
                    [
                        "properties.encryption",
                        "is not set yet while its identity is granted the key and no model is deployed (the first phase of a customer-managed key)",
                        fixFor("encrypt it in the next update", {
                            stackKey: "customerManagedKey.phase: encrypt (or remove the phase)",
                            componentArg: 'OpenAiAccount encryptionPhase "encrypt"',
                        }),
                    ],
                    "advisory",
                );
                return;
            }
            for (const g of gaps) file(account, g);
            if (!configured || isClassic(type)) return;
            const vault = vaultOf(index, account);
            if (!vault) return;
            if (peek(vault.props, "properties", "enableRbacAuthorization") === true) {
                file(account, [
                    "key vault",
                    `'${vaultName(index, vault)}' uses RBAC authorization, but Azure OpenAI's customer-managed keys require a vault with legacy access policies`,
                    fixFor(
                        "set the vault's properties.enableRbacAuthorization to false and grant the account's identity by an access policy",
                        { componentArg: "CustomerManagedKey (creates the vault that way)" },
                    ),
                ]);
            }
            if (peek(vault.props, "properties", "enablePurgeProtection") !== true) {
                file(account, [
                    "key vault",
                    `'${vaultName(index, vault)}' has no purge protection, which Azure OpenAI's customer-managed keys require`,
                    fixFor("set the vault's properties.enablePurgeProtection to true", {
                        componentArg: "CustomerManagedKey (always sets it)",
                    }),
                ]);
            }
            if (keyGrantsFor(index, account).length === 0) {
                file(account, [
                    "key access",
                    `is not granted in this stack: no keyvault.AccessPolicy gives the account's system identity ${cmkKeyPermissions.join(", ")} on vault '${vaultName(index, vault)}'`,
                    fixFor(
                        "add an AccessPolicy with objectId = the account's identity.principalId and those key permissions",
                        cmkFix,
                    ),
                ]);
            }
        });
    },
};
