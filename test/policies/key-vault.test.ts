/**
 * The Key Vault family's resource rules, in the peer's style (PSRule's test resources): for each rule a passing and a
 * failing resource per property, on the azure-native, classic and generic ARM routes; other types not-applicable;
 * unknown values not-evaluated.
 */
import { types } from "../../catalogue/azure";
import { PackPolicy } from "../../policies/core";
import {
    durationDays,
    keyRotation,
    keyType,
    vaultAccessPolicies,
    vaultPublicNetworkAccess,
    vaultPurgeProtection,
    vaultSoftDelete,
} from "../../policies/key-vault";
import { ResourceFixture, runResource, UNKNOWN } from "./harness";
import {
    accessPolicy,
    classicVault,
    classicVaultKey,
    genericVault,
    vault,
    vaultId,
    vaultKey,
    workspace,
} from "./fixtures";

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const fixture =
    (type: string, name: string, base: () => Props) =>
    (change: (p: Props) => void = () => undefined): ResourceFixture => {
        const p = clone(base());
        change(p);
        return { type, name, props: p };
    };

const native = fixture(types.vault, "kv", vault);
const classic = fixture(types.classicVault, "kv-classic", classicVault);
const generic = fixture(types.genericResource, "kv-generic", genericVault);
const key = fixture(types.vaultKey, "cmk", vaultKey);
const classicKey = fixture(types.classicVaultKey, "cmk-classic", classicVaultKey);
const genericKey = fixture(types.genericResource, "cmk-generic", () => ({
    resourceProviderNamespace: "Microsoft.KeyVault",
    parentResourcePath: "vaults/kv-contoso",
    resourceType: "keys",
    resourceName: "cmk",
    apiVersion: "2024-11-01",
    properties: vaultKey().properties,
}));
const nativePolicy = fixture(types.vaultAccessPolicy, "kv-access", accessPolicy);
const classicPolicy = fixture(types.classicVaultAccessPolicy, "kv-access-classic", () => ({
    keyVaultId: vaultId,
    tenantId: "t",
    objectId: "o",
    keyPermissions: ["Get", "WrapKey", "UnwrapKey"],
}));
const genericPolicies = fixture(types.genericResource, "kv-access-generic", () => ({
    resourceProviderNamespace: "Microsoft.KeyVault",
    parentResourcePath: "vaults/kv-contoso",
    resourceType: "accessPolicies",
    resourceName: "add",
    properties: { accessPolicies: [accessPolicy().policy] },
}));
const hsm = { requireHsm: true };

type Case = [string, PackPolicy, ResourceFixture, string, string, Record<string, unknown>];
const broken: Case[] = [
    [
        "soft delete off",
        vaultSoftDelete,
        native((p) => (p.properties.enableSoftDelete = false)),
        "properties.enableSoftDelete is false",
        "set it to true",
        {},
    ],
    [
        "generic: soft delete off",
        vaultSoftDelete,
        generic((p) => (p.properties.enableSoftDelete = false)),
        "properties.enableSoftDelete is false",
        "set it to true",
        {},
    ],
    [
        "purge protection off",
        vaultPurgeProtection,
        native((p) => (p.properties.enablePurgeProtection = false)),
        "properties.enablePurgeProtection is false",
        "set it to true",
        {},
    ],
    [
        "purge protection left to Azure's default",
        vaultPurgeProtection,
        native((p) => delete p.properties.enablePurgeProtection),
        "properties.enablePurgeProtection is not set (Azure's default is off)",
        "set it to true",
        {},
    ],
    [
        "classic: purge protection off",
        vaultPurgeProtection,
        classic((p) => (p.purgeProtectionEnabled = false)),
        "purgeProtectionEnabled is false",
        "set it to true",
        {},
    ],
    [
        "generic: purge protection off",
        vaultPurgeProtection,
        generic((p) => delete p.properties.enablePurgeProtection),
        "properties.enablePurgeProtection is not set",
        "set it to true",
        {},
    ],
    [
        "public access on, firewall allows",
        vaultPublicNetworkAccess,
        native((p) => {
            p.properties.publicNetworkAccess = "Enabled";
            p.properties.networkAcls.defaultAction = "Allow";
        }),
        'properties.publicNetworkAccess is "Enabled" (Azure defaults to Enabled) and properties.networkAcls.defaultAction is "Allow"',
        '"Disabled"',
        {},
    ],
    [
        "public access on, firewall denies but allows an IP range",
        vaultPublicNetworkAccess,
        native((p) => {
            p.properties.publicNetworkAccess = "Enabled";
            p.properties.networkAcls.ipRules = [{ value: "203.0.113.0/24" }];
        }),
        "properties.networkAcls.ipRules allow 1 public address range(s)",
        "remove every IP rule",
        {},
    ],
    [
        "nothing set (Azure's defaults)",
        vaultPublicNetworkAccess,
        native((p) => {
            delete p.properties.publicNetworkAccess;
            delete p.properties.networkAcls;
        }),
        "properties.publicNetworkAccess is not set",
        '"Disabled"',
        {},
    ],
    [
        "classic: public access on",
        vaultPublicNetworkAccess,
        classic((p) => {
            p.publicNetworkAccessEnabled = true;
            p.networkAcls.defaultAction = "Allow";
        }),
        "publicNetworkAccessEnabled is true (the classic provider defaults to true)",
        "publicNetworkAccessEnabled = false",
        {},
    ],
    [
        "generic: public access on",
        vaultPublicNetworkAccess,
        generic((p) => {
            p.properties.publicNetworkAccess = "Enabled";
            p.properties.networkAcls.defaultAction = "Allow";
        }),
        'properties.publicNetworkAccess is "Enabled"',
        '"Disabled"',
        {},
    ],
    [
        "access policy granting all key permissions",
        vaultAccessPolicies,
        native(
            (p) => (p.properties.accessPolicies = [{ tenantId: "t", objectId: "o", permissions: { keys: ["all"] } }]),
        ),
        'properties.accessPolicies[0].permissions.keys grants "all"',
        "grant only the named key permissions",
        {},
    ],
    [
        "access policy granting purge",
        vaultAccessPolicies,
        native(
            (p) =>
                (p.properties.accessPolicies = [
                    { tenantId: "t", objectId: "o", permissions: { keys: ["get", "purge"] } },
                ]),
        ),
        'permissions.keys grants "purge"',
        "get, wrapKey, unwrapKey",
        {},
    ],
    [
        "access policy granting secrets",
        vaultAccessPolicies,
        native(
            (p) =>
                (p.properties.accessPolicies = [
                    { tenantId: "t", objectId: "o", permissions: { keys: ["get"], secrets: ["get", "list"] } },
                ]),
        ),
        "permissions.secrets grants secrets permissions (get, list)",
        "grant no secret, certificate or storage permissions",
        {},
    ],
    [
        "access policy granting key management",
        vaultAccessPolicies,
        native(
            (p) =>
                (p.properties.accessPolicies = [
                    { tenantId: "t", objectId: "o", permissions: { keys: ["get", "create", "delete"] } },
                ]),
        ),
        "permissions.keys grants create, delete",
        "grant only get, wrapKey, unwrapKey",
        {},
    ],
    [
        "AccessPolicy resource granting all",
        vaultAccessPolicies,
        nativePolicy((p) => (p.policy.permissions.keys = ["all"])),
        'policy.permissions.keys grants "all"',
        "grant only the named key permissions",
        {},
    ],
    [
        "classic: vault access policy granting All",
        vaultAccessPolicies,
        classic((p) => (p.accessPolicies = [{ tenantId: "t", objectId: "o", keyPermissions: ["All"] }])),
        'accessPolicies[0].keyPermissions grants "All"',
        "grant only the named key permissions",
        {},
    ],
    [
        "classic: AccessPolicy resource granting Purge",
        vaultAccessPolicies,
        classicPolicy((p) => p.keyPermissions.push("Purge")),
        'keyPermissions grants "Purge"',
        "grant only the named key permissions",
        {},
    ],
    [
        "generic: access policies granting all certificates",
        vaultAccessPolicies,
        genericPolicies((p) => (p.properties.accessPolicies[0].permissions.certificates = ["all"])),
        'properties.accessPolicies[0].permissions.certificates grants "all"',
        "grant only the named key permissions",
        {},
    ],
    [
        "elliptic-curve key",
        keyType,
        key((p) => (p.properties.kty = "EC")),
        'properties.kty is "EC"',
        "use RSA or RSA-HSM",
        {},
    ],
    [
        "software RSA key where the profile requires HSM",
        keyType,
        key((p) => (p.properties.kty = "RSA")),
        'properties.kty is "RSA": the compliance profile requires HSM-protected keys',
        "use RSA-HSM",
        hsm,
    ],
    [
        "1024-bit key",
        keyType,
        key((p) => (p.properties.keySize = 1024)),
        "properties.keySize is 1024",
        "at least 2048 bits",
        {},
    ],
    [
        "key type left out",
        keyType,
        key((p) => delete p.properties.kty),
        "properties.kty is not set",
        "use RSA or RSA-HSM",
        {},
    ],
    [
        "classic: elliptic-curve key",
        keyType,
        classicKey((p) => (p.keyType = "EC")),
        'keyType is "EC"',
        "use RSA or RSA-HSM",
        {},
    ],
    [
        "generic: symmetric key",
        keyType,
        genericKey((p) => (p.properties.kty = "oct-HSM")),
        'properties.kty is "oct-HSM"',
        "use RSA or RSA-HSM",
        {},
    ],
    [
        "no rotate action",
        keyRotation,
        key(
            (p) =>
                (p.properties.rotationPolicy.lifetimeActions = [
                    { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "notify" } },
                ]),
        ),
        'properties.rotationPolicy.lifetimeActions have no "rotate" action',
        'action: { type: "rotate" }',
        {},
    ],
    [
        "rotation after three years",
        keyRotation,
        key((p) => (p.properties.rotationPolicy.lifetimeActions[0].trigger.timeAfterCreate = "P3Y")),
        'timeAfterCreate is "P3Y"',
        "rotate within 730 days",
        {},
    ],
    [
        "no expiry",
        keyRotation,
        key((p) => delete p.properties.rotationPolicy.attributes),
        "properties.rotationPolicy.attributes.expiryTime is not set",
        "set an expiry",
        {},
    ],
    [
        "no rotation policy at all",
        keyRotation,
        key((p) => delete p.properties.rotationPolicy),
        'have no "rotate" action',
        "rotate",
        {},
    ],
    [
        "classic: no automatic rotation",
        keyRotation,
        classicKey((p) => delete p.rotationPolicy.automatic),
        "rotationPolicy.automatic is not set",
        "timeAfterCreation",
        {},
    ],
    [
        "classic: no expiry",
        keyRotation,
        classicKey((p) => delete p.rotationPolicy.expireAfter),
        "rotationPolicy.expireAfter is not set",
        "expireAfter",
        {},
    ],
    [
        "generic: no rotation policy",
        keyRotation,
        genericKey((p) => delete p.properties.rotationPolicy),
        'have no "rotate" action',
        "rotate",
        {},
    ],
];

describe("Key Vault rules", () => {
    it.each(broken)(
        "%s: a violation naming the resource, the property and the fix",
        async (_label, policy, resource, property, fix, config) => {
            const out = await runResource(policy, resource, config);
            expect(out.notEvaluated).toBeUndefined();
            const message =
                out.violations.find((v) => v.message.includes(property))?.message ??
                `no violation names ${property}: ${JSON.stringify(out)}`;
            expect(message).toContain(`'${resource.name}'`);
            expect(message).toContain(property);
            expect(message).toContain(fix);
        },
    );

    const compliant: [PackPolicy, ResourceFixture[]][] = [
        [vaultSoftDelete, [native(), generic(), native((p) => delete p.properties.enableSoftDelete)]],
        [vaultPurgeProtection, [native(), classic(), generic()]],
        [
            vaultPublicNetworkAccess,
            [
                native(),
                classic(),
                generic(),
                native((p) => {
                    p.properties.publicNetworkAccess = "Enabled";
                    p.properties.networkAcls.virtualNetworkRules = [{ id: "/subnet" }];
                }),
            ],
        ],
        [
            vaultAccessPolicies,
            [
                native(),
                classic(),
                generic(),
                nativePolicy(),
                classicPolicy(),
                genericPolicies(),
                native((p) => (p.properties.accessPolicies = [accessPolicy().policy])),
            ],
        ],
        [keyType, [key(), classicKey(), genericKey(), key((p) => (p.properties.kty = "RSA"))]],
        [keyRotation, [key(), classicKey(), genericKey()]],
    ];
    it.each(compliant.map(([p, rs]) => [p.name, p, rs] as const))(
        "%s: compliant native, classic and generic resources pass; other types are not-applicable",
        async (_n, policy, resources) => {
            for (const r of resources)
                expect({ name: r.name, ...(await runResource(policy, r)) }).toEqual({ name: r.name, violations: [] });
            const other = await runResource(policy, { type: types.workspace, name: "law", props: workspace() });
            expect(other.notApplicable).toMatch(/^applies to .* only$/);
            const storage = await runResource(policy, {
                type: types.genericResource,
                name: "st",
                props: { resourceProviderNamespace: "Microsoft.Storage", resourceType: "storageAccounts" },
            });
            expect(storage.notApplicable).toMatch(
                /generic resource of "Microsoft.Storage\/storageAccounts", not microsoft.keyvault/,
            );
        },
    );

    it("HSM keys pass where the profile requires them", async () => {
        expect((await runResource(keyType, key(), hsm)).violations).toEqual([]);
        expect((await runResource(keyType, classicKey(), hsm)).violations).toEqual([]);
    });

    it("the classic vault has no soft-delete switch: not-applicable, with the reason", async () => {
        expect((await runResource(vaultSoftDelete, classic())).notApplicable).toMatch(/azurerm always enables it/);
    });

    it("judges vaults and keys of explicit API versions as the same resources", async () => {
        const out = await runResource(vaultPurgeProtection, {
            type: "azure-native:keyvault/v20250501:Vault",
            name: "kv",
            props: native((p) => (p.properties.enablePurgeProtection = false)).props,
        });
        expect(out.violations).toHaveLength(1);
    });

    it("an unknown security flag (preview) is not-evaluated, never a pass", async () => {
        const out = await runResource(
            vaultPurgeProtection,
            native((p) => (p.properties.enablePurgeProtection = UNKNOWN)),
        );
        expect(out.violations).toEqual([]);
        expect(out.notEvaluated).toMatch(/enablePurgeProtection/);
        expect(
            (
                await runResource(
                    vaultPublicNetworkAccess,
                    native((p) => (p.properties.publicNetworkAccess = UNKNOWN)),
                )
            ).notEvaluated,
        ).toMatch(/publicNetworkAccess/);
    });

    it("reads ISO 8601 durations of days, months and years", () => {
        expect([
            durationDays("P365D"),
            durationDays("P1Y"),
            durationDays("P18M"),
            durationDays("P1Y6M"),
            durationDays("PT1H"),
            durationDays(undefined),
        ]).toEqual([365, 365, 540, 545, undefined, undefined]);
    });
});
