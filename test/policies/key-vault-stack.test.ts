/**
 * The Key Vault family's stack rules on the compliant stack: the access model (RBAC, or access policies only on an
 * Azure OpenAI account's customer-managed-key vault, whichever way the account reaches it) and the vault's audit logs;
 * each weakened in update (ids known) and preview (links by URN only).
 */
import { types } from "../../catalogue/azure";
import { vaultAccessModel, vaultDiagnostics } from "../../policies/key-vault-stack";
import { buildStack, runStack, StackFixture, UNKNOWN, urnOf } from "./harness";
import { accessPolicy, classicVault, compliantStack, genericVault, mutate, workspaceId } from "./fixtures";

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const modes = [
    ["update", false],
    ["preview", true],
] as const;
const run = (policy: typeof vaultAccessModel, fixtures: StackFixture[]) =>
    runStack(policy, buildStack("eu-prod", fixtures));
/** The compliant stack with the vault on access policies (enableRbacAuthorization false). */
const accessPolicyVault = (preview: boolean) =>
    mutate(compliantStack(preview), "kv", (f) => {
        (f.props as Props).properties.enableRbacAuthorization = false;
    });
const withoutAccountLink = (fixtures: StackFixture[]) =>
    mutate(fixtures, "openai", (f) => {
        (f.props as Props).properties.encryption.keyVaultProperties.keyVaultUri =
            "https://kv-elsewhere.vault.azure.net/";
        delete f.deps?.properties;
    });

describe.each(modes)("Key Vault access model, %s", (_mode, preview) => {
    it("passes an RBAC vault", async () => {
        expect(await run(vaultAccessModel, compliantStack(preview))).toEqual({ violations: [] });
    });

    it("passes access policies on the vault holding an account's customer-managed key (linked by the account's key URI or a key of the vault)", async () => {
        const viaUri = accessPolicyVault(preview);
        const viaKey = mutate(withoutAccountLink(accessPolicyVault(preview)), "openai", (f) => {
            f.deps = { ...f.deps, properties: ["kv-key"] };
        });
        for (const fixtures of [viaUri, viaKey]) {
            if (preview && fixtures === viaUri) continue; // in preview the URI is a plain string: covered in update
            expect(await run(vaultAccessModel, fixtures)).toEqual({ violations: [] });
        }
    });

    it("passes access policies granted to an account's identity through an AccessPolicy resource (the system-assigned CMK design)", async () => {
        const fixtures: StackFixture[] = [
            ...withoutAccountLink(accessPolicyVault(preview)),
            {
                type: types.vaultAccessPolicy,
                name: "kv-access",
                props: {
                    ...accessPolicy(),
                    vaultName: preview ? UNKNOWN : "kv-contoso",
                    policy: {
                        ...accessPolicy().policy,
                        objectId: preview ? UNKNOWN : "0d9b7a45-6c21-4d8e-9f3a-1b2c3d4e5f60",
                    },
                },
                deps: { vaultName: ["kv"], policy: ["openai"] },
            },
        ];
        expect(await run(vaultAccessModel, fixtures)).toEqual({ violations: [] });
    });

    it("refuses access policies on a vault that holds no account's key", async () => {
        const out = await run(vaultAccessModel, withoutAccountLink(accessPolicyVault(preview)));
        expect(out.violations).toHaveLength(1);
        expect(out.violations[0]).toMatchObject({ urn: urnOf("eu-prod", types.vault, "kv") });
        expect(out.violations[0].message).toContain(
            "Vault 'kv': properties.enableRbacAuthorization is false (access policies) and the vault holds no Azure OpenAI account's customer-managed key: set it to true",
        );
    });

    it("refuses a vault that leaves the model to Azure's default (access policies), and judges classic and generic vaults", async () => {
        const fixtures: StackFixture[] = [
            ...mutate(compliantStack(preview), "kv", (f) => {
                delete (f.props as Props).properties.enableRbacAuthorization;
            }).map((f) => (f.name === "openai" ? withoutAccountLink([f])[0] : f)),
            {
                type: types.classicVault,
                name: "kv-classic",
                props: { ...classicVault(), rbacAuthorizationEnabled: false },
            },
            {
                type: types.genericResource,
                name: "kv-generic",
                props: {
                    ...genericVault(),
                    properties: { ...genericVault().properties, enableRbacAuthorization: false },
                },
            },
        ];
        const out = await run(vaultAccessModel, fixtures);
        expect(out.violations.map((v) => v.message.split(":")[0]).sort()).toEqual([
            "KeyVault 'kv-classic'",
            "Resource 'kv-generic'",
            "Vault 'kv'",
        ]);
        expect(out.violations.find((v) => v.message.startsWith("Vault"))?.message).toContain(
            "is not set (access policies, Azure's default)",
        );
    });
});

describe.each(modes)("Key Vault audit diagnostics, %s", (_mode, preview) => {
    const drop = (name: string) => compliantStack(preview).filter((f) => f.name !== name);
    const change = (fn: (p: Props, f: StackFixture) => void) =>
        mutate(compliantStack(preview), "kv-diagnostics", (f) => fn(f.props as Props, f));

    it("passes a vault whose audit group goes to the stack's workspace, or whose AuditEvent category goes to a workspace by id", async () => {
        expect(await run(vaultDiagnostics, compliantStack(preview))).toEqual({ violations: [] });
        const byCategory = change((p) => {
            p.logs = [{ category: "AuditEvent", enabled: true }];
        });
        expect(await run(vaultDiagnostics, byCategory)).toEqual({ violations: [] });
        const external = change((p, f) => {
            p.workspaceId = workspaceId.replace("law-contoso-weu", "law-central");
            delete f.deps!.workspaceId;
        });
        expect(await run(vaultDiagnostics, external)).toEqual({ violations: [] });
    });

    it.each([
        [
            "no diagnostic setting",
            () => drop("kv-diagnostics"),
            "diagnostic setting is missing, so key use is not audited",
        ],
        [
            "metrics only",
            () =>
                change((p) => {
                    p.logs = [];
                }),
            "logs enable neither the AuditEvent category nor the audit/allLogs category group",
        ],
        [
            "audit logs disabled",
            () =>
                change((p) => {
                    p.logs = p.logs.map((l: Props) => ({ ...l, enabled: false }));
                }),
            "logs enable neither",
        ],
        [
            "sent to a storage account",
            () =>
                change((p, f) => {
                    delete p.workspaceId;
                    delete f.deps!.workspaceId;
                    p.storageAccountId =
                        "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/st";
                }),
            "workspaceId does not point to a Log Analytics workspace",
        ],
    ])("refuses a vault with %s", async (_l, fixtures, message) => {
        const out = await run(vaultDiagnostics, fixtures());
        expect(out.violations).toHaveLength(1);
        expect(out.violations[0]).toMatchObject({ urn: urnOf("eu-prod", types.vault, "kv") });
        expect(out.violations[0].message).toContain(message);
    });

    it("refuses a classic or generic vault without audit logs", async () => {
        const fixtures: StackFixture[] = [
            ...compliantStack(preview),
            { type: types.classicVault, name: "kv-classic", props: classicVault() },
            { type: types.genericResource, name: "kv-generic", props: genericVault() },
        ];
        const out = await run(vaultDiagnostics, fixtures);
        expect(out.violations.map((v) => v.urn).sort()).toEqual(
            [
                urnOf("eu-prod", types.genericResource, "kv-generic"),
                urnOf("eu-prod", types.classicVault, "kv-classic"),
            ].sort(),
        );
    });
});
