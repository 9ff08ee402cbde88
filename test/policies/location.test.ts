/**
 * Residency of every regional resource: the location rule judges every type whose args take a location (generated from
 * the SDKs, catalogue/regional-types*.ts), on the azure-native, classic and generic routes; only the listed global
 * services may be "global".
 */
import { types } from "../../catalogue/azure";
import {
    classicLocatedTypes,
    globalServices,
    locatedTypes,
    nativeLocatedTypes,
    sdkLocationDefaults,
} from "../../catalogue/residency";
import { allowedLocations } from "../../policies/location";
import { runResource, UNKNOWN } from "./harness";
import { tags } from "./fixtures";

const eu = { allowedRegions: ["westeurope", "swedencentral"] };
const at = (type: string, location: string | undefined, extra: Record<string, unknown> = {}) => ({
    type,
    name: type.split(":").pop()!.toLowerCase(),
    props: { ...(location === undefined ? {} : { location }), tags, ...extra },
});
const generic = (namespace: string, resourceType: string, location: string | undefined) =>
    at(types.genericResource, location, { resourceProviderNamespace: namespace, resourceType, parentResourcePath: "" });

describe("allowed locations of every regional resource", () => {
    it("concerns exactly the generated lists of types that take a location, nothing hand-kept", () => {
        expect(allowedLocations.concerns).toEqual([...locatedTypes]);
        expect(nativeLocatedTypes.length).toBeGreaterThan(900);
        expect(classicLocatedTypes.length).toBeGreaterThan(300);
        for (const t of [
            "azure-native:network:VirtualNetwork",
            "azure-native:network:VirtualNetworkGateway",
            "azure-native:network:ApplicationGateway",
            "azure-native:search:Service",
            "azure-native:storage:StorageAccount",
            "azure-native:apimanagement:ApiManagementService",
            types.account,
            types.workspace,
            types.vault,
            types.genericResource,
            types.classicAccount,
            types.classicVault,
            types.classicWorkspace,
        ]) {
            expect(locatedTypes).toContain(t);
        }
        for (const t of [
            types.deployment,
            types.diagnosticSetting,
            types.roleAssignment,
            types.privateDnsZoneGroup,
            types.vaultKey,
        ])
            expect(locatedTypes).not.toContain(t);
    });

    it("lists only global services that exist among the located types, each with its reason", () => {
        for (const s of globalServices) {
            expect(s.reason.length).toBeGreaterThan(20);
            for (const t of s.types) expect(locatedTypes).toContain(t);
        }
        for (const t of Object.keys(sdkLocationDefaults)) expect(globalServices.flatMap((s) => s.types)).toContain(t);
    });

    it.each([
        "azure-native:network:VirtualNetwork",
        "azure-native:network:VirtualNetworkGateway",
        "azure-native:network:ApplicationGateway",
        "azure-native:search:Service",
        "azure-native:storage:StorageAccount",
        "azure-native:apimanagement:ApiManagementService",
        "azure:network/virtualNetwork:VirtualNetwork",
        "azure:storage/account:Account",
    ])("refuses %s outside the profile's regions and accepts it inside", async (type) => {
        const out = await runResource(allowedLocations, at(type, "eastus"), eu);
        expect(out.violations).toHaveLength(1);
        expect(out.violations[0].message).toMatch(
            /: location is "eastus", outside the allowed regions: use one of westeurope, swedencentral$/,
        );
        expect((await runResource(allowedLocations, at(type, "westeurope"), eu)).violations).toEqual([]);
    });

    it("refuses a generic ARM resource outside the regions, and lets a generic private DNS zone be global", async () => {
        expect(
            (await runResource(allowedLocations, generic("Microsoft.Storage", "storageAccounts", "eastus"), eu))
                .violations,
        ).toHaveLength(1);
        expect(
            (await runResource(allowedLocations, generic("Microsoft.Network", "privateDnsZones", "global"), eu))
                .violations,
        ).toEqual([]);
        expect(
            (await runResource(allowedLocations, generic("Microsoft.Storage", "storageAccounts", "global"), eu))
                .violations[0].message,
        ).toContain('is "global", but this is not a global service');
    });

    it("lets global services be global or unset, but not a regional type", async () => {
        for (const type of [
            types.privateZone,
            types.virtualNetworkLink,
            types.actionGroup,
            types.privateLinkScope,
            "azure-native:cdn:Profile",
            "azure:monitoring/actionGroup:ActionGroup",
        ]) {
            expect((await runResource(allowedLocations, at(type, "global"), eu)).violations).toEqual([]);
            expect((await runResource(allowedLocations, at(type, undefined), eu)).violations).toEqual([]);
        }
        expect(
            (await runResource(allowedLocations, at("azure-native:monitor:ActivityLogAlert", undefined), eu))
                .violations,
        ).toEqual([]);
        const vnet = await runResource(allowedLocations, at("azure-native:network:VirtualNetwork", "global"), eu);
        expect(vnet.violations[0].message).toContain('is "global", but this is not a global service');
        expect(
            (await runResource(allowedLocations, at("azure-native:network:VirtualNetwork", undefined), eu))
                .violations[0].message,
        ).toContain("location is not set");
    });

    it("judges types of explicit API versions as the same type; unknown regions are not-evaluated; types without a location are not-applicable", async () => {
        expect(
            (await runResource(allowedLocations, at("azure-native:network/v20240501:VirtualNetwork", "eastus"), eu))
                .violations,
        ).toHaveLength(1);
        expect(
            (await runResource(allowedLocations, at("azure-native:search:Service", UNKNOWN), eu)).notEvaluated,
        ).toMatch(/location/);
        expect((await runResource(allowedLocations, at(types.diagnosticSetting, undefined), eu)).notApplicable).toBe(
            "applies to types that take a location only",
        );
    });
});
