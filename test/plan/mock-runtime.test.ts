import { runProgram, unknownSentinel, ProgramRunError } from "../../plan/mock-runtime";

async function program() {
    const cs = await import("@pulumi/azure-native/cognitiveservices");
    const network = await import("@pulumi/azure-native/network");
    const authorization = await import("@pulumi/azure-native/authorization");
    const client = await authorization.getClientConfig();
    const account = new cs.Account(
        "acct",
        {
            resourceGroupName: "rg-a",
            accountName: "oai-a",
            kind: "OpenAI",
            sku: { name: "S0" },
            properties: { customSubDomainName: "oai-a" },
        },
        { protect: true },
    );
    new network.PrivateEndpoint("pe", {
        resourceGroupName: "rg-a",
        subnet: { id: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s" },
        privateLinkServiceConnections: [{ name: "c", groupIds: ["account"], privateLinkServiceId: account.id }],
    });
    return { endpoint: account.properties.endpoint, subscription: client.subscriptionId };
}

describe("runProgram", () => {
    it("records type, parent, inputs, protect and property dependencies of every registration", async () => {
        const run = await runProgram({ project: "p", stack: "s", config: {}, preview: false, program });
        const account = run.resources.find((r) => r.type === "azure-native:cognitiveservices:Account")!;
        const pe = run.resources.find((r) => r.type === "azure-native:network:PrivateEndpoint")!;
        expect(account.urn).toBe("urn:pulumi:s::p::azure-native:cognitiveservices:Account::acct");
        expect(account.parent).toBe("urn:pulumi:s::p::pulumi:pulumi:Stack::p-s");
        expect(account.protect).toBe(true);
        expect(account.id).toBe(
            "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-a/providers/Microsoft.CognitiveServices/accounts/oai-a",
        );
        expect(pe.propertyDependencies.privateLinkServiceConnections).toEqual([account.urn]);
        expect(
            (pe.inputs.privateLinkServiceConnections as { privateLinkServiceId: string }[])[0].privateLinkServiceId,
        ).toBe(account.id);
        expect(run.outputs).toEqual({
            endpoint: "https://oai-a.openai.azure.com/",
            subscription: "00000000-0000-4000-8000-000000000001",
        });
        expect(run.invokes.map((i) => i.token)).toEqual(["azure-native:authorization:getClientConfig"]);
    });

    it("leaves ids and computed outputs unknown in preview, as pulumi preview does", async () => {
        const run = await runProgram({ project: "p", stack: "s", config: {}, preview: true, program });
        const pe = run.resources.find((r) => r.type === "azure-native:network:PrivateEndpoint")!;
        expect(
            (pe.inputs.privateLinkServiceConnections as { privateLinkServiceId: string }[])[0].privateLinkServiceId,
        ).toBe(unknownSentinel);
        expect(run.resources.find((r) => r.type === "azure-native:cognitiveservices:Account")!.id).toBeUndefined();
    });

    it("answers with the provider's outputs, which the program sees: a preview's name unknown, path parameters absent", async () => {
        const run = await runProgram({
            project: "p",
            stack: "s",
            config: {},
            preview: true,
            program: async () => {
                const cs = await import("@pulumi/azure-native/cognitiveservices");
                const account = new cs.Account("acct", {
                    resourceGroupName: "rg-a",
                    accountName: "oai-a",
                    kind: "OpenAI",
                    sku: { name: "S0" },
                });
                // A deployment given the account's name output: unknown in a preview, as azure-native leaves `name` unknown.
                const d = new cs.Deployment("d", {
                    resourceGroupName: "rg-a",
                    accountName: account.name,
                    properties: { model: { format: "OpenAI", name: "gpt-4o", version: "2024-11-20" } },
                });
                return { deploymentAccount: d.id };
            },
        });
        const account = run.resources.find((r) => r.type === "azure-native:cognitiveservices:Account")!;
        expect(account.outputs).toMatchObject({ name: unknownSentinel, id: unknownSentinel, kind: "OpenAI" });
        expect(account.outputs).not.toHaveProperty("accountName");
        expect(
            run.resources.find((r) => r.type === "azure-native:cognitiveservices:Deployment")!.inputs.accountName,
        ).toBe(unknownSentinel);
    });

    it("keeps the SDK's client-side defaults: one unknown inside an account's properties makes the whole properties unknown, inputs and outputs", async () => {
        const run = await runProgram({
            project: "p",
            stack: "s",
            config: {},
            preview: true,
            program: async () => {
                const cs = await import("@pulumi/azure-native/cognitiveservices");
                const keyvault = await import("@pulumi/azure-native/keyvault");
                const vault = new keyvault.Vault("kv", {
                    resourceGroupName: "rg-a",
                    properties: { tenantId: "t", sku: { family: "A", name: "standard" } },
                });
                new cs.Account("acct", {
                    resourceGroupName: "rg-a",
                    kind: "OpenAI",
                    sku: { name: "S0" },
                    properties: {
                        publicNetworkAccess: "Disabled",
                        encryption: {
                            keySource: "Microsoft.KeyVault",
                            keyVaultProperties: { keyVaultUri: vault.properties.vaultUri, keyName: "cmk" },
                        },
                    },
                });
            },
        });
        const account = run.resources.find((r) => r.type === "azure-native:cognitiveservices:Account")!;
        expect(account.inputs.properties).toBe(unknownSentinel);
        expect(account.outputs!.properties).toBe(unknownSentinel);
    });

    it("fails naming an invoke it has no placeholder for", async () => {
        const run = runProgram({
            project: "p",
            stack: "s",
            config: {},
            preview: false,
            program: async () => {
                const pulumi = await import("@pulumi/pulumi");
                await pulumi.runtime.invoke("azure-native:network:getVirtualNetwork", { virtualNetworkName: "v" });
            },
        });
        await expect(run).rejects.toThrow(ProgramRunError);
        await expect(run).rejects.toThrow(/azure-native:network:getVirtualNetwork/);
    });

    it("fails with the program's own error when it throws", async () => {
        await expect(
            runProgram({
                project: "p",
                stack: "s",
                config: {},
                preview: false,
                program: () => {
                    throw new Error("boom in program");
                },
            }),
        ).rejects.toThrow(/boom in program/);
    });
});
