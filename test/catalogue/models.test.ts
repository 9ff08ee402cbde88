/**
 * The model catalogue as data: internally consistent, restricted to the profiles' regions, and fresh. Its dated
 * facts (lifecycle, availability, prices) go stale as Microsoft publishes new models and retirements: this test fails
 * once they are older than the threshold, so staleness shows in CI rather than in a failed deployment.
 */
import { deploymentSkuNames } from "../../catalogue/azure";
import {
    availabilitySources,
    catalogueStalenessDays,
    currentReplacement,
    daysBetween,
    findModelVersion,
    isRetired,
    modelCatalogue,
    modelCatalogueReadOn,
    modelKey,
    pricesAsOf,
    retirementSource,
    utcToday,
} from "../../catalogue/models";
import { profiles } from "../../catalogue/profiles";

describe("model catalogue", () => {
    it.each([
        ["lifecycle and availability", modelCatalogueReadOn],
        ["prices", pricesAsOf],
    ])("%s were read within the last %s days", (_what, date) => {
        const age = daysBetween(date, utcToday());
        expect({ date, age, stale: age > catalogueStalenessDays }).toEqual({ date, age, stale: false });
    });

    it("names the docs revision each fact comes from", () => {
        for (const source of [retirementSource, ...Object.values(availabilitySources)]) {
            expect(source?.page).toMatch(/^https:\/\/learn\.microsoft\.com\//);
            expect(source?.revision).toMatch(/^[0-9a-f]{40}$/);
        }
    });

    it("has each model version once, with valid dates, SKUs and replacements in the catalogue", () => {
        const keys = modelCatalogue.map((m) => modelKey(m.model, m.version));
        expect(new Set(keys).size).toBe(keys.length);
        const date = /^\d{4}-\d{2}-\d{2}$/;
        for (const m of modelCatalogue) {
            expect(m.retirement.date).toMatch(date);
            if (m.deprecation) expect(m.deprecation.date <= m.retirement.date).toBe(true);
            for (const [sku, d] of Object.entries(m.retirementBySku ?? {})) {
                expect(deploymentSkuNames).toContain(sku);
                expect(d).toMatch(date);
            }
            if (m.replacement)
                expect(findModelVersion(...(m.replacement.split("@") as [string, string]))).toBeDefined();
            expect(m.usdPer1kTokens).toBeGreaterThan(0);
        }
    });

    it("records availability only for regions some profile allows", () => {
        const regions = new Set(Object.values(profiles).flatMap((p) => p.allowedRegions));
        for (const m of modelCatalogue) {
            for (const [sku, offered] of Object.entries(m.offeredIn)) {
                expect(deploymentSkuNames).toContain(sku);
                for (const r of offered ?? [])
                    expect({ model: m.model, sku, region: r, allowed: regions.has(r) }).toEqual({
                        model: m.model,
                        sku,
                        region: r,
                        allowed: true,
                    });
            }
        }
    });

    it("knows the retirements of the issue: gpt-4o, gpt-4o-mini, gpt-4.1, gpt-4.1-mini and o4-mini are retired by the end of October 2026", () => {
        for (const [model, version, sku] of [
            ["gpt-4o", "2024-11-20", "DataZoneStandard"],
            ["gpt-4o-mini", "2024-07-18", "DataZoneStandard"],
            ["gpt-4.1", "2025-04-14", "Standard"],
            ["gpt-4.1-mini", "2025-04-14", "Standard"],
            ["o4-mini", "2025-04-16", "Standard"],
        ]) {
            expect({ model, retired: isRetired(findModelVersion(model, version)!, sku, "2026-10-31") }).toEqual({
                model,
                retired: true,
            });
        }
    });

    it("follows the replacement chain past retired replacements to a current one", () => {
        expect(currentReplacement(findModelVersion("gpt-4o-mini", "2024-07-18")!, "2026-11-27")).toMatchObject({
            model: "gpt-5-mini",
        });
        expect(currentReplacement(findModelVersion("gpt-4o-mini", "2024-07-18")!, "2027-03-01")).toBeUndefined();
    });
});
