/**
 * The USD-to-token arithmetic of the AI gateway: the stack's daily and monthly USD limits become token quotas, priced at
 * the dearest model the gateway serves (a token counter cannot tell models apart, so the dearest price is the only one
 * under which the quota can never buy more than the limit), plus a tokens-per-minute ceiling from the deployments'
 * capacity and a per-caller share of each. One function, used by the stack validation, the component and the report.
 */
import { approvedModels } from "./models";

/** The limits in the units their owner thinks in. */
export interface GatewayUsdLimits {
    /** USD of model tokens the gateway admits per day (UTC day, the quota's fixed window). */
    dailyUsd: number;
    /** USD of model tokens the gateway admits per calendar month. */
    monthlyUsd: number;
    /** Tokens one request may use: prompt estimate plus the completion it asks for (`max_tokens`). */
    perRequestTokens: number;
    /** Share of every stack-wide limit one caller may use, in percent (1-100). */
    perCallerPercent: number;
}

/** A deployment the gateway serves: its model is priced, its capacity bounds tokens per minute. */
export interface GatewayDeployment {
    name: string;
    model: string;
    sku: string;
    /** Thousands of tokens per minute. */
    capacity: number;
}

export interface GatewayTokenLimits {
    /** The price the quotas are computed at: the dearest model the gateway serves. */
    pricedAt: { deployment: string; model: string; usdPer1kTokens: number };
    usd: { daily: number; monthly: number };
    /** Stack-wide counters. */
    tokens: { perMinute: number; daily: number; monthly: number; perRequest: number };
    /** One counter per caller (the validated token's application id). */
    perCaller: { perMinute: number; daily: number; monthly: number };
}

/** USD per 1,000 tokens of each model, from the catalogue with the stack's overrides (the worst-case rate). */
export function catalogueUsdPer1kTokens(
    models: string[],
    overrides: Record<string, number> = {},
): Record<string, number> {
    const out: Record<string, number> = {};
    for (const model of models) {
        const price = overrides[model] ?? approvedModels[model]?.usdPer1kTokens;
        if (price !== undefined) out[model] = price;
    }
    return out;
}

/** Whole tokens a USD amount buys at a price per 1,000 tokens (floored: the quota never exceeds the amount). */
function tokensFor(usd: number, usdPer1kTokens: number): number {
    // The epsilon absorbs binary rounding (100 / 0.01 is 10000.000000000002 in some orders of operations).
    return Math.floor((usd * 1000) / usdPer1kTokens + 1e-6);
}

const share = (value: number, percent: number) => Math.floor((value * percent) / 100);

/**
 * Token limits for the gateway from USD limits, the deployments behind it and a price table (USD per 1,000 tokens by
 * model). Throws naming the input when the result could not be enforced as stated: an unpriced model, a provisioned
 * deployment (its throughput per PTU is model-specific, so no tokens-per-minute figure follows from its capacity), a
 * monthly limit below the daily one, or a per-request cap that a caller's share could never admit.
 */
export function gatewayTokenLimits(
    usd: GatewayUsdLimits,
    deployments: GatewayDeployment[],
    usdPer1kTokens: Record<string, number>,
): GatewayTokenLimits {
    const problems: string[] = [];
    if (!(usd.dailyUsd > 0)) problems.push(`dailyUsd: ${usd.dailyUsd} expected a positive amount`);
    if (!(usd.monthlyUsd >= usd.dailyUsd))
        problems.push(`monthlyUsd: ${usd.monthlyUsd} expected at least the daily limit of ${usd.dailyUsd}`);
    if (!Number.isInteger(usd.perRequestTokens) || usd.perRequestTokens < 1)
        problems.push(`perRequestTokens: ${usd.perRequestTokens} expected a positive whole number`);
    if (!(usd.perCallerPercent > 0 && usd.perCallerPercent <= 100))
        problems.push(`perCallerPercent: ${usd.perCallerPercent} expected a percentage above 0 and at most 100`);
    if (deployments.length === 0) problems.push("deployments: expected at least one deployment behind the gateway");
    deployments.forEach((d, i) => {
        if (d.sku.includes("Provisioned"))
            problems.push(
                `deployments[${i}] '${d.name}': ${d.sku} is provisioned throughput, whose tokens per minute per PTU depend on the model: expected a Standard or DataZoneStandard deployment behind the gateway`,
            );
        const price = usdPer1kTokens[d.model];
        if (!(typeof price === "number" && price > 0))
            problems.push(
                `deployments[${i}] '${d.name}': no price for model '${d.model}': expected it in the model catalogue or the stack's prices`,
            );
    });
    if (problems.length > 0) throw new Error(`Gateway limits: invalid input:\n  - ${problems.join("\n  - ")}`);

    const dearest = deployments.reduce((a, b) => (usdPer1kTokens[b.model] > usdPer1kTokens[a.model] ? b : a));
    const price = usdPer1kTokens[dearest.model];
    const tokens = {
        perMinute: deployments.reduce((sum, d) => sum + d.capacity * 1000, 0),
        daily: tokensFor(usd.dailyUsd, price),
        monthly: tokensFor(usd.monthlyUsd, price),
        perRequest: usd.perRequestTokens,
    };
    if (tokens.daily < usd.perRequestTokens) {
        throw new Error(
            `Gateway limits: invalid input:\n  - dailyUsd: ${usd.dailyUsd} USD buys ${tokens.daily} tokens of ${dearest.model} (${price} USD per 1,000), less than one request of ${usd.perRequestTokens} tokens: expected a higher limit or a smaller cap`,
        );
    }
    const perCaller = {
        perMinute: share(tokens.perMinute, usd.perCallerPercent),
        daily: share(tokens.daily, usd.perCallerPercent),
        monthly: share(tokens.monthly, usd.perCallerPercent),
    };
    const tooSmall = Object.entries(perCaller)
        .filter(([, v]) => v < usd.perRequestTokens)
        .map(([k, v]) => `${k} ${v}`);
    if (tooSmall.length > 0) {
        throw new Error(
            `Gateway limits: invalid input:\n  - perRequestTokens: ${usd.perRequestTokens} is more than a caller's share admits (${tooSmall.join(", ")} tokens at ${usd.perCallerPercent} %): expected a smaller cap, a larger share or higher limits`,
        );
    }
    return {
        pricedAt: { deployment: dearest.name, model: dearest.model, usdPer1kTokens: price },
        usd: { daily: usd.dailyUsd, monthly: usd.monthlyUsd },
        tokens,
        perCaller,
    };
}
