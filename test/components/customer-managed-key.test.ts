import { ProgramRun, runProgram, unknownSentinel } from "../../plan/mock-runtime";
import { placeholderClient } from "../../plan/placeholders";
import { builtInRoles, privateDnsZones, types } from "../../catalogue/azure";
import { CustomerManagedKeyArgs, validateCustomerManagedKeyArgs, vaultNameFor } from "../../components/customer-managed-key";
import { one } from "../support/resources";

const sub = placeholderClient.subscriptionId;
const subnetId = `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-x/subnets/pe`;
const kvZoneId = `/subscriptions/${sub}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${privateDnsZones.keyVault}`;

function args(overrides: Partial<CustomerManagedKeyArgs> = {}): CustomerManagedKeyArgs {
    return {
        resourceGroupName: "rg-x", location: "eastus", tags: { owner: "team" },
        namePrefix: "contoso-us", uniquenessSeed: `${sub}/us-prod`, tenantId: placeholderClient.tenantId, subscriptionId: sub,
        privateEndpoint: { subnetId, privateDnsZoneIds: [kvZoneId] },
        lock: { kind: "CanNotDelete" },
        protect: true,
        ...overrides,
    };
}

/** The key with an OpenAI account that encrypts with it, as the composite wires them. */
async function run(a: CustomerManagedKeyArgs, preview = false): Promise<ProgramRun> {
    return runProgram({
        project: "p", stack: "s", config: {}, preview,
        program: async () => {
            const { CustomerManagedKey } = await import("../../components/customer-managed-key");
            const { OpenAiAccount } = await import("../../components/openai-account");
            const cmk = new CustomerManagedKey("cmk", a);
            new OpenAiAccount("oai", { resourceGroupName: "rg-x", location: "eastus", tags: {}, namePrefix: "contoso-us", uniquenessSeed: "seed", encryption: cmk.accountEncryption });
            return { vaultId: cmk.vaultId, identityClientId: cmk.identityClientId, keyUriWithVersion: cmk.keyUriWithVersion };
        },
    });
}


describe("CustomerManagedKey", () => {
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        applied = await run(args());
        preview = await run(args(), true);
    });

    it("creates a vault, key, identity, one grant, the vault's private endpoint and a lock (plus the account using it)", () => {
        for (const r of [applied, preview]) {
            const counts: Record<string, number> = {};
            for (const x of r.resources) counts[x.type] = (counts[x.type] ?? 0) + 1;
            expect(counts).toEqual({
                "pulumi:pulumi:Stack": 1,
                "azure-openai-lz:security:CustomerManagedKey": 1,
                "azure-openai-lz:ai:OpenAiAccount": 1,
                [types.vault]: 1,
                [types.vaultKey]: 1,
                [types.userAssignedIdentity]: 1,
                [types.roleAssignment]: 1,
                [types.privateEndpoint]: 1,
                [types.privateDnsZoneGroup]: 1,
                [types.managementLock]: 1,
                [types.account]: 1,
            });
        }
    });

    it("makes the vault private, RBAC-only and purge-protected, and protects vault and key", () => {
        const vault = one(applied, types.vault);
        expect(vault.inputs.vaultName).toBe(vaultNameFor("contoso-us", `${sub}/us-prod`));
        expect(vault.inputs.vaultName).toMatch(/^kv-contosous-[0-9a-f]{6}$/);
        expect(vault.inputs.properties).toMatchObject({
            tenantId: placeholderClient.tenantId,
            sku: { family: "A", name: "premium" },
            enableRbacAuthorization: true,
            enableSoftDelete: true,
            enablePurgeProtection: true,
            publicNetworkAccess: "Disabled",
            networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
        });
        expect(vault.protect).toBe(true);
        expect(one(applied, types.vaultKey).protect).toBe(true);
        expect(one(applied, types.managementLock).inputs).toMatchObject({ scope: vault.id, level: "CanNotDelete" });
    });

    it("creates an HSM-backed RSA 2048 key that can only wrap and unwrap, with a rotation policy", () => {
        expect(one(applied, types.vaultKey).inputs.properties).toEqual({
            kty: "RSA-HSM", keySize: 2048, keyOps: ["wrapKey", "unwrapKey"],
            attributes: { enabled: true, exportable: false },
            rotationPolicy: {
                attributes: { expiryTime: "P730D" },
                lifetimeActions: [
                    { trigger: { timeAfterCreate: "P365D" }, action: { type: "rotate" } },
                    { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "notify" } },
                ],
            },
        });
    });

    it("grants the identity Crypto Service Encryption User on the key only", () => {
        const key = one(applied, types.vaultKey);
        const identity = one(applied, types.userAssignedIdentity);
        const grant = one(applied, types.roleAssignment);
        expect(grant.inputs).toMatchObject({
            scope: key.id, principalType: "ServicePrincipal",
            roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.keyVaultCryptoServiceEncryptionUser}`,
        });
        expect(grant.propertyDependencies.principalId).toEqual([identity.urn]);
    });

    it("creates the account only after the identity holds its grant, encrypting with the pinned key version", () => {
        for (const r of [applied, preview]) {
            const account = one(r, types.account);
            expect(account.dependencies).toEqual(expect.arrayContaining([one(r, types.roleAssignment).urn, one(r, types.vaultKey).urn]));
            expect((account.inputs.identity as { type: string }).type).toBe("SystemAssigned, UserAssigned");
            if (r.preview) {
                // azure-native resolves `properties` as one value: a new key's version makes all of it unknown in preview.
                expect(account.inputs.properties).toBe(unknownSentinel);
                continue;
            }
            const props = account.inputs.properties as { allowedFqdnList: string[]; publicNetworkAccess: string; encryption: { keySource: string; keyVaultProperties: Record<string, string> } };
            expect(props.encryption).toEqual({
                keySource: "Microsoft.KeyVault",
                keyVaultProperties: {
                    keyVaultUri: `https://${vaultNameFor("contoso-us", `${sub}/us-prod`)}.vault.azure.net/`,
                    keyName: "openai-cmk",
                    keyVersion: (r.outputs.keyUriWithVersion as string).split("/").pop(),
                    identityClientId: r.outputs.identityClientId,
                },
            });
            expect(props.allowedFqdnList).toEqual([`${vaultNameFor("contoso-us", `${sub}/us-prod`)}.vault.azure.net`]);
            expect(props.publicNetworkAccess).toBe("Disabled");
        }
    });

    it("puts the vault behind a private endpoint in the Key Vault zone, after the vault", () => {
        const vault = one(applied, types.vault);
        const pe = one(applied, types.privateEndpoint);
        expect(pe.dependencies).toContain(vault.urn);
        expect((pe.inputs.privateLinkServiceConnections as { groupIds: string[]; privateLinkServiceId: string }[])[0]).toMatchObject({ groupIds: ["vault"], privateLinkServiceId: vault.id });
        expect((one(applied, types.privateDnsZoneGroup).inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[])[0].privateDnsZoneId).toBe(kvZoneId);
    });

    it("parents every child under the component", () => {
        const component = one(applied, "azure-openai-lz:security:CustomerManagedKey");
        for (const t of [types.vault, types.vaultKey, types.userAssignedIdentity, types.roleAssignment, types.privateEndpoint, types.managementLock]) {
            expect(one(applied, t).parent).toBe(component.urn);
        }
    });

    it("exposes identifiers only, no key material", () => {
        const component = one(applied, "azure-openai-lz:security:CustomerManagedKey");
        expect(Object.keys(component.outputs ?? {}).sort()).toEqual(["identityClientId", "identityId", "keyId", "keyUriWithVersion", "vaultId", "vaultName", "vaultUri"]);
        expect(JSON.stringify(component.outputs)).not.toMatch(/"(n|e|d|p|q|dp|dq|qi|k)":/);
        expect(applied.invokes).toEqual([]);
    });

    it("rejects bad arguments synchronously, naming each one", () => {
        expect(() => validateCustomerManagedKeyArgs({ ...args(), namePrefix: "9bad" })).toThrow(/namePrefix: '9bad' expected/);
        expect(() => validateCustomerManagedKeyArgs({ ...args(), keyName: "bad_name" })).toThrow(/keyName: 'bad_name' expected 1-127 letters/);
        expect(() => validateCustomerManagedKeyArgs({ ...args(), rotation: { rotateAfterDays: 400, expireAfterDays: 365 } })).toThrow(/rotation.rotateAfterDays: 400 expected at most rotation.expireAfterDays - 7 \(358\)/);
        expect(() => validateCustomerManagedKeyArgs({ ...args(), rotation: { notifyBeforeExpiryDays: 0 } })).toThrow(/rotation.notifyBeforeExpiryDays: 0 expected a whole number/);
        expect(() => validateCustomerManagedKeyArgs({ ...args(), uniquenessSeed: "" })).toThrow(/uniquenessSeed/);
        expect(() => validateCustomerManagedKeyArgs(args())).not.toThrow();
    });

    it("keeps every generated vault name within Key Vault's rules", () => {
        for (const prefix of ["abc", "contoso-eu", "a-very-long-prefix-x", "x1-2-3-4-5-6-7-8-9z"]) {
            expect(vaultNameFor(prefix, "seed")).toMatch(/^[a-z](?!.*--)[a-z0-9-]{1,22}[a-z0-9]$/);
        }
    });
});
