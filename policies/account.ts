/**
 * How an Azure OpenAI account is configured. Each rule judges the azure-native account and its classic
 * twin (`azure:cognitive/account:Account`), so switching providers is no route around the pack. Every fix
 * names what a raw program sets, the stack key a stack owner edits and the component argument (policies/fix.ts).
 */
import { PolicyResource } from "@pulumi/policy";
import { cmkKeyPermissions, types } from "../catalogue/azure";
import {
    asArray,
    cannotKnow,
    describe,
    finding,
    known,
    PackStackPolicy,
    peek,
    ruleFields,
    show,
    unknown,
    withDefaults,
} from "./core";
import { fixFor } from "./fix";
import { resourceRule } from "./rule";
import { accountTypes, canonicalType, deploymentTypes, StackIndex } from "./stack-index";
import { judgeEach } from "./stack-rule";

const isClassic = (type: string) => type === types.classicAccount;
/** The platform's account component sets these and takes no argument that undoes them. */
const always = { alwaysSetBy: "OpenAiAccount" };

export const publicNetworkAccess = resourceRule({
    name: "azure-openai-account-disallow-public-network-access",
    description:
        "Azure OpenAI accounts must disable public network access so that they are reachable only through private endpoints.",
    severity: "critical",
    nonExemptable: true,
    concerns: accountTypes,
    anchors: {
        mcsb: "NS-2",
        azurePolicy: "47ba1dd7-28d9-4b07-a8d5-9813bed64e0c",
        checkov: "CKV_AZURE_134",
        psrule: "Azure.AI.PrivateEndpoints",
    },
    remediationSteps:
        'Set properties.publicNetworkAccess to "Disabled" (classic provider: publicNetworkAccessEnabled = false) and reach the account through its private endpoint.',
    check: (type, props, _c, problem) => {
        if (isClassic(type)) {
            const v = known(props, "publicNetworkAccessEnabled");
            if (v !== false)
                problem(
                    "publicNetworkAccessEnabled",
                    `is ${show(v)} (the classic provider defaults to true)`,
                    fixFor("set publicNetworkAccessEnabled = false", always),
                );
        } else {
            const v = known(props, "properties", "publicNetworkAccess");
            if (v !== "Disabled")
                problem(
                    "properties.publicNetworkAccess",
                    `is ${show(v)} (Azure defaults to Enabled)`,
                    fixFor('set it to "Disabled"', always),
                );
        }
    },
});

export const networkAclDeny = resourceRule({
    name: "azure-openai-account-enforce-network-acl-deny",
    description:
        "Azure OpenAI accounts must deny network traffic by default and carry no IP or virtual network allow rules.",
    severity: "high",
    concerns: accountTypes,
    anchors: { mcsb: "NS-2", azurePolicy: "037eea7a-bd0a-46c5-9a66-03aea78705d3", psrule: "Azure.AI.PublicAccess" },
    remediationSteps:
        'Set networkAcls.defaultAction to "Deny" and remove ipRules and virtualNetworkRules; callers reach the account through its private endpoint.',
    check: (type, props, _c, problem) => {
        const base = isClassic(type) ? ["networkAcls"] : ["properties", "networkAcls"];
        const label = base.join(".");
        const action = known(props, ...base, "defaultAction");
        if (action !== "Deny")
            problem(`${label}.defaultAction`, `is ${show(action)}`, fixFor('set it to "Deny"', always));
        for (const rules of ["ipRules", "virtualNetworkRules"]) {
            const list = peek(props, ...base, rules);
            if (list === unknown || asArray(list).length > 0)
                problem(
                    `${label}.${rules}`,
                    `allows ${list === unknown ? "networks not known until deploy" : `${asArray(list).length} rule(s)`}`,
                    fixFor(`remove every entry from ${rules}`, always),
                );
        }
    },
});

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

export const outboundRestricted = resourceRule({
    name: "azure-openai-account-restrict-outbound-access",
    description:
        "Azure OpenAI accounts must restrict outbound network access to an explicit allow-list of FQDNs to prevent data exfiltration; an empty list allows no egress at all.",
    severity: "high",
    concerns: accountTypes,
    anchors: { mcsb: "NS-2", checkov: "CKV_AZURE_247" },
    remediationSteps:
        "Set properties.restrictOutboundNetworkAccess to true (classic provider: outboundNetworkAccessRestricted) and list in properties.allowedFqdnList (classic: fqdns) only the hosts the account must call; an empty list, the platform's default, allows none. Stack owners list hosts in network.allowedOutboundFqdns; OpenAiAccount users in allowedFqdns.",
    check: (type, props, _c, problem) => {
        const flag = isClassic(type)
            ? ["outboundNetworkAccessRestricted"]
            : ["properties", "restrictOutboundNetworkAccess"];
        const restricted = known(props, ...flag);
        // An empty allow-list with restriction on is the strictest setting (no egress), not a gap: it passes.
        if (restricted !== true) {
            problem(
                flag.join("."),
                `is ${show(restricted)}, so the account may send data to any host`,
                fixFor("set it to true and list the hosts it may call", {
                    alwaysSetBy: "OpenAiAccount",
                    stackKey: "network.allowedOutboundFqdns lists the allowed hosts",
                    componentArg: "OpenAiAccount allowedFqdns",
                }),
            );
        }
    },
});

const cmkFix = {
    stackKey: "customerManagedKey (and customerManagedKey.phase)",
    componentArg: "OpenAiAccount encryption = CustomerManagedKey.accountEncryption, encryptionPhase",
};

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

/** The vault of the stack an account's key lives in, by the host name of its keyVaultUri. */
function vaultOf(index: StackIndex, account: PolicyResource): PolicyResource | undefined {
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
function keyGrantsFor(index: StackIndex, account: PolicyResource): PolicyResource[] {
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
function deploymentsOn(index: StackIndex, account: PolicyResource): PolicyResource[] {
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

/**
 * A stack rule, because what Azure requires spans resources: the vault's authorization mode and the grant to the
 * account's identity. The identity only exists once the account does, so a new account is first created with
 * Microsoft-managed keys and its grant, with no model deployed (nothing to protect yet): that state is reported as an
 * advisory finding of this rule until the next update encrypts; with a deployment on the account it is a violation.
 */
/** How a message names a vault: its Azure name when known, else its Pulumi name. */
const vaultName = (index: StackIndex, vault: PolicyResource): string => {
    const name = index.azureName(vault);
    return typeof name === "string" ? name : vault.name;
};

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
