/** The USD-to-token arithmetic of the AI gateway (catalogue/gateway-limits.ts) and the gateway's own daily cost. */
import * as fc from "fast-check";
import { componentGatewayTier, gatewayDailyCostUsd, gatewayTiers, hoursPerMonth } from "../../catalogue/gateway";
import {
    catalogueUsdPer1kTokens,
    GatewayDeployment,
    gatewayTokenLimits,
    GatewayUsdLimits,
} from "../../catalogue/gateway-limits";
import { approvedModels } from "../../catalogue/models";
import { designGatewayLimits, profiles } from "../../catalogue/profiles";

const design: GatewayUsdLimits = { dailyUsd: 100, monthlyUsd: 2000, perRequestTokens: 4000, perCallerPercent: 25 };
const fixturePrices = { dear: 0.01, cheap: 0.0006, odd: 0.003 };
const deployment = (name: string, model: string, capacity: number, sku = "DataZoneStandard"): GatewayDeployment => ({
    name,
    model,
    sku,
    capacity,
});

describe("gatewayTokenLimits, hand-computed from a fixture price table", () => {
    it("prices the quotas at the dearest model and sums the capacities for tokens per minute", () => {
        const limits = gatewayTokenLimits(
            design,
            [deployment("chat", "dear", 10), deployment("mini", "cheap", 50)],
            fixturePrices,
        );
        expect(limits).toEqual({
            pricedAt: { deployment: "chat", model: "dear", usdPer1kTokens: 0.01 },
            usd: { daily: 100, monthly: 2000 },
            // 100 USD / 0.01 USD per 1,000 tokens = 10,000,000 tokens; 2,000 USD = 200,000,000; (10 + 50) x 1,000 per minute.
            tokens: { perMinute: 60000, daily: 10000000, monthly: 200000000, perRequest: 4000 },
            // A quarter of each.
            perCaller: { perMinute: 15000, daily: 2500000, monthly: 50000000 },
        });
    });

    it("floors, so that a quota never buys more than its USD limit", () => {
        // 1 USD / 0.003 USD per 1,000 tokens = 333,333.3 tokens: 333,333 (0.999999 USD), never 333,334 (1.000002 USD).
        const limits = gatewayTokenLimits(
            { dailyUsd: 1, monthlyUsd: 30, perRequestTokens: 100, perCallerPercent: 50 },
            [deployment("d", "odd", 1)],
            fixturePrices,
        );
        expect(limits.tokens.daily).toBe(333333);
        expect(limits.tokens.monthly).toBe(10000000);
        expect(limits.perCaller).toEqual({ perMinute: 500, daily: 166666, monthly: 5000000 });
    });

    it("holds for any limit and price: the quota buys at most the limit, one more token would buy more", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 1, max: 100000 }),
                fc.integer({ min: 1, max: 100000 }),
                (dailyCents, pricePerMillionTokens) => {
                    const usd = dailyCents / 100;
                    const price = pricePerMillionTokens / 1000;
                    const run = () =>
                        gatewayTokenLimits(
                            { dailyUsd: usd, monthlyUsd: usd * 31, perRequestTokens: 1, perCallerPercent: 100 },
                            [deployment("d", "m", 1000)],
                            { m: price },
                        );
                    if ((usd * 1000) / price < 1) {
                        expect(run).toThrow(/dailyUsd: .* buys 0 tokens/);
                        return;
                    }
                    const { tokens } = run();
                    expect((tokens.daily * price) / 1000).toBeLessThanOrEqual(usd + 1e-9);
                    expect(((tokens.daily + 1) * price) / 1000).toBeGreaterThan(usd - 1e-9);
                },
            ),
            { numRuns: 300 },
        );
    });

    it("refuses what it could not enforce as stated, naming each input", () => {
        const bad =
            (usd: Partial<GatewayUsdLimits>, ds: GatewayDeployment[] = [deployment("chat", "dear", 10)]) =>
            () =>
                gatewayTokenLimits({ ...design, ...usd }, ds, fixturePrices);
        expect(bad({}, [deployment("x", "unpriced", 10)])).toThrow("deployments[0] 'x': no price for model 'unpriced'");
        expect(bad({}, [deployment("ptu", "dear", 10, "ProvisionedManaged")])).toThrow(
            "deployments[0] 'ptu': ProvisionedManaged is provisioned throughput",
        );
        expect(bad({ monthlyUsd: 50 })).toThrow("monthlyUsd: 50 expected at least the daily limit of 100");
        expect(bad({ perRequestTokens: 4000.5 })).toThrow("perRequestTokens: 4000.5 expected a positive whole number");
        expect(bad({ perCallerPercent: 0 })).toThrow("perCallerPercent: 0 expected a percentage above 0");
        expect(bad({}, [])).toThrow("deployments: expected at least one deployment");
        // 25 % of 10,000 tokens per minute is 2,500: a 4,000-token request could never pass a caller's counter.
        expect(bad({})).toThrow(
            "perRequestTokens: 4000 is more than a caller's share admits (perMinute 2500 tokens at 25 %)",
        );
    });
});

describe("gatewayTokenLimits, from the model catalogue's entries", () => {
    // Whatever models the catalogue holds: its dearest and cheapest, at their dated prices.
    const byPrice = Object.entries(approvedModels).sort(([, a], [, b]) => b.usdPer1kTokens - a.usdPer1kTokens);
    const [dearest, cheapest] = [byPrice[0], byPrice[byPrice.length - 1]];
    const deployments = [deployment("cheap", cheapest[0], 100), deployment("dear", dearest[0], 100)];

    it("reads the catalogue's worst-case price per model, with the stack's overrides", () => {
        expect(catalogueUsdPer1kTokens([dearest[0], cheapest[0], "not-in-catalogue"])).toEqual({
            [dearest[0]]: dearest[1].usdPer1kTokens,
            [cheapest[0]]: cheapest[1].usdPer1kTokens,
        });
        expect(catalogueUsdPer1kTokens([cheapest[0]], { [cheapest[0]]: 0.5 })).toEqual({ [cheapest[0]]: 0.5 });
    });

    it.each(Object.values(profiles).map((p) => [p.id, p.gateway.limits] as const))(
        "turns profile %s's USD limits into tokens at the dearest served model's price",
        (_id, usd) => {
            const limits = gatewayTokenLimits(
                usd,
                deployments,
                catalogueUsdPer1kTokens(deployments.map((d) => d.model)),
            );
            const price = dearest[1].usdPer1kTokens;
            expect(limits.pricedAt).toEqual({ deployment: "dear", model: dearest[0], usdPer1kTokens: price });
            expect(limits.tokens.daily).toBe(Math.floor((usd.dailyUsd * 1000) / price + 1e-6));
            expect(limits.tokens.monthly).toBe(Math.floor((usd.monthlyUsd * 1000) / price + 1e-6));
            expect((limits.tokens.daily * price) / 1000).toBeLessThanOrEqual(usd.dailyUsd);
            expect(limits.tokens.perMinute).toBe(200000);
            expect(limits.tokens.perRequest).toBe(usd.perRequestTokens);
        },
    );

    it("takes the design's cost governor as every profile's default", () => {
        expect(designGatewayLimits).toMatchObject({ dailyUsd: 100, monthlyUsd: 2000, perRequestTokens: 4000 });
        for (const p of Object.values(profiles)) expect(p.gateway.limits).toEqual(designGatewayLimits);
    });
});

describe("gatewayDailyCostUsd", () => {
    it("prices the component's tier per unit from the dated tier table, a month being 730 hours", () => {
        const perMonth = gatewayTiers[componentGatewayTier].usdPerUnitMonth as number;
        expect(hoursPerMonth).toBe(730);
        expect(gatewayDailyCostUsd(componentGatewayTier, 1)).toBe(Math.round(((perMonth * 24) / 730) * 100) / 100);
        expect(gatewayDailyCostUsd(componentGatewayTier, 3)).toBe(Math.round(((3 * perMonth * 24) / 730) * 100) / 100);
    });

    it("prices a tier without a unit price (or an unknown one) at the dearest known tier", () => {
        const dearest = Math.max(...Object.values(gatewayTiers).map((t) => t.usdPerUnitMonth ?? 0));
        expect(gatewayDailyCostUsd("PremiumV2", 1)).toBe(Math.round(((dearest * 24) / 730) * 100) / 100);
        expect(gatewayDailyCostUsd("NoSuchTier", 2)).toBe(gatewayDailyCostUsd("PremiumV2", 2));
    });
});
