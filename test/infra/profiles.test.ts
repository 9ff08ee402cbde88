import { deploymentSkus } from "../../catalogue/azure";
import { getProfile, profileIds, profiles } from "../../catalogue/profiles";

describe("compliance profile catalogue", () => {
    it("holds the three profiles of the design with their frameworks and home regions", () => {
        expect(profileIds).toEqual(expect.arrayContaining(["eu-gdpr", "us-hipaa", "au-irap"]));
        expect(profiles["eu-gdpr"]).toMatchObject({ frameworks: ["GDPR", "ISO 27001"], homeRegion: "westeurope" });
        expect(profiles["us-hipaa"]).toMatchObject({ frameworks: ["HIPAA", "SOC 2", "FedRAMP"], homeRegion: "eastus" });
        expect(profiles["au-irap"]).toMatchObject({ frameworks: ["IRAP", "ISO 27001"], homeRegion: "australiaeast" });
    });

    it.each(profileIds)("%s allows its own home region and no Global SKU", (id) => {
        const profile = getProfile(id);
        expect(profile.allowedRegions).toContain(profile.homeRegion);
        expect(profile.allowedDeploymentSkus.filter((s) => deploymentSkus[s] === "global")).toEqual([]);
    });

    it("allows DataZone SKUs only where a data zone matches the profile (EU, US; not Australia)", () => {
        const dataZone = (id: string) =>
            getProfile(id).allowedDeploymentSkus.filter((s) => deploymentSkus[s] === "data-zone");
        expect(dataZone("eu-gdpr")).toEqual(["DataZoneStandard", "DataZoneProvisionedManaged"]);
        expect(dataZone("us-hipaa")).toEqual(["DataZoneStandard", "DataZoneProvisionedManaged"]);
        expect(dataZone("au-irap")).toEqual([]);
    });

    it("keeps IRAP audit logs for years and HIPAA logs for six years", () => {
        expect(profiles["au-irap"].minimumLogRetention.totalDays).toBeGreaterThanOrEqual(7 * 365);
        expect(profiles["us-hipaa"].minimumLogRetention.totalDays).toBeGreaterThanOrEqual(6 * 365);
    });

    it.each(profileIds)("%s has retention within Log Analytics limits and sane budget thresholds", (id) => {
        const p = getProfile(id);
        expect(p.minimumLogRetention.interactiveDays).toBeGreaterThanOrEqual(4);
        expect(p.minimumLogRetention.interactiveDays).toBeLessThanOrEqual(730);
        expect(p.minimumLogRetention.totalDays).toBeGreaterThanOrEqual(p.minimumLogRetention.interactiveDays);
        expect(p.minimumLogRetention.totalDays).toBeLessThanOrEqual(4383);
        expect(p.budget.actualThresholds.every((t) => t > 0 && t <= 1000)).toBe(true);
        expect(p.budget.actualThresholds.length + p.budget.forecastedThresholds.length).toBeLessThanOrEqual(5);
        expect(p.requiredTags).toContain("compliance-profile");
    });

    it("rejects an unknown profile naming the known ones", () => {
        expect(() => getProfile("eu-gpdr")).toThrow(
            "Unknown compliance profile 'eu-gpdr': expected one of eu-gdpr, us-hipaa, au-irap",
        );
    });
});
