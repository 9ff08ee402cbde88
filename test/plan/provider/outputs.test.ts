/**
 * The outputs the offline plan answers with, per provider and mode, against the rules of the providers' own sources
 * (plan/provider/outputs.ts): azure-native's PreviewOutputs and its test cases (provider/pkg/convert/
 * previewOutputs_test.go `TestPreviewOutputs`), its update responses, and Terraform-bridged state; every shape comes
 * from the installed SDK's declarations, never from a list kept here.
 */
import { checkedInputs } from "../../../plan/provider/check";
import { membersOf, shapeOf } from "../../../plan/provider/declarations";
import { providerOutputs, withProviderOutputs } from "../../../plan/provider/outputs";
import { objectSchema, resourceSchema } from "../../../plan/provider/sdk-schema";
import { placeholderClient } from "../../../plan/placeholders";
import { unknownSentinel as U } from "../../../plan/sentinel";

const account = "azure-native:cognitiveservices:Account";
const accountInputs = () => ({
    accountName: "oai-a",
    resourceGroupName: "rg-a",
    kind: "OpenAI",
    sku: { name: "S0" },
    location: "westeurope",
    identity: { type: "SystemAssigned" },
    properties: {
        customSubDomainName: "oai-a",
        publicNetworkAccess: "Disabled",
        networkAcls: { defaultAction: "Deny", ipRules: [] },
        disableLocalAuth: true,
    },
    tags: { owner: "ai" },
});

describe("reading the generated declarations", () => {
    it("reads members across comments, quotes and multi-line types, skipping methods", () => {
        const body = `
            /** The account's name (it's "quoted"; {braces}). */
            readonly name: pulumi.Output<string>;
            readonly tags: pulumi.Output<{
                [key: string]: string;
            } | undefined>;
            static get(name: string, id: pulumi.Input<pulumi.ID>): Account;
            constructor(name: string, args: AccountArgs);
            resourceName?: pulumi.Input<string | undefined>;`;
        expect(membersOf(body).map((m) => [m.name, m.optional])).toEqual([
            ["name", false],
            ["tags", false],
            ["resourceName", true],
        ]);
    });

    it("reads the shapes PreviewOutputs distinguishes", () => {
        expect(shapeOf("pulumi.Output<string | undefined>")).toEqual({ kind: "string" });
        expect(
            shapeOf("pulumi.Output<{\n [key: string]: outputs.consumption.NotificationResponse;\n } | undefined>"),
        ).toEqual({ kind: "map", values: { kind: "object", ref: "consumption.NotificationResponse" } });
        expect(shapeOf("outputs.network.PrivateDnsZoneConfigResponse[]")).toEqual({
            kind: "array",
            items: { kind: "object", ref: "network.PrivateDnsZoneConfigResponse" },
        });
        expect(shapeOf('"AAD"')).toEqual({ kind: "const", value: "AAD" });
        expect(shapeOf("outputs.a.One | outputs.a.Two")).toEqual({ kind: "union" });
        expect(shapeOf("pulumi.Output<any>")).toEqual({ kind: "any" });
    });
});

describe("what the installed SDK declares", () => {
    it("reads a class's outputs, its inputs, the inputs that are URL path parameters and the input naming it", () => {
        const schema = resourceSchema(account)!;
        expect([...schema.outputs.keys()].sort()).toEqual([
            "azureApiVersion",
            "etag",
            "identity",
            "kind",
            "location",
            "name",
            "properties",
            "sku",
            "systemData",
            "tags",
            "type",
        ]);
        expect(schema.inputOnly.sort()).toEqual(["accountName", "resourceGroupName"]);
        expect(schema.nameParameter).toBe("accountName");
        expect(schema.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
        expect(schema.outputs.get("properties")).toEqual({
            kind: "object",
            ref: "cognitiveservices.AccountPropertiesResponse",
        });
        expect(objectSchema("azure-native", "cognitiveservices.AccountPropertiesResponse")?.get("endpoint")).toEqual({
            kind: "string",
        });
    });

    it("finds the scope of extension resources and the parents of children as path parameters (absent from the outputs)", () => {
        expect(resourceSchema("azure-native:authorization:ManagementLockByScope")!.inputOnly.sort()).toEqual([
            "lockName",
            "scope",
        ]);
        expect(resourceSchema("azure-native:monitor:DiagnosticSetting")!.inputOnly).toEqual(["resourceUri"]);
        expect(resourceSchema("azure-native:consumption:Budget")!.inputOnly.sort()).toEqual(["budgetName", "scope"]);
        // A role assignment's scope is echoed by Azure: an output.
        expect(resourceSchema("azure-native:authorization:RoleAssignment")!.outputs.has("scope")).toBe(true);
        expect(resourceSchema("azure-native:cognitiveservices:RaiBlocklistItem")!.inputOnly.sort()).toEqual([
            "accountName",
            "raiBlocklistItemName",
            "raiBlocklistName",
            "resourceGroupName",
        ]);
    });

    it("reads a type no list of this repository names, and a bridged package's class", () => {
        const storage = resourceSchema("azure-native:storage:StorageAccount")!;
        expect(storage.inputOnly.sort()).toEqual(["accountName", "resourceGroupName"]);
        expect(storage.outputs.has("primaryEndpoints")).toBe(true);
        expect(resourceSchema("random:index/randomString:RandomString")!.outputs.get("result")).toEqual({
            kind: "string",
        });
        expect(resourceSchema("azure:cognitive/account:Account")).toBeUndefined();
    });
});

describe("azure-native in a preview: PreviewOutputs", () => {
    const out = providerOutputs(account, "acct", accountInputs(), true);

    it("drops the URL path parameters and leaves every response property the inputs do not set unknown", () => {
        expect(out).not.toHaveProperty("accountName");
        expect(out).not.toHaveProperty("resourceGroupName");
        expect(out).toMatchObject({
            name: U,
            id: U,
            type: U,
            etag: U,
            systemData: U,
            kind: "OpenAI",
            location: "westeurope",
            tags: { owner: "ai" },
        });
    });

    it("maps nested objects onto their response types: set properties kept, the others unknown, write-only ones dropped", () => {
        const props = out.properties as Record<string, unknown>;
        expect(props).toMatchObject({
            customSubDomainName: "oai-a",
            publicNetworkAccess: "Disabled",
            disableLocalAuth: true,
            endpoint: U,
            provisioningState: U,
            encryption: U,
        });
        expect(props.networkAcls).toEqual({ defaultAction: "Deny", ipRules: [], virtualNetworkRules: U, bypass: U });
        expect(out.identity).toMatchObject({
            type: "SystemAssigned",
            principalId: U,
            tenantId: U,
            userAssignedIdentities: U,
        });
        expect(out.sku).toMatchObject({ name: "S0", capacity: U });
    });

    it("follows previewOutputValue: a mismatched or unknown value is unknown, a set of ids given as a list is unknown", () => {
        const mismatch = providerOutputs(account, "acct", { ...accountInputs(), kind: 7, properties: U }, true);
        expect(mismatch.kind).toBe(U);
        expect(mismatch.properties).toBe(U);
        const withIds = providerOutputs(
            account,
            "acct",
            { ...accountInputs(), identity: { type: "UserAssigned", userAssignedIdentities: ["/subscriptions/x/id"] } },
            true,
        );
        expect((withIds.identity as Record<string, unknown>).userAssignedIdentities).toBe(U);
        // An array keeps its items, each mapped: a mismatched element alone becomes unknown.
        const fqdns = providerOutputs(
            account,
            "acct",
            { ...accountInputs(), properties: { allowedFqdnList: ["a.example.com", 3] } },
            true,
        );
        expect((fqdns.properties as Record<string, unknown>).allowedFqdnList).toEqual(["a.example.com", U]);
    });

    it("keeps a secret input secret", () => {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "OpenAI" };
        expect(providerOutputs(account, "acct", { ...accountInputs(), kind: secret }, true).kind).toEqual(secret);
    });
});

describe("azure-native in an update: Azure's response", () => {
    it("has id, name, type and read-only values known, the path parameters still absent", () => {
        const out = providerOutputs(account, "acct", accountInputs(), false);
        const sub = placeholderClient.subscriptionId;
        expect(out).not.toHaveProperty("accountName");
        expect(out).toMatchObject({
            id: `/subscriptions/${sub}/resourceGroups/rg-a/providers/Microsoft.CognitiveServices/accounts/oai-a`,
            name: "oai-a",
            type: "Microsoft.CognitiveServices/accounts",
            kind: "OpenAI",
            properties: {
                publicNetworkAccess: "Disabled",
                endpoint: "https://oai-a.openai.azure.com/",
                provisioningState: "Succeeded",
            },
            identity: { type: "SystemAssigned", tenantId: placeholderClient.tenantId },
        });
        expect(JSON.stringify(out)).not.toContain(U);
    });

    it("nests extension resources under their scope and children under their parent, and returns a key's properties flattened", () => {
        const scope = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/oai";
        const lock = providerOutputs(
            "azure-native:authorization:ManagementLockByScope",
            "lock",
            { scope, lockName: "no-delete", level: "CanNotDelete" },
            false,
        );
        expect(lock).toEqual({
            id: `${scope}/providers/Microsoft.Authorization/locks/no-delete`,
            name: "no-delete",
            type: "Microsoft.Authorization/locks",
            level: "CanNotDelete",
            azureApiVersion: expect.any(String),
        });
        const item = providerOutputs(
            "azure-native:cognitiveservices:RaiBlocklistItem",
            "item",
            {
                accountName: "oai",
                resourceGroupName: "rg",
                raiBlocklistName: "dlp",
                raiBlocklistItemName: "card",
                properties: { pattern: "\\d+", isRegex: true },
            },
            false,
        );
        expect(item.id).toMatch(/\/accounts\/oai\/raiBlocklists\/dlp\/raiBlocklistItems\/card$/);
        expect(item).not.toHaveProperty("raiBlocklistName");
        const key = providerOutputs(
            "azure-native:keyvault:Key",
            "key",
            { vaultName: "kv", resourceGroupName: "rg", keyName: "cmk", properties: { kty: "RSA-HSM", keySize: 2048 } },
            false,
        );
        expect(key).toMatchObject({ kty: "RSA-HSM", keySize: 2048, keyUri: "https://kv.vault.azure.net/keys/cmk" });
        expect(key).not.toHaveProperty("properties");
        // In a preview the provider maps by name only: the flattened values are unknown.
        expect(
            providerOutputs(
                "azure-native:keyvault:Key",
                "key",
                { vaultName: "kv", resourceGroupName: "rg", keyName: "cmk", properties: { kty: "RSA-HSM" } },
                true,
            ).kty,
        ).toBe(U);
    });

    it("names a generic ARM resource after its own inputs", () => {
        const generic = providerOutputs(
            "azure-native:resources:Resource",
            "g",
            {
                resourceProviderNamespace: "Microsoft.CognitiveServices",
                resourceType: "accounts",
                resourceName: "shadow",
                parentResourcePath: "",
                resourceGroupName: "rg",
                apiVersion: "2024-10-01",
                properties: { publicNetworkAccess: "Enabled" },
            },
            false,
        );
        expect(generic).toMatchObject({
            name: "shadow",
            type: "Microsoft.CognitiveServices/accounts",
            properties: { publicNetworkAccess: "Enabled" },
        });
        expect(generic.id).toMatch(/\/providers\/Microsoft\.CognitiveServices\/accounts\/shadow$/);
        for (const p of ["resourceProviderNamespace", "resourceType", "resourceName", "apiVersion"])
            expect(generic).not.toHaveProperty(p);
    });
});

describe("Terraform-bridged providers (classic azure, random)", () => {
    const classic = {
        name: "shadow",
        kind: "OpenAI",
        skuName: "S0",
        resourceGroupName: "rg",
        publicNetworkAccessEnabled: true,
    };

    it("keep every argument and add the id, unknown in a preview", () => {
        expect(providerOutputs("azure:cognitive/account:Account", "c", classic, true)).toEqual({ ...classic, id: U });
        expect(providerOutputs("azure:cognitive/account:Account", "c", classic, false)).toMatchObject({
            ...classic,
            id: expect.stringMatching(/^\/subscriptions\//),
        });
    });

    it("leave the computed outputs the SDK declares unknown in a preview and known in an update", () => {
        expect(providerOutputs("random:index/randomString:RandomString", "r", { length: 6 }, true)).toMatchObject({
            length: 6,
            result: U,
            upper: U,
        });
        expect(providerOutputs("random:index/randomString:RandomString", "r", { length: 6 }, false).result).toMatch(
            /^[0-9a-f]{6}$/,
        );
    });
});

describe("Check, as far as the plan can reproduce it", () => {
    it("adds the API version, and leaves the location and the name to the real provider", () => {
        expect(checkedInputs(account, { kind: "OpenAI" })).toEqual({
            kind: "OpenAI",
            azureApiVersion: resourceSchema(account)!.apiVersion,
        });
        expect(checkedInputs(account, { kind: "OpenAI", azureApiVersion: "2023-05-01" }).azureApiVersion).toBe(
            "2023-05-01",
        );
        expect(checkedInputs("random:index/randomString:RandomString", { length: 6 })).toEqual({ length: 6 });
    });
});

describe("withProviderOutputs", () => {
    it("recomputes a custom resource's outputs from its (changed) inputs and leaves components' registered outputs", () => {
        const resources = [
            {
                type: account,
                name: "a",
                custom: true,
                inputs: { ...accountInputs(), kind: "AIServices" },
                outputs: { kind: "OpenAI" },
            },
            { type: "my:component:Thing", name: "c", custom: false, inputs: {}, outputs: { endpoint: "x" } },
        ];
        const [a, c] = withProviderOutputs(resources, false);
        expect(a.outputs).toMatchObject({ kind: "AIServices", name: "oai-a" });
        expect(c.outputs).toEqual({ endpoint: "x" });
    });
});
