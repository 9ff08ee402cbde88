import { ProgramRun, runProgram, unknownSentinel } from "../../plan/mock-runtime";
import { placeholderClient } from "../../plan/placeholders";
import { builtInRoles, privateDnsZones, types } from "../../catalogue/azure";
import { accountSubdomain, OpenAiAccountArgs, validateOpenAiAccountArgs } from "../../components/openai-account";
import { ofType, one } from "../support/resources";
import { outboundRestricted } from "../../policies/account";
import { runResource } from "../policies/harness";

const sub = placeholderClient.subscriptionId;
const subnetId = `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-x/subnets/pe`;
const zoneId = (zone: string) =>
    `/subscriptions/${sub}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${zone}`;
const workspaceId = `/subscriptions/${sub}/resourceGroups/rg-x/providers/Microsoft.OperationalInsights/workspaces/log-x`;
const groupId = "11111111-2222-4333-8444-555555555555";

function args(overrides: Partial<OpenAiAccountArgs> = {}): OpenAiAccountArgs {
    return {
        resourceGroupName: "rg-x",
        location: "westeurope",
        tags: { owner: "team" },
        namePrefix: "contoso-eu",
        uniquenessSeed: `${sub}/eu-prod`,
        subscriptionId: sub,
        privateEndpoint: {
            subnetId,
            privateDnsZoneIds: [zoneId(privateDnsZones.openai), zoneId(privateDnsZones.cognitiveServices)],
        },
        diagnosticSettings: { workspaceId },
        lock: { kind: "CanNotDelete" },
        roleAssignments: [
            { key: "developers", principalId: groupId, principalType: "Group", role: "cognitiveServicesOpenAiUser" },
        ],
        protect: true,
        ...overrides,
    };
}

async function run(a: OpenAiAccountArgs, preview = false): Promise<ProgramRun> {
    return runProgram({
        project: "p",
        stack: "s",
        config: {},
        preview,
        program: async () => {
            const { OpenAiAccount } = await import("../../components/openai-account");
            const acct = new OpenAiAccount("oai", a);
            return {
                accountId: acct.accountId,
                endpoint: acct.endpoint,
                subdomain: acct.customSubDomainName,
                principalId: acct.principalId,
            };
        },
    });
}

type AccountProps = {
    customSubDomainName: string;
    publicNetworkAccess: string;
    disableLocalAuth: boolean;
    restrictOutboundNetworkAccess: boolean;
    allowedFqdnList: string[];
    networkAcls: { defaultAction: string; bypass: string; ipRules: unknown[]; virtualNetworkRules: unknown[] };
    encryption?: { keySource: string; keyVaultProperties: Record<string, string> };
};

describe("OpenAiAccount", () => {
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        applied = await run(args());
        preview = await run(args(), true);
    });

    it("creates exactly the account, its private endpoint and zone group, one role assignment, diagnostics and a lock", () => {
        for (const r of [applied, preview]) {
            const counts: Record<string, number> = {};
            for (const x of r.resources) counts[x.type] = (counts[x.type] ?? 0) + 1;
            expect(counts).toEqual({
                "pulumi:pulumi:Stack": 1,
                "azure-openai-lz:ai:OpenAiAccount": 1,
                [types.account]: 1,
                [types.privateEndpoint]: 1,
                [types.privateDnsZoneGroup]: 1,
                [types.roleAssignment]: 1,
                [types.diagnosticSetting]: 1,
                [types.managementLock]: 1,
            });
        }
    });

    it("is private, keyless and egress-restricted, with a deterministic subdomain", () => {
        const account = one(applied, types.account);
        const props = account.inputs.properties as AccountProps;
        const subdomain = accountSubdomain("contoso-eu", `${sub}/eu-prod`);
        expect(subdomain).toMatch(/^contoso-eu-oai-[0-9a-f]{6}$/);
        expect(account.inputs).toMatchObject({
            kind: "OpenAI",
            sku: { name: "S0" },
            accountName: subdomain,
            location: "westeurope",
            identity: { type: "SystemAssigned" },
        });
        expect(props).toMatchObject({
            customSubDomainName: subdomain,
            publicNetworkAccess: "Disabled",
            disableLocalAuth: true,
            restrictOutboundNetworkAccess: true,
            allowedFqdnList: [],
            networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkRules: [] },
        });
        expect(props.encryption).toBeUndefined();
        expect(account.protect).toBe(true);
        // Known in preview too: the subdomain comes from plain inputs, never from a random or cloud value.
        expect((one(preview, types.account).inputs.properties as AccountProps).customSubDomainName).toBe(subdomain);
        expect(one(preview, "azure-openai-lz:ai:OpenAiAccount").outputs?.customSubDomainName).toBe(subdomain);
    });

    it("parents every child under the component (zone group under its endpoint)", () => {
        const component = one(applied, "azure-openai-lz:ai:OpenAiAccount");
        const pe = one(applied, types.privateEndpoint);
        for (const r of applied.resources.filter((x) => x.custom && x.type !== types.privateDnsZoneGroup))
            expect(r.parent).toBe(component.urn);
        expect(one(applied, types.privateDnsZoneGroup).parent).toBe(pe.urn);
    });

    it("creates the private endpoint only after the account finished provisioning", () => {
        for (const r of [applied, preview]) {
            const account = one(r, types.account);
            const pe = one(r, types.privateEndpoint);
            expect(pe.dependencies).toContain(account.urn);
            expect(pe.propertyDependencies.privateLinkServiceConnections).toContain(account.urn);
            const conn = (
                pe.inputs.privateLinkServiceConnections as { groupIds: string[]; privateLinkServiceId: string }[]
            )[0];
            expect(conn.groupIds).toEqual(["account"]);
            expect(conn.privateLinkServiceId).toBe(r.preview ? unknownSentinel : account.id);
        }
        const zones = (
            one(applied, types.privateDnsZoneGroup).inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]
        ).map((z) => z.privateDnsZoneId);
        expect(zones).toEqual([zoneId(privateDnsZones.openai), zoneId(privateDnsZones.cognitiveServices)]);
    });

    it("grants roles, logs and locks on the account itself", () => {
        const account = one(applied, types.account);
        const role = one(applied, types.roleAssignment);
        expect(role.inputs).toMatchObject({
            scope: account.id,
            principalId: groupId,
            principalType: "Group",
            roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.cognitiveServicesOpenAiUser}`,
        });
        expect(one(applied, types.diagnosticSetting).inputs).toMatchObject({
            resourceUri: account.id,
            workspaceId,
            logs: [
                { categoryGroup: "audit", enabled: true },
                { categoryGroup: "allLogs", enabled: true },
            ],
        });
        expect(one(applied, types.managementLock).inputs).toMatchObject({ scope: account.id, level: "CanNotDelete" });
    });

    it("outputs ids and the endpoint, never a key, and never lists keys", () => {
        expect(applied.outputs).toEqual({
            accountId: one(applied, types.account).id,
            endpoint: `https://${accountSubdomain("contoso-eu", `${sub}/eu-prod`)}.openai.azure.com/`,
            subdomain: accountSubdomain("contoso-eu", `${sub}/eu-prod`),
            principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        });
        expect(applied.invokes.map((i) => i.token)).toEqual([]);
        const component = one(applied, "azure-openai-lz:ai:OpenAiAccount");
        expect(JSON.stringify(component.outputs)).not.toMatch(/key|secret|password/i);
    });

    /** An account encrypting with a key whose vault and key are stand-ins (CustomerManagedKey's own test wires the real ones). */
    const withKey = (phase?: "grant" | "encrypt") =>
        runProgram({
            project: "p",
            stack: "s",
            config: {},
            preview: false,
            program: async () => {
                const { Vault } = await import("@pulumi/azure-native/keyvault");
                const { OpenAiAccount } = await import("../../components/openai-account");
                const vault = new Vault("vault-gate", {
                    resourceGroupName: "rg-kv",
                    vaultName: "kv-x",
                    properties: { tenantId: placeholderClient.tenantId, sku: { family: "A", name: "premium" } },
                });
                new OpenAiAccount(
                    "oai",
                    args({
                        privateEndpoint: undefined,
                        roleAssignments: [],
                        lock: undefined,
                        diagnosticSettings: undefined,
                        allowedFqdns: ["search-x.search.windows.net"],
                        allowTrustedAzureServices: true,
                        encryption: {
                            keyVaultUri: "https://kv-x.vault.azure.net/",
                            keyName: "cmk",
                            keyVersion: "abc123",
                            vaultName: "kv-x",
                            vaultResourceGroupName: "rg-kv",
                            tenantId: placeholderClient.tenantId,
                            vaultHostName: "kv-x.vault.azure.net",
                            readyAfter: [vault],
                        },
                        encryptionPhase: phase,
                    }),
                );
            },
        });

    it("encrypts with a customer-managed key through its system-assigned identity only, after the vault, and allows only the vault outbound", async () => {
        const r = await withKey();
        const account = one(r, types.account);
        const props = account.inputs.properties as AccountProps;
        // Azure OpenAI: CMK only with the system-assigned identity; no identityClientId means the system identity.
        expect(account.inputs.identity).toEqual({ type: "SystemAssigned" });
        expect(props.encryption).toEqual({
            keySource: "Microsoft.KeyVault",
            keyVaultProperties: { keyVaultUri: "https://kv-x.vault.azure.net/", keyName: "cmk", keyVersion: "abc123" },
        });
        expect(props.allowedFqdnList).toEqual(["search-x.search.windows.net", "kv-x.vault.azure.net"]);
        expect(props.networkAcls.bypass).toBe("AzureServices");
        expect(account.dependencies).toContain(one(r, types.vault).urn);
        expect(ofType(r, types.privateEndpoint)).toHaveLength(0);
        const grant = one(r, types.vaultAccessPolicy);
        expect(grant.inputs).toMatchObject({
            resourceGroupName: "rg-kv",
            vaultName: "kv-x",
            policy: { tenantId: placeholderClient.tenantId, permissions: { keys: ["get", "wrapKey", "unwrapKey"] } },
        });
        expect(grant.propertyDependencies.policy).toEqual([account.urn]);
        expect(grant.parent).toBe(one(r, "azure-openai-lz:ai:OpenAiAccount").urn);
        expect(grant.protect).toBe(true);
    });

    it("in the grant phase, creates the identity's grant but no encryption yet", async () => {
        const r = await withKey("grant");
        const props = one(r, types.account).inputs.properties as AccountProps;
        expect(props.encryption).toBeUndefined();
        expect(one(r, types.vaultAccessPolicy).inputs).toMatchObject({
            policy: { permissions: { keys: ["get", "wrapKey", "unwrapKey"] } },
        });
        expect(one(r, "azure-openai-lz:ai:OpenAiAccount").outputs?.encryptionPhase).toBe("grant");
    });

    it("by default restricts outbound access with an empty allow-list: no egress at all, which the pack accepts", async () => {
        const account = one(applied, types.account);
        const props = account.inputs.properties as AccountProps;
        expect(props.restrictOutboundNetworkAccess).toBe(true);
        expect(props.allowedFqdnList).toEqual([]);
        // One truth for the default: the component's account passes the pack's outbound rule as it is.
        expect(
            await runResource(outboundRestricted, { type: account.type, name: account.name, props: account.inputs }),
        ).toEqual({ violations: [] });
    });

    it("rejects bad arguments synchronously, naming each one", () => {
        expect(() => validateOpenAiAccountArgs({ ...args(), namePrefix: "Contoso_EU" })).toThrow(
            /namePrefix: 'Contoso_EU' expected 3-20 lower-case/,
        );
        expect(() => validateOpenAiAccountArgs({ ...args(), uniquenessSeed: " " })).toThrow(
            /uniquenessSeed: expected a non-empty string/,
        );
        expect(() => validateOpenAiAccountArgs({ ...args(), allowedFqdns: ["https://evil.example.com/x"] })).toThrow(
            /allowedFqdns\[0\]: 'https:\/\/evil.example.com\/x' expected a host name/,
        );
        expect(() => validateOpenAiAccountArgs({ ...args(), subscriptionId: undefined })).toThrow(
            /subscriptionId: expected with roleAssignments/,
        );
        expect(() => validateOpenAiAccountArgs({ ...args(), location: "West Europe" })).toThrow(
            /location: 'West Europe' expected an Azure region name/,
        );
        expect(() => validateOpenAiAccountArgs({ ...args(), encryptionPhase: "grant" })).toThrow(
            /encryptionPhase: given without encryption/,
        );
        expect(() => validateOpenAiAccountArgs({ ...args(), encryptionPhase: "later" as never })).toThrow(
            /encryptionPhase: 'later' expected one of grant, encrypt/,
        );
        expect(() => validateOpenAiAccountArgs(args())).not.toThrow();
    });

    it("fails the run when constructed with bad arguments", async () => {
        await expect(run(args({ namePrefix: "x" }))).rejects.toThrow(
            /OpenAiAccount: invalid arguments:\n {2}- namePrefix/,
        );
    });
});
