/** The account rules on the azure-native account and its classic twin: one test per broken property (the customer-managed key stack rule: account-cmk.test.ts). */
import { types } from "../../catalogue/azure";
import {
    accountKind,
    cmkSystemIdentity,
    customSubdomain,
    localAuth,
    managedIdentity,
    networkAclDeny,
    outboundRestricted,
    publicNetworkAccess,
} from "../../policies/account";
import { PackPolicy } from "../../policies/core";
import { ResourceFixture, runResource, UNKNOWN } from "./harness";
import { account, classicAccount } from "./fixtures";

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const native = (change: (p: Props) => void) => {
    const p: Props = account();
    change(p);
    return { type: types.account, name: "openai", props: p };
};
const classic = (change: (p: Props) => void) => {
    const p: Props = classicAccount();
    change(p);
    return { type: types.classicAccount, name: "openai-classic", props: p };
};

const broken: [string, PackPolicy, ResourceFixture, string, string, Record<string, unknown>][] = [
    [
        "public access enabled",
        publicNetworkAccess,
        native((p) => (p.properties.publicNetworkAccess = "Enabled")),
        "properties.publicNetworkAccess",
        '"Disabled"',
        {},
    ],
    [
        "public access left to Azure's default",
        publicNetworkAccess,
        native((p) => delete p.properties.publicNetworkAccess),
        "properties.publicNetworkAccess is not set",
        '"Disabled"',
        {},
    ],
    [
        "classic public access enabled",
        publicNetworkAccess,
        classic((p) => (p.publicNetworkAccessEnabled = true)),
        "publicNetworkAccessEnabled",
        "= false",
        {},
    ],
    [
        "ACL default Allow",
        networkAclDeny,
        native((p) => (p.properties.networkAcls.defaultAction = "Allow")),
        "properties.networkAcls.defaultAction",
        '"Deny"',
        {},
    ],
    [
        "ACL with IP rules",
        networkAclDeny,
        native((p) => (p.properties.networkAcls.ipRules = [{ value: "1.2.3.4" }])),
        "properties.networkAcls.ipRules",
        "remove every entry",
        {},
    ],
    [
        "ACL with VNet rules",
        networkAclDeny,
        native((p) => (p.properties.networkAcls.virtualNetworkRules = [{ id: "/x" }])),
        "properties.networkAcls.virtualNetworkRules",
        "remove every entry",
        {},
    ],
    [
        "no ACL at all",
        networkAclDeny,
        native((p) => delete p.properties.networkAcls),
        "properties.networkAcls.defaultAction is not set",
        '"Deny"',
        {},
    ],
    [
        "classic ACL Allow",
        networkAclDeny,
        classic((p) => (p.networkAcls.defaultAction = "Allow")),
        "networkAcls.defaultAction",
        '"Deny"',
        {},
    ],
    [
        "local auth on",
        localAuth,
        native((p) => (p.properties.disableLocalAuth = false)),
        "properties.disableLocalAuth",
        "true",
        {},
    ],
    ["classic local auth on", localAuth, classic((p) => delete p.localAuthEnabled), "localAuthEnabled", "= false", {}],
    [
        "identity None",
        managedIdentity,
        native((p) => (p.identity = { type: "None" })),
        "identity.type",
        "SystemAssigned",
        {},
    ],
    [
        "no identity",
        managedIdentity,
        native((p) => delete p.identity),
        "identity.type is not set",
        "SystemAssigned",
        {},
    ],
    ["classic no identity", managedIdentity, classic((p) => delete p.identity), "identity.type", "SystemAssigned", {}],
    [
        "no subdomain",
        customSubdomain,
        native((p) => delete p.properties.customSubDomainName),
        "properties.customSubDomainName",
        "unique subdomain",
        {},
    ],
    [
        "classic empty subdomain",
        customSubdomain,
        classic((p) => (p.customSubdomainName = " ")),
        "customSubdomainName",
        "unique subdomain",
        {},
    ],
    [
        "outbound open",
        outboundRestricted,
        native((p) => (p.properties.restrictOutboundNetworkAccess = false)),
        "properties.restrictOutboundNetworkAccess",
        "true",
        {},
    ],
    [
        "classic outbound open",
        outboundRestricted,
        classic((p) => (p.outboundNetworkAccessRestricted = false)),
        "outboundNetworkAccessRestricted",
        "true",
        {},
    ],
    [
        "CMK unwrapped by a user-assigned identity",
        cmkSystemIdentity,
        native(
            (p) =>
                (p.properties.encryption.keyVaultProperties.identityClientId = "99999999-2222-4333-8444-555555555555"),
        ),
        'properties.encryption.keyVaultProperties.identityClientId is "99999999-2222-4333-8444-555555555555", a user-assigned identity',
        "system-assigned identity get, wrapKey and unwrapKey",
        {},
    ],
    [
        "CMK on an account with only a user-assigned identity",
        cmkSystemIdentity,
        native((p) => (p.identity = { type: "UserAssigned", userAssignedIdentities: { "/x": {} } })),
        'identity.type is "UserAssigned", so no system-assigned identity',
        '"SystemAssigned"',
        {},
    ],
    [
        "classic CMK with identity_client_id",
        cmkSystemIdentity,
        classic((p) => (p.customerManagedKey.identityClientId = "99999999-2222-4333-8444-555555555555")),
        'customerManagedKey.identityClientId is "99999999-2222-4333-8444-555555555555"',
        "remove it",
        {},
    ],
    [
        "kind TextAnalytics",
        accountKind,
        native((p) => (p.kind = "TextAnalytics")),
        'kind is "TextAnalytics"',
        "OpenAI",
        {},
    ],
];

describe("account rules", () => {
    it.each(broken)(
        "%s: a violation naming the resource, the property and the fix",
        async (_label, policy, resource, property, fix, config) => {
            const out = await runResource(policy, resource, config);
            expect(out.notEvaluated).toBeUndefined();
            const naming = out.violations.filter((v) => v.message.includes(property));
            expect({ property, naming: naming.length, all: out.violations.map((v) => v.message) }).toEqual({
                property,
                naming: 1,
                all: expect.any(Array),
            });
            expect(naming[0].message).toMatch(new RegExp(`^\\w+ '${resource.name}': `));
            expect(naming[0].message).toContain(fix);
        },
    );

    it.each(
        [
            publicNetworkAccess,
            networkAclDeny,
            localAuth,
            managedIdentity,
            customSubdomain,
            outboundRestricted,
            cmkSystemIdentity,
            accountKind,
        ].map((p) => [p.name, p] as const),
    )("%s: compliant native and classic accounts pass; other types are not-applicable", async (_n, policy) => {
        for (const r of [native(() => undefined), classic(() => undefined)])
            expect((await runResource(policy, r)).violations).toEqual([]);
        const other = await runResource(policy, { type: types.workspace, name: "law", props: { retentionInDays: 90 } });
        expect(other.notApplicable).toMatch(/applies to .*Account.* only/);
    });

    it("accepts account types of explicit API versions as the same resource (no bypass by version)", async () => {
        const out = await runResource(publicNetworkAccess, {
            type: "azure-native:cognitiveservices/v20250601:Account",
            name: "openai",
            props: { ...account(), properties: { publicNetworkAccess: "Enabled" } },
        });
        expect(out.violations).toHaveLength(1);
    });

    it("an empty outbound allow-list with restriction on is the strictest setting (no egress) and passes", async () => {
        expect(
            await runResource(
                outboundRestricted,
                native((p) => (p.properties.allowedFqdnList = [])),
            ),
        ).toEqual({ violations: [] });
        expect(
            await runResource(
                outboundRestricted,
                native((p) => delete p.properties.allowedFqdnList),
            ),
        ).toEqual({ violations: [] });
        expect(
            await runResource(
                outboundRestricted,
                classic((p) => (p.fqdns = [])),
            ),
        ).toEqual({ violations: [] });
    });

    it("names the stack key and the component argument in its fixes", async () => {
        const out = await runResource(
            outboundRestricted,
            native((p) => (p.properties.restrictOutboundNetworkAccess = false)),
        );
        expect(out.violations[0].message).toContain("stack config: network.allowedOutboundFqdns");
        expect(out.violations[0].message).toContain("component: OpenAiAccount allowedFqdns");
        const identity = await runResource(
            cmkSystemIdentity,
            native((p) => (p.properties.encryption.keyVaultProperties.identityClientId = "x")),
        );
        expect(identity.violations[0].message).toContain("stack config: customerManagedKey");
        expect(identity.violations[0].message).toContain(
            "component: OpenAiAccount encryption = CustomerManagedKey.accountEncryption",
        );
    });

    it("judges the CMK identity only where a customer-managed key is used, and on generic ARM accounts too", async () => {
        expect(
            (
                await runResource(
                    cmkSystemIdentity,
                    native((p) => delete p.properties.encryption),
                )
            ).notApplicable,
        ).toMatch(/does not encrypt with a customer-managed key/);
        const generic = (
            encryption: Record<string, unknown>,
            identity: Record<string, unknown> = { type: "SystemAssigned" },
        ) => ({
            type: types.genericResource,
            name: "raw-account",
            props: {
                resourceProviderNamespace: "Microsoft.CognitiveServices",
                resourceType: "accounts",
                parentResourcePath: "",
                resourceName: "raw",
                resourceGroupName: "rg",
                apiVersion: "2025-06-01",
                identity,
                properties: { encryption },
            },
        });
        const bad = await runResource(
            cmkSystemIdentity,
            generic({
                keySource: "Microsoft.KeyVault",
                keyVaultProperties: {
                    keyVaultUri: "https://kv.vault.azure.net/",
                    keyName: "k",
                    identityClientId: "abc",
                },
            }),
        );
        expect(bad.violations.map((v) => v.message)).toEqual([
            expect.stringContaining(
                "Resource 'raw-account': properties.encryption.keyVaultProperties.identityClientId is \"abc\", a user-assigned identity",
            ),
        ]);
        expect(
            await runResource(
                cmkSystemIdentity,
                generic({
                    keySource: "Microsoft.KeyVault",
                    keyVaultProperties: { keyVaultUri: "https://kv.vault.azure.net/", keyName: "k" },
                }),
            ),
        ).toEqual({ violations: [] });
        expect(
            (
                await runResource(cmkSystemIdentity, {
                    type: types.genericResource,
                    name: "storage",
                    props: { resourceProviderNamespace: "Microsoft.Storage", resourceType: "storageAccounts" },
                })
            ).notApplicable,
        ).toMatch(/not a Microsoft.CognitiveServices account/);
        // Unknown encryption (a preview of a new key) cannot be judged: not-evaluated, never a pass.
        expect(
            (
                await runResource(
                    cmkSystemIdentity,
                    native((p) => (p.properties.encryption = UNKNOWN)),
                )
            ).notEvaluated,
        ).toBeDefined();
    });

    it("an unknown security flag (preview) is not-evaluated, never a pass", async () => {
        const out = await runResource(
            localAuth,
            native((p) => (p.properties.disableLocalAuth = UNKNOWN)),
        );
        expect(out.violations).toEqual([]);
        expect(out.notEvaluated).toMatch(/disableLocalAuth/);
    });

    it("an unknown subdomain (e.g. a random suffix) is still a subdomain", async () => {
        const out = await runResource(
            customSubdomain,
            native((p) => (p.properties.customSubDomainName = UNKNOWN)),
        );
        expect(out).toEqual({ violations: [] });
    });
});
