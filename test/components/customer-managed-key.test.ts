import { ProgramRun, runProgram, unknownSentinel } from "../../plan/mock-runtime";
import { placeholderClient } from "../../plan/placeholders";
import { cmkKeyPermissions, privateDnsZones, types } from "../../catalogue/azure";
import { CustomerManagedKeyPhase } from "../../catalogue/stack-schema";
import {
    CustomerManagedKeyArgs,
    validateCustomerManagedKeyArgs,
    vaultNameFor,
} from "../../components/customer-managed-key";
import { one } from "../support/resources";

const sub = placeholderClient.subscriptionId;
const subnetId = `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-x/subnets/pe`;
const kvZoneId = `/subscriptions/${sub}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${privateDnsZones.keyVault}`;

function args(overrides: Partial<CustomerManagedKeyArgs> = {}): CustomerManagedKeyArgs {
    return {
        resourceGroupName: "rg-x",
        location: "eastus",
        tags: { owner: "team" },
        namePrefix: "contoso-us",
        uniquenessSeed: `${sub}/us-prod`,
        tenantId: placeholderClient.tenantId,
        subscriptionId: sub,
        privateEndpoint: { subnetId, privateDnsZoneIds: [kvZoneId] },
        lock: { kind: "CanNotDelete" },
        protect: true,
        ...overrides,
    };
}

/** The key with an OpenAI account that encrypts with it, as the composite wires them. */
async function run(
    a: CustomerManagedKeyArgs,
    preview = false,
    encryptionPhase?: CustomerManagedKeyPhase,
): Promise<ProgramRun> {
    return runProgram({
        project: "p",
        stack: "s",
        config: {},
        preview,
        program: async () => {
            const { CustomerManagedKey } = await import("../../components/customer-managed-key");
            const { OpenAiAccount } = await import("../../components/openai-account");
            const cmk = new CustomerManagedKey("cmk", a);
            new OpenAiAccount("oai", {
                resourceGroupName: "rg-x",
                location: "eastus",
                tags: {},
                namePrefix: "contoso-us",
                uniquenessSeed: "seed",
                encryption: cmk.accountEncryption,
                encryptionPhase,
                protect: true,
            });
            return { vaultId: cmk.vaultId, keyUriWithVersion: cmk.keyUriWithVersion };
        },
    });
}

type Grant = {
    resourceGroupName: string;
    vaultName: string;
    policy: { tenantId: string; objectId: string; permissions: { keys: string[] } };
};

describe("CustomerManagedKey", () => {
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        applied = await run(args());
        preview = await run(args(), true);
    });

    it("creates a vault, key, the vault's private endpoint and a lock, and the account grants itself the key (no user-assigned identity)", () => {
        for (const r of [applied, preview]) {
            const counts: Record<string, number> = {};
            for (const x of r.resources) counts[x.type] = (counts[x.type] ?? 0) + 1;
            expect(counts).toEqual({
                "pulumi:pulumi:Stack": 1,
                "azure-openai-lz:security:CustomerManagedKey": 1,
                "azure-openai-lz:ai:OpenAiAccount": 1,
                [types.vault]: 1,
                [types.vaultKey]: 1,
                [types.vaultAccessPolicy]: 1,
                [types.privateEndpoint]: 1,
                [types.privateDnsZoneGroup]: 1,
                [types.managementLock]: 1,
                [types.account]: 1,
            });
        }
    });

    it("makes the vault private and purge-protected, with legacy access policies it leaves to AccessPolicy resources", () => {
        const vault = one(applied, types.vault);
        expect(vault.inputs.vaultName).toBe(vaultNameFor("contoso-us", `${sub}/us-prod`));
        expect(vault.inputs.vaultName).toMatch(/^kv-contosous-[0-9a-f]{6}$/);
        expect(vault.inputs.properties).toMatchObject({
            tenantId: placeholderClient.tenantId,
            sku: { family: "A", name: "premium" },
            // Azure OpenAI: "The key vault must use legacy access policies" (docs/azure-constraints.md, CMK).
            enableRbacAuthorization: false,
            enableSoftDelete: true,
            enablePurgeProtection: true,
            publicNetworkAccess: "Disabled",
            networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
        });
        // Setting accessPolicies on the vault would make every vault update wipe the account's grant.
        expect(Object.keys(vault.inputs.properties as object)).not.toContain("accessPolicies");
        expect(vault.protect).toBe(true);
        expect(one(applied, types.vaultKey).protect).toBe(true);
        const lock = one(applied, types.managementLock);
        expect(lock.inputs).toMatchObject({ scope: vault.id, level: "CanNotDelete" });
        // The lock covers the key (a child of the vault): it depends on it, so a suspending update deletes the lock first.
        expect(lock.dependencies).toContain(one(applied, types.vaultKey).urn);
    });

    it("creates an HSM-backed RSA 2048 key that can only wrap and unwrap, with a rotation policy", () => {
        expect(one(applied, types.vaultKey).inputs.properties).toEqual({
            kty: "RSA-HSM",
            keySize: 2048,
            keyOps: ["wrapKey", "unwrapKey"],
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

    it("grants exactly get, wrapKey and unwrapKey to the account's system-assigned identity, by an access policy on the vault", () => {
        for (const r of [applied, preview]) {
            const grant = one(r, types.vaultAccessPolicy);
            const account = one(r, types.account);
            const inputs = grant.inputs as unknown as Grant;
            expect(inputs.resourceGroupName).toBe("rg-x");
            expect(inputs.vaultName).toBe(vaultNameFor("contoso-us", `${sub}/us-prod`));
            expect(inputs.policy.permissions).toEqual({ keys: [...cmkKeyPermissions] });
            expect([...cmkKeyPermissions]).toEqual(["get", "wrapKey", "unwrapKey"]);
            expect(inputs.policy.tenantId).toBe(placeholderClient.tenantId);
            // The identity's object id comes from the account (known once it exists): the grant follows the account.
            expect(grant.propertyDependencies.policy).toContain(account.urn);
            if (!r.preview)
                expect(inputs.policy.objectId).toBe(one(r, "azure-openai-lz:ai:OpenAiAccount").outputs?.principalId);
            expect(grant.dependencies).toEqual(
                expect.arrayContaining([one(r, types.vault).urn, one(r, types.vaultKey).urn]),
            );
            expect(grant.protect).toBe(true);
        }
    });

    it("encrypts the account with the pinned key version and its system-assigned identity, never a user-assigned one", () => {
        for (const r of [applied, preview]) {
            const account = one(r, types.account);
            expect(account.inputs.identity).toEqual({ type: "SystemAssigned" });
            expect(account.dependencies).toEqual(
                expect.arrayContaining([one(r, types.vault).urn, one(r, types.vaultKey).urn]),
            );
            if (r.preview) {
                // azure-native resolves `properties` as one value: a new key's version makes all of it unknown in preview.
                expect(account.inputs.properties).toBe(unknownSentinel);
                continue;
            }
            const props = account.inputs.properties as {
                allowedFqdnList: string[];
                publicNetworkAccess: string;
                encryption: { keySource: string; keyVaultProperties: Record<string, string> };
            };
            expect(props.encryption).toEqual({
                keySource: "Microsoft.KeyVault",
                keyVaultProperties: {
                    keyVaultUri: `https://${vaultNameFor("contoso-us", `${sub}/us-prod`)}.vault.azure.net/`,
                    keyName: "openai-cmk",
                    keyVersion: (r.outputs.keyUriWithVersion as string).split("/").pop(),
                },
            });
            expect(props.encryption.keyVaultProperties).not.toHaveProperty("identityClientId");
            expect(props.allowedFqdnList).toEqual([`${vaultNameFor("contoso-us", `${sub}/us-prod`)}.vault.azure.net`]);
            expect(props.publicNetworkAccess).toBe("Disabled");
        }
    });

    it("in the grant phase, creates the account on Microsoft-managed keys with the same grant, so the next update only adds encryption", async () => {
        const granting = await run(args(), true, "grant");
        const account = one(granting, types.account);
        expect(account.inputs.identity).toEqual({ type: "SystemAssigned" });
        // Known in preview: nothing in the account waits for the new key.
        const props = account.inputs.properties as Record<string, unknown>;
        expect(props).not.toHaveProperty("encryption");
        expect(props.publicNetworkAccess).toBe("Disabled");
        // The same grant resource (same URN) in both phases: moving to encrypt neither deletes nor replaces it.
        expect(one(granting, types.vaultAccessPolicy).urn).toBe(one(preview, types.vaultAccessPolicy).urn);
        expect(one(granting, types.vaultAccessPolicy).propertyDependencies.policy).toContain(account.urn);
    });

    it("puts the vault behind a private endpoint in the Key Vault zone, after the vault", () => {
        const vault = one(applied, types.vault);
        const pe = one(applied, types.privateEndpoint);
        expect(pe.dependencies).toContain(vault.urn);
        expect(
            (pe.inputs.privateLinkServiceConnections as { groupIds: string[]; privateLinkServiceId: string }[])[0],
        ).toMatchObject({ groupIds: ["vault"], privateLinkServiceId: vault.id });
        expect(
            (one(applied, types.privateDnsZoneGroup).inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[])[0]
                .privateDnsZoneId,
        ).toBe(kvZoneId);
    });

    it("parents every child under the component", () => {
        const component = one(applied, "azure-openai-lz:security:CustomerManagedKey");
        for (const t of [types.vault, types.vaultKey, types.privateEndpoint, types.managementLock]) {
            expect(one(applied, t).parent).toBe(component.urn);
        }
    });

    it("exposes identifiers only, no key material", () => {
        const component = one(applied, "azure-openai-lz:security:CustomerManagedKey");
        expect(Object.keys(component.outputs ?? {}).sort()).toEqual([
            "keyId",
            "keyUriWithVersion",
            "vaultId",
            "vaultName",
            "vaultUri",
        ]);
        expect(JSON.stringify(component.outputs)).not.toMatch(/"(n|e|d|p|q|dp|dq|qi|k)":/);
        expect(applied.invokes).toEqual([]);
    });

    it("rejects bad arguments synchronously, naming each one", () => {
        expect(() => validateCustomerManagedKeyArgs({ ...args(), namePrefix: "9bad" })).toThrow(
            /namePrefix: '9bad' expected/,
        );
        expect(() => validateCustomerManagedKeyArgs({ ...args(), keyName: "bad_name" })).toThrow(
            /keyName: 'bad_name' expected 1-127 letters/,
        );
        expect(() =>
            validateCustomerManagedKeyArgs({ ...args(), rotation: { rotateAfterDays: 400, expireAfterDays: 365 } }),
        ).toThrow(/rotation.rotateAfterDays: 400 expected at most rotation.expireAfterDays - 7 \(358\)/);
        expect(() => validateCustomerManagedKeyArgs({ ...args(), rotation: { notifyBeforeExpiryDays: 0 } })).toThrow(
            /rotation.notifyBeforeExpiryDays: 0 expected a whole number/,
        );
        expect(() => validateCustomerManagedKeyArgs({ ...args(), uniquenessSeed: "" })).toThrow(/uniquenessSeed/);
        expect(() => validateCustomerManagedKeyArgs(args())).not.toThrow();
    });

    it("keeps every generated vault name within Key Vault's rules", () => {
        for (const prefix of ["abc", "contoso-eu", "a-very-long-prefix-x", "x1-2-3-4-5-6-7-8-9z"]) {
            expect(vaultNameFor(prefix, "seed")).toMatch(/^[a-z](?!.*--)[a-z0-9-]{1,22}[a-z0-9]$/);
        }
    });
});
