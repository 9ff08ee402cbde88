/** Rules 1-8 on the azure-native account and its classic twin: one test per broken property. */
import { types } from "../../catalogue/azure";
import { accountKind, customerManagedKey, customSubdomain, localAuth, managedIdentity, networkAclDeny, outboundRestricted, publicNetworkAccess } from "../../policies/account";
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
const cmkOn = { requireCustomerManagedKey: true };

const broken: [string, PackPolicy, ResourceFixture, string, string, Record<string, unknown>][] = [
    ["public access enabled", publicNetworkAccess, native((p) => (p.properties.publicNetworkAccess = "Enabled")), "properties.publicNetworkAccess", "\"Disabled\"", {}],
    ["public access left to Azure's default", publicNetworkAccess, native((p) => delete p.properties.publicNetworkAccess), "properties.publicNetworkAccess is not set", "\"Disabled\"", {}],
    ["classic public access enabled", publicNetworkAccess, classic((p) => (p.publicNetworkAccessEnabled = true)), "publicNetworkAccessEnabled", "= false", {}],
    ["ACL default Allow", networkAclDeny, native((p) => (p.properties.networkAcls.defaultAction = "Allow")), "properties.networkAcls.defaultAction", "\"Deny\"", {}],
    ["ACL with IP rules", networkAclDeny, native((p) => (p.properties.networkAcls.ipRules = [{ value: "1.2.3.4" }])), "properties.networkAcls.ipRules", "remove every entry", {}],
    ["ACL with VNet rules", networkAclDeny, native((p) => (p.properties.networkAcls.virtualNetworkRules = [{ id: "/x" }])), "properties.networkAcls.virtualNetworkRules", "remove every entry", {}],
    ["no ACL at all", networkAclDeny, native((p) => delete p.properties.networkAcls), "properties.networkAcls.defaultAction is not set", "\"Deny\"", {}],
    ["classic ACL Allow", networkAclDeny, classic((p) => (p.networkAcls.defaultAction = "Allow")), "networkAcls.defaultAction", "\"Deny\"", {}],
    ["local auth on", localAuth, native((p) => (p.properties.disableLocalAuth = false)), "properties.disableLocalAuth", "true", {}],
    ["classic local auth on", localAuth, classic((p) => delete p.localAuthEnabled), "localAuthEnabled", "= false", {}],
    ["identity None", managedIdentity, native((p) => (p.identity = { type: "None" })), "identity.type", "SystemAssigned", {}],
    ["no identity", managedIdentity, native((p) => delete p.identity), "identity.type is not set", "SystemAssigned", {}],
    ["classic no identity", managedIdentity, classic((p) => delete p.identity), "identity.type", "SystemAssigned", {}],
    ["no subdomain", customSubdomain, native((p) => delete p.properties.customSubDomainName), "properties.customSubDomainName", "unique subdomain", {}],
    ["classic empty subdomain", customSubdomain, classic((p) => (p.customSubdomainName = " ")), "customSubdomainName", "unique subdomain", {}],
    ["outbound open", outboundRestricted, native((p) => (p.properties.restrictOutboundNetworkAccess = false)), "properties.restrictOutboundNetworkAccess", "true", {}],
    ["outbound restricted without FQDNs", outboundRestricted, native((p) => (p.properties.allowedFqdnList = [])), "properties.allowedFqdnList is empty", "list the FQDNs", {}],
    ["classic outbound open", outboundRestricted, classic((p) => (p.outboundNetworkAccessRestricted = false)), "outboundNetworkAccessRestricted", "true", {}],
    ["Microsoft-managed keys where CMK is required", customerManagedKey, native((p) => delete p.properties.encryption), "properties.encryption.keySource", "Microsoft.KeyVault", cmkOn],
    ["CMK without key name", customerManagedKey, native((p) => delete p.properties.encryption.keyVaultProperties.keyName), "keyVaultProperties.keyName", "set keyName", cmkOn],
    ["classic without CMK", customerManagedKey, classic((p) => delete p.customerManagedKey), "customerManagedKey.keyVaultKeyId", "Key Vault key", cmkOn],
    ["kind TextAnalytics", accountKind, native((p) => (p.kind = "TextAnalytics")), "kind is \"TextAnalytics\"", "OpenAI", {}],
];

describe("account rules", () => {
    it.each(broken)("%s: a violation naming the resource, the property and the fix", async (_label, policy, resource, property, fix, config) => {
        const out = await runResource(policy, resource, config);
        expect(out.notEvaluated).toBeUndefined();
        const naming = out.violations.filter((v) => v.message.includes(property));
        expect({ property, naming: naming.length, all: out.violations.map((v) => v.message) }).toEqual({ property, naming: 1, all: expect.any(Array) });
        expect(naming[0].message).toMatch(new RegExp(`^\\w+ '${resource.name}': `));
        expect(naming[0].message).toContain(fix);
    });

    it.each([publicNetworkAccess, networkAclDeny, localAuth, managedIdentity, customSubdomain, outboundRestricted, customerManagedKey, accountKind].map((p) => [p.name, p] as const))(
        "%s: compliant native and classic accounts pass; other types are not-applicable",
        async (_n, policy) => {
            for (const r of [native(() => undefined), classic(() => undefined)]) expect((await runResource(policy, r, cmkOn)).violations).toEqual([]);
            const other = await runResource(policy, { type: types.workspace, name: "law", props: { retentionInDays: 90 } });
            expect(other.notApplicable).toMatch(/applies to .*Account only/);
        },
    );

    it("accepts account types of explicit API versions as the same resource (no bypass by version)", async () => {
        const out = await runResource(publicNetworkAccess, { type: "azure-native:cognitiveservices/v20250601:Account", name: "openai", props: { ...account(), properties: { publicNetworkAccess: "Enabled" } } });
        expect(out.violations).toHaveLength(1);
    });

    it("customer-managed key is not-applicable where the profile does not require it", async () => {
        const out = await runResource(customerManagedKey, native((p) => delete p.properties.encryption));
        expect(out.notApplicable).toMatch(/does not require/);
    });

    it("an unknown security flag (preview) is not-evaluated, never a pass", async () => {
        const out = await runResource(localAuth, native((p) => (p.properties.disableLocalAuth = UNKNOWN)));
        expect(out.violations).toEqual([]);
        expect(out.notEvaluated).toMatch(/disableLocalAuth/);
    });

    it("an unknown subdomain (e.g. a random suffix) is still a subdomain", async () => {
        const out = await runResource(customSubdomain, native((p) => (p.properties.customSubDomainName = UNKNOWN)));
        expect(out).toEqual({ violations: [] });
    });
});
