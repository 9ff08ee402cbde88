/**
 * Approved models, their pinned versions and the list prices used to bound worst-case spend.
 * One catalogue: config validation, the components and the policy pack's generated config all read it.
 *
 * Prices: Azure OpenAI pricing page (azure.microsoft.com/pricing/details/cognitive-services/openai-service/),
 * USD list prices as of `pricesAsOf`. Worst case prices every token at the model's *output* rate; a stack can
 * override a price in its `prices` config when its agreement differs. Provisioned SKUs are priced per PTU-hour.
 */
export const pricesAsOf = "2025-06-01";

export interface ApprovedModel {
    /** Versions that may be deployed; a deployment must pin one of them. */
    versions: string[];
    /** USD per 1,000 tokens at the output-token rate (the worst case for spend). */
    usdPer1kTokens: number;
}

export const approvedModels: Record<string, ApprovedModel> = {
    "gpt-4o": { versions: ["2024-08-06", "2024-11-20"], usdPer1kTokens: 0.01 },
    "gpt-4o-mini": { versions: ["2024-07-18"], usdPer1kTokens: 0.0006 },
    "gpt-4.1": { versions: ["2025-04-14"], usdPer1kTokens: 0.008 },
    "gpt-4.1-mini": { versions: ["2025-04-14"], usdPer1kTokens: 0.0016 },
    "o4-mini": { versions: ["2025-04-16"], usdPer1kTokens: 0.0044 },
    "text-embedding-3-large": { versions: ["1"], usdPer1kTokens: 0.00013 },
    "text-embedding-3-small": { versions: ["1"], usdPer1kTokens: 0.00002 },
};

/** USD per provisioned throughput unit (PTU) per hour, regional list price (same page, "Provisioned"). */
export const usdPerPtuHour = 2;

export interface SpendInput {
    model: string;
    sku: string;
    /** Thousands of tokens per minute, or PTUs for provisioned SKUs. */
    capacity: number;
}

const minutesPerDay = 24 * 60;

/** Worst-case USD per day of one deployment running at full capacity all day. */
export function worstCaseDailySpend(d: SpendInput, prices: Record<string, number> = {}): number {
    if (d.sku.includes("Provisioned")) {
        return d.capacity * 24 * usdPerPtuHour;
    }
    const per1k = prices[d.model] ?? approvedModels[d.model]?.usdPer1kTokens;
    if (per1k === undefined) {
        throw new Error(`No price for model '${d.model}': add it to approvedModels or to the stack's prices`);
    }
    return d.capacity * minutesPerDay * per1k;
}

/**
 * Worst-case USD per day of all deployments together, plus fixed daily costs that run whether or not tokens flow (the
 * AI gateway's units), rounded to cents.
 */
export function totalWorstCaseDailySpend(ds: SpendInput[], prices: Record<string, number> = {}, fixedDailyUsd = 0): number {
    return Math.round((ds.reduce((sum, d) => sum + worstCaseDailySpend(d, prices), 0) + fixedDailyUsd) * 100) / 100;
}
