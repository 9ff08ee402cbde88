/**
 * Least privilege on every scope of the landing zone: each scope the landing zone creates (account, deployment,
 * workspace, vault, key, resource group) and the scopes above it, each denied role, a user or a missing principal
 * type is one finding on the assignment; the roles the platform grants on each scope pass. Update and preview.
 */
import { builtInRoles, types } from "../../catalogue/azure";
import { roleAssignments } from "../../policies/rbac";
import { buildStack, runStack, StackFixture, UNKNOWN, urnOf } from "./harness";
import { accountId, compliantStack, rgId, sub, workspaceId } from "./fixtures";

const vaultId = `${rgId}/providers/Microsoft.KeyVault/vaults/kv-contoso-weu`;
const keyId = `${vaultId}/keys/openai-cmk`;
const deploymentId = `${accountId}/deployments/chat-gpt4o`;
const role = (id: string) => `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${id}`;

/** The compliant stack with a vault and its key (CMK profiles), as the engine sends it in each mode. */
function landingZone(preview: boolean): StackFixture[] {
    const id = (v: string) => (preview ? UNKNOWN : v);
    return [
        ...compliantStack(preview),
        {
            type: types.vault,
            name: "cmk-vault",
            props: { vaultName: "kv-contoso-weu", location: "westeurope", id: id(vaultId) },
            protect: true,
        },
        {
            type: types.vaultKey,
            name: "cmk-key",
            parent: "cmk-vault",
            props: { keyName: "openai-cmk", vaultName: preview ? UNKNOWN : "kv-contoso-weu", id: id(keyId) },
            deps: { vaultName: ["cmk-vault"] },
        },
    ];
}

/** Scopes of the landing zone: the resource the assignment's scope comes from (preview) and its id (update). */
const scopes: { scope: string; resource?: string; id: string }[] = [
    { scope: "account", resource: "openai", id: accountId },
    { scope: "deployment", resource: "chat-gpt4o", id: deploymentId },
    { scope: "workspace", resource: "law", id: workspaceId },
    { scope: "vault", resource: "cmk-vault", id: vaultId },
    { scope: "key", resource: "cmk-key", id: keyId },
    { scope: "resource group", resource: "rg", id: rgId },
];
/** Scopes outside the stack, known by id in both modes. */
const externalScopes: { scope: string; id: string }[] = [
    { scope: "subscription", id: `/subscriptions/${sub}` },
    { scope: "another resource group", id: `/subscriptions/${sub}/resourceGroups/rg-shared` },
    { scope: "management group", id: "/providers/Microsoft.Management/managementGroups/contoso" },
    {
        scope: "another account",
        id: `/subscriptions/${sub}/resourceGroups/rg-shared/providers/Microsoft.CognitiveServices/accounts/other`,
    },
    {
        scope: "another vault's key",
        id: `/subscriptions/${sub}/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/other/keys/k`,
    },
];

/** `principalType` null: left out, as a program that forgets it would. */
const grant = (
    preview: boolean,
    scope: { resource?: string; id: string },
    roleId: string,
    principalType: string | null = "Group",
): StackFixture => ({
    type: types.roleAssignment,
    name: "grant",
    props: {
        scope: scope.resource && preview ? UNKNOWN : scope.id,
        principalId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        roleDefinitionId: role(roleId),
        ...(principalType === null ? {} : { principalType }),
    },
    deps: scope.resource ? { scope: [scope.resource] } : {},
});

const denied: [string, string][] = [
    ["Owner", builtInRoles.owner],
    ["Contributor", builtInRoles.contributor],
    ["User Access Administrator", builtInRoles.userAccessAdministrator],
    ["Role Based Access Control Administrator", builtInRoles.roleBasedAccessControlAdministrator],
    ["Cognitive Services Contributor", builtInRoles.cognitiveServicesContributor],
];

const judge = async (preview: boolean, extra: StackFixture) =>
    runStack(roleAssignments, buildStack("eu-prod", [...landingZone(preview), extra]));
const grantUrn = urnOf("eu-prod", types.roleAssignment, "grant");

describe.each([
    ["update", false],
    ["preview", true],
] as const)("least privilege, %s", (_mode, preview) => {
    it("the landing zone as the platform builds it passes", async () => {
        const unwrap = grant(preview, scopes[4], builtInRoles.keyVaultCryptoServiceEncryptionUser, "ServicePrincipal");
        expect(await judge(preview, unwrap)).toEqual({ violations: [] });
    });

    describe.each([...scopes, ...externalScopes])("on the $scope", (scope) => {
        it.each(denied)("%s is one finding naming the role and the scope", async (_name, roleId) => {
            const out = await judge(preview, grant(preview, scope, roleId));
            expect(out.notEvaluated).toBeUndefined();
            expect(out.violations).toEqual([
                {
                    urn: grantUrn,
                    message: expect.stringMatching(
                        new RegExp(
                            `^RoleAssignment 'grant': roleDefinitionId grants \\w+ \\(${roleId}\\) on .+, which can grant access or read keys: grant a least-privilege`,
                        ),
                    ),
                },
            ]);
        });
        it("a user principal is a finding, and so is a missing principalType", async () => {
            for (const principalType of ["User", null]) {
                const out = await judge(preview, grant(preview, scope, builtInRoles.reader, principalType));
                expect(out.violations.filter((v) => v.message.includes("principalType"))).toEqual([
                    {
                        urn: grantUrn,
                        message: expect.stringContaining(
                            `principalType is ${principalType === null ? "not set" : '"User": roles go to groups'}`,
                        ),
                    },
                ]);
            }
        });
    });

    it.each([
        [
            "account",
            scopes[0],
            [
                builtInRoles.cognitiveServicesOpenAiUser,
                builtInRoles.cognitiveServicesOpenAiContributor,
                builtInRoles.cognitiveServicesUser,
                builtInRoles.reader,
            ],
        ],
        ["deployment", scopes[1], [builtInRoles.cognitiveServicesOpenAiUser, builtInRoles.reader]],
        ["workspace", scopes[2], [builtInRoles.logAnalyticsReader, builtInRoles.reader]],
        ["vault", scopes[3], [builtInRoles.keyVaultCryptoServiceEncryptionUser]],
        ["key", scopes[4], [builtInRoles.keyVaultCryptoServiceEncryptionUser]],
    ] as const)("the platform's roles on the %s pass (passing twins)", async (_s, scope, roles) => {
        for (const roleId of roles)
            expect({ roleId, ...(await judge(preview, grant(preview, scope, roleId, "ServicePrincipal"))) }).toEqual({
                roleId,
                violations: [],
            });
    });

    it.each([
        [
            "a Log Analytics role on the account",
            scopes[0],
            builtInRoles.logAnalyticsReader,
            "not a role the platform grants on the Azure OpenAI account",
        ],
        [
            "the OpenAI data-plane role on the workspace",
            scopes[2],
            builtInRoles.cognitiveServicesOpenAiUser,
            "not a role the platform grants on the audit workspace",
        ],
        [
            "Reader on the key (it reads key metadata)",
            scopes[4],
            builtInRoles.reader,
            "not a role the platform grants on the Key Vault",
        ],
        [
            "Key Vault Crypto Officer on the vault (it manages keys)",
            scopes[3],
            builtInRoles.keyVaultCryptoOfficer,
            "not a role the platform grants on the Key Vault",
        ],
        [
            "Reader on the resource group",
            scopes[5],
            builtInRoles.reader,
            "not a role the platform grants on a resource group, subscription or management group",
        ],
        [
            "a custom role on the workspace",
            scopes[2],
            "11111111-2222-4333-8444-555555555555",
            "(a custom or unlisted role), not a role the platform grants",
        ],
    ])("%s is a finding", async (_l, scope, roleId, message) => {
        const out = await judge(preview, grant(preview, scope, roleId, "ServicePrincipal"));
        expect(out.violations).toEqual([{ urn: grantUrn, message: expect.stringContaining(message) }]);
    });
});

describe("least privilege: what is outside the landing zone and what cannot be known", () => {
    it("a role on a resource outside the landing zone's kinds of scope (known by id) is not this rule's", async () => {
        const storage = {
            id: `/subscriptions/${sub}/resourceGroups/rg-shared/providers/Microsoft.Storage/storageAccounts/data`,
        };
        expect(await judge(false, grant(false, storage, builtInRoles.owner))).toEqual({ violations: [] });
    });

    it("a denied role on any other resource of the stack is still a finding", async () => {
        const out = await judge(
            false,
            grant(
                false,
                {
                    resource: "openai-pe",
                    id: `${rgId}/providers/Microsoft.Network/privateEndpoints/pe-contoso-weu-openai`,
                },
                builtInRoles.owner,
            ),
        );
        expect(out.violations).toEqual([
            { urn: grantUrn, message: expect.stringContaining("on a resource of the landing zone") },
        ]);
    });

    it("an unknown scope derived from no resource is not-evaluated, never a pass", async () => {
        const out = await judge(true, { ...grant(true, { id: UNKNOWN }, builtInRoles.owner), deps: {} });
        expect(out.violations).toEqual([]);
        expect(out.notEvaluated).toMatch(/the target of scope/);
    });

    it("an id built from the resource group and the account is judged as the account (the most specific)", async () => {
        const ra = {
            ...grant(true, scopes[0], builtInRoles.cognitiveServicesOpenAiUser),
            deps: { scope: ["rg", "openai"] },
        };
        expect(await judge(true, ra)).toEqual({ violations: [] });
        const owner = { ...grant(true, scopes[0], builtInRoles.owner), deps: { scope: ["rg", "openai"] } };
        expect((await judge(true, owner)).violations).toHaveLength(1);
    });

    it("a profile's config can narrow a scope's roles", async () => {
        const out = await runStack(
            roleAssignments,
            buildStack("eu-prod", [
                ...landingZone(false),
                grant(false, scopes[0], builtInRoles.cognitiveServicesOpenAiContributor),
            ]),
            { allowedAccountRoleIds: [builtInRoles.cognitiveServicesOpenAiUser] },
        );
        expect(out.violations).toEqual([
            { urn: grantUrn, message: expect.stringContaining("grant one of cognitiveServicesOpenAiUser") },
        ]);
    });
});

describe("least privilege on a vault with access policies (what Azure OpenAI's customer-managed key requires)", () => {
    const principal = "7f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f";
    /** The landing zone with the account's system identity and its grant on the vault, as OpenAiAccount creates it. */
    const zone = (
        preview: boolean,
        policy: Record<string, unknown> = {},
        deps: Record<string, string[]> = { policy: ["openai"] },
        inline?: unknown[],
    ): StackFixture[] =>
        landingZone(preview)
            .map((f) => {
                if (f.name === "openai")
                    return {
                        ...f,
                        props: {
                            ...f.props,
                            identity: { type: "SystemAssigned", principalId: preview ? UNKNOWN : principal },
                        },
                    };
                if (f.name === "cmk-vault" && inline)
                    return {
                        ...f,
                        props: { ...f.props, properties: { enableRbacAuthorization: false, accessPolicies: inline } },
                    };
                return f;
            })
            .concat([
                {
                    type: types.vaultAccessPolicy,
                    name: "openai-cmk-access",
                    deps,
                    props: {
                        vaultName: "kv-contoso-weu",
                        policy: {
                            tenantId: sub,
                            objectId: preview ? UNKNOWN : principal,
                            permissions: { keys: ["get", "wrapKey", "unwrapKey"] },
                            ...policy,
                        },
                    },
                },
            ]);
    const judgeZone = (fixtures: StackFixture[]) => runStack(roleAssignments, buildStack("eu-prod", fixtures));
    const accessUrn = urnOf("eu-prod", types.vaultAccessPolicy, "openai-cmk-access");

    it.each([
        ["update", false],
        ["preview", true],
    ] as const)("the account identity's get, wrapKey and unwrapKey pass (%s)", async (_m, preview) => {
        expect(await judgeZone(zone(preview))).toEqual({ violations: [] });
    });

    it.each([
        [
            "a key permission beyond unwrapping",
            { permissions: { keys: ["get", "wrapKey", "unwrapKey", "purge"] } },
            "policy.permissions.keys grant purge beyond unwrapping the key: grant only get, wrapKey, unwrapKey",
        ],
        [
            "secrets",
            { permissions: { keys: ["get", "wrapKey", "unwrapKey"], secrets: ["get"] } },
            "policy.permissions.secrets grant get: grant no secrets permission",
        ],
        [
            "certificates",
            { permissions: { keys: ["get", "wrapKey", "unwrapKey"], certificates: ["list"] } },
            "policy.permissions.certificates grant list: grant no certificates permission",
        ],
    ])("%s is a finding on the access policy", async (_l, policy, message) => {
        expect(await judgeZone(zone(false, policy))).toEqual({
            violations: [{ urn: accessUrn, message: expect.stringContaining(message) }],
        });
    });

    it("access for a principal that is not an account's identity is a finding; the account's identity by id passes", async () => {
        expect(await judgeZone(zone(false, { objectId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" }, {}))).toEqual({
            violations: [
                {
                    urn: accessUrn,
                    message: expect.stringContaining(
                        'policy.objectId is "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", not the identity of an Azure OpenAI account of this stack',
                    ),
                },
            ],
        });
        expect(await judgeZone(zone(false, {}, {}))).toEqual({ violations: [] });
    });

    it("an object id unknown in a preview and derived from no account is not-evaluated, never a pass", async () => {
        const out = await judgeZone(zone(true, {}, {}));
        expect(out.violations).toEqual([]);
        expect(out.notEvaluated).toMatch(/policy\.objectId/);
    });

    it("the vault's own access-policy list is held to the same: a user with every permission is a finding; an empty list passes", async () => {
        const vaultUrn = urnOf("eu-prod", types.vault, "cmk-vault");
        const all = {
            tenantId: sub,
            objectId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            permissions: { keys: ["all"], secrets: ["all"] },
        };
        expect((await judgeZone(zone(false, {}, undefined, [all]))).violations).toEqual([
            {
                urn: vaultUrn,
                message: expect.stringContaining(
                    "properties.accessPolicies[0].permissions.keys grant all beyond unwrapping the key",
                ),
            },
            {
                urn: vaultUrn,
                message: expect.stringContaining("properties.accessPolicies[0].permissions.secrets grant all"),
            },
            {
                urn: vaultUrn,
                message: expect.stringContaining(
                    'properties.accessPolicies[0].objectId is "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"',
                ),
            },
        ]);
        expect(await judgeZone(zone(false, {}, undefined, []))).toEqual({ violations: [] });
    });
});
