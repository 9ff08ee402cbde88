/**
 * Behaviours no other fixture proved, each as a failing fixture and its passing twin that differs only in the
 * property at stake: unknown ACL rules, the classic provider's outbound restriction with an empty FQDN list, CMK fields, allowed kinds, an unset SKU,
 * the provider's region, content filters (outside the stack, protected material, deferred modes, disabled filters),
 * the spend limit's governance cap and unpriced models, vault DNS zones, zone links without a network, table
 * retention, budgets (another resource group, a disabled notification) and deletion protection (workspace, vault,
 * one layer alone, a ReadOnly lock). Each rule is judged as the engine's defaults configure it unless a case says.
 */
import { types } from "../../catalogue/azure";
import { accountKind, customerManagedKey, networkAclDeny, outboundRestricted } from "../../policies/account";
import { budgetCoverage } from "../../policies/budget";
import { contentFilter } from "../../policies/content-filter";
import { PackPolicy } from "../../policies/core";
import { deploymentSku } from "../../policies/deployments";
import { allowedLocations } from "../../policies/location";
import { workspaceRetention } from "../../policies/logging";
import { dnsZoneGroup, zoneVnetLink } from "../../policies/network";
import { deletionProtection } from "../../policies/protection";
import { costGovernanceType, worstCaseSpend } from "../../policies/spend";
import { buildStack, Outcome, ResourceFixture, runResource, runStack, StackFixture, UNKNOWN } from "./harness";
import { account, classicAccount, compliantStack, deployment, mutate, rgId, tags } from "./fixtures";

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** `finding`: what the failing fixture's one finding says, or each of its findings in order. */
type Twin = {
    label: string;
    failing: () => Promise<Outcome>;
    passing: () => Promise<Outcome>;
    finding: string | string[];
};

const resource =
    (policy: PackPolicy, type: string, make: () => Props, config: Record<string, unknown> = {}) =>
    (change: (p: Props) => void) =>
    () => {
        const props = make();
        change(props);
        return runResource(policy, { type, name: "r", props }, config);
    };
const stack =
    (policy: PackPolicy, config: Record<string, unknown> = {}, preview = false) =>
    (change: (s: StackFixture[]) => StackFixture[]) =>
    () =>
        runStack(policy, buildStack("eu-prod", change(compliantStack(preview))), config);
const edit = (name: string, fn: (p: Props, f: StackFixture) => void) => (s: StackFixture[]) =>
    mutate(s, name, (f) => fn(f.props as Props, f));
const same = (s: StackFixture[]) => s;

const vaultId = `${rgId}/providers/Microsoft.KeyVault/vaults/kv-contoso-weu`;
/** A vault with its private endpoint and a DNS zone group on `zone`. */
const vaultWithEndpoint =
    (zone: string) =>
    (s: StackFixture[]): StackFixture[] => [
        ...s,
        {
            type: types.vault,
            name: "kv",
            props: { vaultName: "kv-contoso-weu", location: "westeurope", tags, id: vaultId },
            protect: true,
        },
        {
            type: types.privateEndpoint,
            name: "kv-pe",
            props: {
                privateEndpointName: "pe-kv",
                location: "westeurope",
                tags,
                privateLinkServiceConnections: [{ name: "kv", privateLinkServiceId: vaultId, groupIds: ["vault"] }],
            },
            deps: { privateLinkServiceConnections: ["kv"] },
        },
        {
            type: types.privateDnsZoneGroup,
            name: "kv-pe-dns",
            parent: "kv-pe",
            props: {
                privateDnsZoneGroupName: "default",
                privateEndpointName: "pe-kv",
                privateDnsZoneConfigs: [
                    {
                        name: "zone-0",
                        privateDnsZoneId: `/subscriptions/x/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${zone}`,
                    },
                ],
            },
        },
    ];
const withVault =
    (protect: boolean, lock?: string) =>
    (s: StackFixture[]): StackFixture[] => [
        ...s,
        {
            type: types.vault,
            name: "kv",
            props: { vaultName: "kv-contoso-weu", location: "westeurope", tags, id: vaultId },
            protect,
        },
        ...(lock
            ? [
                  {
                      type: types.managementLock,
                      name: "kv-lock",
                      props: { level: lock, scope: vaultId },
                      deps: { scope: ["kv"] },
                  },
              ]
            : []),
    ];
const withoutWorkspaceProtection =
    (keepLock?: string) =>
    (s: StackFixture[]): StackFixture[] => [
        ...mutate(s, "law", (f) => (f.protect = false)),
        ...(keepLock
            ? [
                  {
                      type: types.managementLock,
                      name: "law-lock",
                      props: { level: keepLock, scope: "law-id" },
                      deps: { scope: ["law"] },
                  },
              ]
            : []),
    ];
/** A deployment of `model` at capacity 1 (1,440 thousand tokens a day at most) with the stack's filter. */
const spendOf = (model: string) =>
    edit("chat-gpt4o", (p) => {
        p.properties.model = { format: "OpenAI", name: model, version: "1" };
        p.sku = { name: "Standard", capacity: 1 };
    });
const cap =
    (usd: number) =>
    (s: StackFixture[]): StackFixture[] => [
        ...s,
        { type: costGovernanceType, name: "cost", props: { dailySpendLimitUsd: usd } },
    ];
// The limit leaves room for the compliant stack's gateway (about 24 USD/day) and a cheap model, not for an unpriced one at the dear price.
const prices = { pricesUsdPer1kTokens: { "cheap-model": 0.0001, "dear-model": 0.1 }, dailySpendLimitUsd: 100 };

const nativeAccount = resource(networkAclDeny, types.account, account);
const classicOutbound = resource(outboundRestricted, types.classicAccount, classicAccount);
/** The compliant stack encrypting with a key in a vault on access policies that grant the account's identity (as CustomerManagedKey and OpenAiAccount build it). */
const withKeyVault = (s: StackFixture[]): StackFixture[] => [
    // The stack's own vault switches to legacy access policies, as Azure OpenAI's customer-managed keys require.
    ...mutate(
        mutate(s, "openai", (f) => {
            (f.props as Props).identity = {
                type: "SystemAssigned",
                principalId: "7f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
            };
        }),
        "kv",
        (f) => {
            (f.props as Props).properties.enableRbacAuthorization = false;
        },
    ),
    {
        type: types.vaultAccessPolicy,
        name: "openai-cmk-access",
        props: {
            vaultName: "kv-contoso",
            policy: {
                objectId: "7f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
                permissions: { keys: ["get", "wrapKey", "unwrapKey"] },
            },
        },
        deps: { policy: ["openai"] },
    },
];
const cmk = (change: (s: StackFixture[]) => StackFixture[]) =>
    stack(customerManagedKey, { requireCustomerManagedKey: true })((s) => change(withKeyVault(s)));
const sku = resource(deploymentSku, types.deployment, deployment);
const ws = (providerRegion: string) => () =>
    runResource(
        allowedLocations,
        {
            type: types.workspace,
            name: "law",
            props: { retentionInDays: 90, tags },
            provider: { location: providerRegion },
        } as ResourceFixture,
        { allowedRegions: ["westeurope", "swedencentral"] },
    );
const filter = stack(contentFilter);
const filters = (fn: (list: Props[]) => Props[]) =>
    edit("filter-policy", (p) => {
        p.properties.contentFilters = fn(p.properties.contentFilters);
    });

const twins: Twin[] = [
    {
        label: "network ACL whose IP rules are unknown until deploy",
        finding: "properties.networkAcls.ipRules allows networks not known until deploy",
        failing: nativeAccount((p) => (p.properties.networkAcls.ipRules = UNKNOWN)),
        passing: nativeAccount((p) => (p.properties.networkAcls.ipRules = [])),
    },
    {
        label: "classic account with outbound access open; restricted to an empty FQDN list (it may call nothing) passes",
        finding: "outboundNetworkAccessRestricted is false",
        failing: classicOutbound((p) => (p.outboundNetworkAccessRestricted = false)),
        passing: classicOutbound((p) => (p.fqdns = [])),
    },
    {
        label: "customer-managed key without its vault URI",
        finding: "properties.encryption.keyVaultProperties.keyVaultUri is not set",
        failing: cmk(
            edit("openai", (p) => {
                delete p.properties.encryption.keyVaultProperties.keyVaultUri;
            }),
        ),
        passing: cmk(same),
    },
    {
        label: "a kind the profile's allowedKinds leaves out",
        finding: 'kind is "AIServices"',
        failing: () =>
            runResource(
                accountKind,
                { type: types.account, name: "r", props: { ...account(), kind: "AIServices" } },
                { allowedKinds: ["OpenAI"] },
            ),
        passing: () =>
            runResource(accountKind, { type: types.account, name: "r", props: { ...account(), kind: "AIServices" } }),
    },
    {
        label: "native deployment with no SKU",
        finding: "sku.name is not set",
        failing: sku((p) => delete p.sku),
        passing: sku((p) => (p.sku = { name: "Standard", capacity: 10 })),
    },
    {
        label: "a resource that sets no region, under a provider configured outside the profile",
        finding: 'location is "eastus", outside the allowed regions',
        failing: ws("eastus"),
        passing: ws("westeurope"),
    },
    {
        label: "deployment bound to a filter defined outside the stack",
        finding: "a policy not defined in this stack",
        failing: filter(
            edit("chat-gpt4o", (p, f) => {
                p.properties.raiPolicyName = "Microsoft.DefaultV2";
                delete f.deps?.properties;
            }),
        ),
        passing: filter(same),
    },
    {
        label: "protected material (text) detection removed",
        finding: "no enabled, blocking Protected Material Text detection on Completion",
        failing: filter(filters((l) => l.filter((c) => c.name !== "Protected Material Text"))),
        passing: filter(same),
    },
    {
        label: "protected material (code) detection disabled; annotating only is allowed",
        finding: "no enabled Protected Material Code detection on Completion",
        failing: filter(
            filters((l) => l.map((c) => (c.name === "Protected Material Code" ? { ...c, enabled: false } : c))),
        ),
        passing: filter(
            filters((l) => l.map((c) => (c.name === "Protected Material Code" ? { ...c, blocking: false } : c))),
        ),
    },
    {
        label: "streaming filter mode Deferred; Default filters before release",
        finding: 'properties.mode is "Deferred"',
        failing: filter(
            edit("filter-policy", (p) => {
                p.properties.mode = "Deferred";
            }),
        ),
        passing: filter(
            edit("filter-policy", (p) => {
                p.properties.mode = "Default";
            }),
        ),
    },
    {
        label: "a harm filter present but enabled: false",
        finding: "no enabled, blocking Sexual filter on Completion",
        failing: filter(
            filters((l) =>
                l.map((c) => (c.name === "Sexual" && c.source === "Completion" ? { ...c, enabled: false } : c)),
            ),
        ),
        passing: filter(same),
    },
    {
        label: "spend under the profile's limit but over the program's governance cap",
        finding: "over the daily limit of 100 USD",
        failing: stack(worstCaseSpend, { dailySpendLimitUsd: 250 })(cap(100)),
        passing: stack(worstCaseSpend, { dailySpendLimitUsd: 250 })(cap(1000)),
    },
    {
        label: "an unpriced model, counted at the dearest known price",
        finding: "over the daily limit of 100 USD",
        failing: stack(worstCaseSpend, prices)(spendOf("unpriced-model")),
        passing: stack(worstCaseSpend, prices)(spendOf("cheap-model")),
    },
    {
        label: "a vault endpoint registered in the OpenAI zone instead of the vault zone",
        finding: 'for group id "vault"',
        failing: stack(dnsZoneGroup)(vaultWithEndpoint("privatelink.openai.azure.com")),
        passing: stack(dnsZoneGroup)(vaultWithEndpoint("privatelink.vaultcore.azure.net")),
    },
    {
        label: "a zone link with no virtual network id",
        finding: "virtual network link is missing",
        failing: stack(zoneVnetLink)(
            edit("zone-openai-link", (p) => {
                p.virtualNetwork = {};
            }),
        ),
        passing: stack(zoneVnetLink)(same),
    },
    {
        label: "a table's own interactive retention under the minimum",
        finding: "table law-table-AzureDiagnostics retentionInDays is 30",
        failing: stack(workspaceRetention)(
            edit("law-table-AzureDiagnostics", (p) => {
                p.retentionInDays = 30;
            }),
        ),
        passing: stack(workspaceRetention)(
            edit("law-table-AzureDiagnostics", (p) => {
                p.retentionInDays = 90;
            }),
        ),
    },
    {
        label: "a budget on another resource group; one on the subscription covers all",
        finding: "does not cover the account's resource group",
        failing: stack(budgetCoverage)(
            edit("budget", (p, f) => {
                p.scope = "/subscriptions/3f2a1c9e-7b4d-4e8a-9c61-2d5e8f0a4b17/resourceGroups/rg-elsewhere";
                delete f.deps?.scope;
            }),
        ),
        passing: stack(budgetCoverage)(
            edit("budget", (p, f) => {
                p.scope = "/subscriptions/3f2a1c9e-7b4d-4e8a-9c61-2d5e8f0a4b17";
                delete f.deps?.scope;
            }),
        ),
    },
    {
        label: "a budget whose forecast notification is disabled (so it covers nothing)",
        finding: ["have no enabled Forecasted notification", "does not cover the account's resource group"],
        failing: stack(budgetCoverage)(
            edit("budget", (p) => {
                p.notifications["forecasted-100"].enabled = false;
            }),
        ),
        passing: stack(budgetCoverage)(same),
    },
    {
        label: "production workspace neither protected nor locked; a CanNotDelete lock alone suffices",
        finding: "Workspace 'law': protect is false",
        failing: stack(deletionProtection)(withoutWorkspaceProtection()),
        passing: stack(deletionProtection)(withoutWorkspaceProtection("CanNotDelete")),
    },
    {
        label: "production workspace neither protected nor locked; a ReadOnly lock alone suffices",
        finding: "Workspace 'law': protect is false",
        failing: stack(deletionProtection)(withoutWorkspaceProtection()),
        passing: stack(deletionProtection)(withoutWorkspaceProtection("ReadOnly")),
    },
    {
        label: "production vault neither protected nor locked; protect alone suffices",
        finding: "Vault 'kv': protect is false",
        failing: stack(deletionProtection)(withVault(false)),
        passing: stack(deletionProtection)(withVault(true)),
    },
    {
        label: "production vault neither protected nor locked; a CanNotDelete lock alone suffices",
        finding: "Vault 'kv': protect is false",
        failing: stack(deletionProtection)(withVault(false)),
        passing: stack(deletionProtection)(withVault(false, "CanNotDelete")),
    },
    {
        label: "production vault under a lock of no protecting level",
        finding: "Vault 'kv': protect is false",
        failing: stack(deletionProtection)(withVault(false, "NotSpecified")),
        passing: stack(deletionProtection)(withVault(false, "ReadOnly")),
    },
];

describe.each(twins.map((t) => [t.label, t] as const))("%s", (_label, twin) => {
    it("the failing fixture's findings say so", async () => {
        const out = await twin.failing();
        expect(out.notEvaluated).toBeUndefined();
        expect(out.violations.map((v) => v.message)).toEqual(
            [twin.finding].flat().map((f) => expect.stringContaining(f)),
        );
    });
    it("its passing twin passes", async () => {
        const out = await twin.passing();
        expect({ violations: out.violations, notEvaluated: out.notEvaluated }).toEqual({
            violations: [],
            notEvaluated: undefined,
        });
    });
});
