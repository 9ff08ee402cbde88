import { ProgramRun, runProgram, unknownSentinel } from "../../plan/mock-runtime";
import { placeholderClient } from "../../plan/placeholders";
import { privateDnsZones, types } from "../../catalogue/azure";
import { PrivateAccessArgs, validatePrivateAccessArgs } from "../../components/private-access";
import { ofType, one } from "../support/resources";

const sub = placeholderClient.subscriptionId;
const vnetId = `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-spoke`;
const hubZone = (zone: string) =>
    `/subscriptions/${sub}/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/${zone}`;
const hubZoneIds = {
    openai: hubZone(privateDnsZones.openai),
    cognitiveServices: hubZone(privateDnsZones.cognitiveServices),
    keyVault: hubZone(privateDnsZones.keyVault),
};

/** Private access wired into an account's endpoint, as the composite does it. */
async function run(a: PrivateAccessArgs, preview = false): Promise<ProgramRun> {
    return runProgram({
        project: "p",
        stack: "s",
        config: {},
        preview,
        program: async () => {
            const { PrivateAccess } = await import("../../components/private-access");
            const { OpenAiAccount } = await import("../../components/openai-account");
            const dns = new PrivateAccess("dns", a);
            new OpenAiAccount("oai", {
                resourceGroupName: "rg-x",
                location: "westeurope",
                tags: {},
                namePrefix: "contoso-eu",
                uniquenessSeed: "seed",
                privateEndpoint: { subnetId: `${vnetId}/subnets/pe`, privateDnsZoneIds: dns.accountZoneIds },
            });
            return { keyVaultZoneIds: dns.keyVaultZoneIds, createsZones: dns.createsZones };
        },
    });
}

const zoneGroupIds = (r: ProgramRun) =>
    (one(r, types.privateDnsZoneGroup).inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]).map(
        (c) => c.privateDnsZoneId,
    );

describe("PrivateAccess: zones created in the stack", () => {
    const args: PrivateAccessArgs = {
        resourceGroupName: "rg-x",
        tags: { owner: "team" },
        vnetId,
        includeKeyVault: true,
        protect: true,
    };
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        applied = await run(args);
        preview = await run(args, true);
    });

    it("creates the OpenAI, Cognitive Services and Key Vault zones, globally, each linked to the VNet without auto-registration", () => {
        for (const r of [applied, preview]) {
            const zones = ofType(r, types.privateZone);
            expect(zones.map((z) => z.inputs.privateZoneName)).toEqual([
                privateDnsZones.openai,
                privateDnsZones.cognitiveServices,
                privateDnsZones.keyVault,
            ]);
            expect(zones.every((z) => z.inputs.location === "global" && z.protect)).toBe(true);
            const links = ofType(r, types.virtualNetworkLink);
            expect(links).toHaveLength(3);
            for (const link of links) {
                expect(link.inputs).toMatchObject({
                    location: "global",
                    registrationEnabled: false,
                    virtualNetwork: { id: vnetId },
                });
                expect(link.parent).toBe(
                    zones.find((z) => link.propertyDependencies.privateZoneName?.includes(z.urn))?.urn,
                );
            }
        }
    });

    it("registers the account's endpoint in the openai and cognitiveservices zones it created", () => {
        const zones = ofType(applied, types.privateZone);
        expect(zoneGroupIds(applied)).toEqual([zones[0].id, zones[1].id]);
        expect(one(applied, types.privateDnsZoneGroup).propertyDependencies.privateDnsZoneConfigs).toEqual(
            expect.arrayContaining([zones[0].urn, zones[1].urn]),
        );
        expect(zoneGroupIds(preview)).toEqual([unknownSentinel, unknownSentinel]);
        expect(applied.outputs).toEqual({ keyVaultZoneIds: [zones[2].id], createsZones: true });
    });

    it("parents zones under the component", () => {
        const component = one(applied, "azure-openai-lz:network:PrivateAccess");
        for (const z of ofType(applied, types.privateZone)) expect(z.parent).toBe(component.urn);
    });
});

describe("PrivateAccess: central hub zones", () => {
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        applied = await run({ resourceGroupName: "rg-x", tags: {}, hubZoneIds, includeKeyVault: true });
        preview = await run({ resourceGroupName: "rg-x", tags: {}, hubZoneIds }, true);
    });

    it("creates no zone and no link", () => {
        for (const r of [applied, preview]) {
            expect(ofType(r, types.privateZone)).toHaveLength(0);
            expect(ofType(r, types.virtualNetworkLink)).toHaveLength(0);
        }
    });

    it("registers the endpoint in the hub zones, known even in preview", () => {
        for (const r of [applied, preview])
            expect(zoneGroupIds(r)).toEqual([hubZoneIds.openai, hubZoneIds.cognitiveServices]);
        expect(applied.outputs).toEqual({ keyVaultZoneIds: [hubZoneIds.keyVault], createsZones: false });
    });
});

describe("PrivateAccess validation", () => {
    it("rejects bad arguments synchronously, naming each one", () => {
        expect(() => validatePrivateAccessArgs({})).toThrow(
            /vnetId: expected the spoke VNet's resource id when hubZoneIds is not given/,
        );
        expect(() => validatePrivateAccessArgs({ vnetId: "vnet-spoke" })).toThrow(
            /vnetId: 'vnet-spoke' expected \/subscriptions/,
        );
        expect(() =>
            validatePrivateAccessArgs({
                hubZoneIds: { ...hubZoneIds, openai: hubZone("privatelink.blob.core.windows.net") },
            }),
        ).toThrow(
            /hubZoneIds.openai: '.*' expected a privateDnsZones resource id ending in \/privatelink.openai.azure.com/,
        );
        expect(() =>
            validatePrivateAccessArgs({
                hubZoneIds: { openai: hubZoneIds.openai, cognitiveServices: hubZoneIds.cognitiveServices },
                includeKeyVault: true,
            }),
        ).toThrow(/hubZoneIds.keyVault: expected with includeKeyVault/);
        expect(() => validatePrivateAccessArgs({ vnetId })).not.toThrow();
        expect(() => validatePrivateAccessArgs({ hubZoneIds })).not.toThrow();
    });
});
