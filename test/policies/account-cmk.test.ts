/**
 * The customer-managed key rule over a stack: the key on the account, a vault with legacy access policies and purge
 * protection, the account's system identity granted get/wrapKey/unwrapKey, and the first phase of a new account
 * (identity granted, no encryption yet, no deployment) reported as advisory. In update and in preview.
 */
import { types } from "../../catalogue/azure";
import { customerManagedKey } from "../../policies/account";
import { buildStack, runStack, StackFixture, UNKNOWN } from "./harness";
import { account, accountId, classicAccount, deployment, rgId, sub, tags } from "./fixtures";

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const required = { requireCustomerManagedKey: true };
const vaultId = `${rgId}/providers/Microsoft.KeyVault/vaults/kv-contoso`;

/** An account's outputs: its inputs less the URL path parameters (plan/provider/outputs.ts). */
function outputsOf(inputs: Props): Props {
    const { accountName: _a, resourceGroupName: _g, ...rest } = inputs;
    return rest;
}

/**
 * An account encrypting with a key in a vault of the same stack, as CustomerManagedKey and OpenAiAccount create them,
 * shaped as the engine sends AnalyzeStack: outputs, with names and ids unknown in a preview.
 */
function cmkStack(
    preview: boolean,
    change: (byName: Record<string, StackFixture>) => void = () => undefined,
): StackFixture[] {
    const id = (v: string) => (preview ? UNKNOWN : v);
    const fixtures: StackFixture[] = [
        { type: "pulumi:pulumi:Stack", name: "azure-openai-landing-zone-us-prod", props: {} },
        {
            type: types.vault,
            name: "cmk-vault",
            props: {
                name: id("kv-contoso"),
                location: "westeurope",
                tags,
                id: id(vaultId),
                properties: {
                    tenantId: sub,
                    enableRbacAuthorization: false,
                    enableSoftDelete: true,
                    enablePurgeProtection: true,
                    publicNetworkAccess: "Disabled",
                },
            },
            protect: true,
        },
        {
            type: types.vaultKey,
            name: "cmk-key",
            props: { name: id("cmk"), id: id(`${vaultId}/keys/cmk`), properties: { kty: "RSA-HSM", keySize: 2048 } },
            deps: { vaultName: ["cmk-vault"] },
        },
        // The account's key settings come from the vault's and the key's outputs (OpenAiAccount): linked by URN.
        {
            type: types.account,
            name: "openai",
            props: {
                ...outputsOf(account()),
                name: id("contoso-weu-openai"),
                id: id(accountId),
                identity: { type: "SystemAssigned", principalId: id("7f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f") },
            },
            protect: true,
            deps: { properties: ["cmk-vault", "cmk-key"] },
        },
        {
            type: types.vaultAccessPolicy,
            name: "openai-cmk-access",
            props: {
                vaultName: "kv-contoso",
                resourceGroupName: "rg-contoso-weu-openai",
                policy: {
                    tenantId: sub,
                    objectId: id("7f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f"),
                    permissions: { keys: ["get", "wrapKey", "unwrapKey"] },
                },
            },
            deps: { policy: ["openai"] },
            protect: true,
        },
        { type: types.deployment, name: "chat", props: deployment(), deps: { accountName: ["openai"] } },
    ];
    change(Object.fromEntries(fixtures.map((f) => [f.name, f])));
    return fixtures;
}

const props = (f: StackFixture) => f.props as Props;
const without = (fixtures: StackFixture[], ...names: string[]) => fixtures.filter((f) => !names.includes(f.name));

describe.each([
    ["update", false],
    ["preview", true],
])("customer-managed key rule, %s", (_mode, preview) => {
    const run = (fixtures: StackFixture[], config: Record<string, unknown> = required) =>
        runStack(customerManagedKey, buildStack("us-prod", fixtures), config);

    it("passes an account encrypting with its key, the vault on access policies and the identity granted", async () => {
        expect(await run(cmkStack(preview))).toEqual({ violations: [] });
    });

    it("refuses Microsoft-managed keys on an account that serves deployments", async () => {
        const out = await run(cmkStack(preview, (s) => delete props(s.openai).properties.encryption));
        expect(out.violations).toHaveLength(1);
        expect(out.violations[0]).toMatchObject({
            message: expect.stringContaining(
                "Account 'openai': properties.encryption.keySource is not set (Microsoft-managed keys)",
            ),
        });
        // At the policy's own level (mandatory unless a profile's config lowers it), not an advisory of its own.
        expect(out.violations[0].enforcementLevel).toBeUndefined();
        expect(out.violations[0].message).toContain("stack config: customerManagedKey");
    });

    it("reports the first phase of a new account (identity granted, no deployment yet) as advisory, naming the next step", async () => {
        const out = await run(
            without(
                cmkStack(preview, (s) => delete props(s.openai).properties.encryption),
                "chat",
            ),
        );
        expect(out.violations).toEqual([
            expect.objectContaining({
                enforcementLevel: "advisory",
                message: expect.stringContaining(
                    "properties.encryption is not set yet while its identity is granted the key and no model is deployed",
                ),
            }),
        ]);
        expect(out.violations[0].message).toContain("customerManagedKey.phase: encrypt");
    });

    it("refuses an account without a key and without its identity's grant, even with no deployment", async () => {
        const out = await run(
            without(
                cmkStack(preview, (s) => delete props(s.openai).properties.encryption),
                "chat",
                "openai-cmk-access",
            ),
        );
        expect(out.violations.map((v) => v.enforcementLevel)).toEqual([undefined]);
    });

    it.each([
        [
            "a vault on RBAC authorization",
            (s: Record<string, StackFixture>) => (props(s["cmk-vault"]).properties.enableRbacAuthorization = true),
            "uses RBAC authorization, but Azure OpenAI's customer-managed keys require a vault with legacy access policies",
        ],
        [
            "a vault without purge protection",
            (s: Record<string, StackFixture>) => (props(s["cmk-vault"]).properties.enablePurgeProtection = false),
            "has no purge protection",
        ],
        [
            "a grant without wrapKey",
            (s: Record<string, StackFixture>) =>
                (props(s["openai-cmk-access"]).policy.permissions.keys = ["get", "unwrapKey"]),
            "key access is not granted in this stack",
        ],
        [
            "a key without a name",
            (s: Record<string, StackFixture>) =>
                delete props(s.openai).properties.encryption.keyVaultProperties.keyName,
            "properties.encryption.keyVaultProperties.keyName is not set",
        ],
    ])("refuses %s", async (_label, change, expected) => {
        const out = await run(cmkStack(preview, change));
        expect(out.violations).toEqual([
            { message: expect.stringContaining(expected), urn: expect.stringContaining("::openai") },
        ]);
    });

    it("refuses an account whose identity has no grant in the stack", async () => {
        const out = await run(without(cmkStack(preview), "openai-cmk-access"));
        // A preview does not know the vault's Azure name yet: the message names its Pulumi resource.
        expect(out.violations[0].message).toContain(
            `no keyvault.AccessPolicy gives the account's system identity get, wrapKey, unwrapKey on vault '${preview ? "cmk-vault" : "kv-contoso"}'`,
        );
    });

    it("judges the classic account's key too", async () => {
        const classic: StackFixture = {
            type: types.classicAccount,
            name: "openai-classic",
            props: { ...classicAccount(), customerManagedKey: undefined },
        };
        const out = await run([cmkStack(preview)[0], classic]);
        expect(out.violations[0].message).toContain(
            "Account 'openai-classic': customerManagedKey.keyVaultKeyId is not set",
        );
    });

    it("is not-applicable where the profile does not require a key", async () => {
        expect((await run(cmkStack(preview), {})).notApplicable).toMatch(/does not require a customer-managed key/);
    });
});

it("cannot judge an account whose properties are unknown (a new key's version in preview): not-evaluated, never a pass", async () => {
    const out = await runStack(
        customerManagedKey,
        buildStack(
            "us-prod",
            cmkStack(true, (s) => (s.openai.props.properties = UNKNOWN)),
        ),
        required,
    );
    expect(out.violations).toEqual([]);
    expect(out.notEvaluated).toBeDefined();
});
