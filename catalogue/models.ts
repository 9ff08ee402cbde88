/**
 * The model catalogue as the platform reads it: the dated facts of model-catalogue.ts (re-exported here), looked up by
 * model and version, the approved models and versions, lifecycle (retirement, replacement) on a given day, and the
 * worst-case daily spend of deployments at their list prices.
 */
import { DeploymentSku } from "./azure";
import { modelCatalogue, usdPerPtuHour } from "./model-catalogue";
import { LifecycleDate, ModelVersion } from "./model-version";

export {
    availabilitySources,
    catalogueStalenessDays,
    modelCatalogue,
    modelCatalogueReadOn,
    pricesAsOf,
    retirementSource,
    usdPerPtuHour,
} from "./model-catalogue";
export type { DocSource, LifecycleDate, ModelVersion } from "./model-version";

export const modelKey = (model: string, version: string) => `${model}@${version}`;

const byKey = new Map(modelCatalogue.map((m) => [modelKey(m.model, m.version), m]));

/** The catalogue entry of a model version, if the platform knows it. */
export function findModelVersion(model: string, version: string): ModelVersion | undefined {
    return byKey.get(modelKey(model, version));
}

export interface ApprovedModel {
    /** Versions that may be deployed; a deployment must pin one of them. */
    versions: string[];
    /** USD per 1,000 tokens at the output-token rate (the worst case for spend). */
    usdPer1kTokens: number;
}

/** Models by name with their known versions and price (the shape config validation and the pack's config take). */
export const approvedModels: Record<string, ApprovedModel> = modelCatalogue.reduce<Record<string, ApprovedModel>>(
    (acc, m) => {
        const entry = (acc[m.model] ??= { versions: [], usdPer1kTokens: m.usdPer1kTokens });
        entry.versions.push(m.version);
        entry.usdPer1kTokens = Math.max(entry.usdPer1kTokens, m.usdPer1kTokens);
        return acc;
    },
    {},
);
/** The day a deployment of this version on this SKU stops working (the exact or earliest possible date). */
export function retirementFor(m: ModelVersion, sku: string): LifecycleDate {
    const bySku = m.retirementBySku?.[sku as DeploymentSku];
    return bySku ? { date: bySku, exact: true } : m.retirement;
}

/** True once an exactly dated retirement has come: from that day Azure answers every call with an error. */
export function isRetired(m: ModelVersion, sku: string, today: string): boolean {
    const r = retirementFor(m, sku);
    return r.exact && today >= r.date;
}

/** Whole days from `from` to `to` (YYYY-MM-DD, UTC). */
export function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The first model version down the replacement chain that is not retired on `today` (any SKU), or undefined. */
export function currentReplacement(m: ModelVersion, today: string): ModelVersion | undefined {
    const seen = new Set<string>();
    let next = m.replacement ? byKey.get(m.replacement) : undefined;
    while (next && !seen.has(modelKey(next.model, next.version))) {
        seen.add(modelKey(next.model, next.version));
        if (!(next.retirement.exact && today >= next.retirement.date)) return next;
        next = next.replacement ? byKey.get(next.replacement) : undefined;
    }
    return undefined;
}

/** `gpt-5.1 2025-11-13` or the advice to refresh the catalogue when no current replacement is known. */
export function describeReplacement(m: ModelVersion, today: string): string {
    const r = currentReplacement(m, today);
    return r
        ? `${r.model} ${r.version}`
        : "none known to the catalogue (refresh catalogue/model-catalogue.ts from the model retirements page)";
}

/** Today's date in UTC, YYYY-MM-DD: what "today" means wherever a caller does not pin it. */
export function utcToday(now: Date = new Date()): string {
    return now.toISOString().slice(0, 10);
}

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
        throw new Error(
            `No price for model '${d.model}': add it to catalogue/model-catalogue.ts or to the stack's prices`,
        );
    }
    return d.capacity * minutesPerDay * per1k;
}

/**
 * Worst-case USD per day of all deployments together, plus fixed daily costs that run whether or not tokens flow (the
 * AI gateway's units), rounded to cents.
 */
export function totalWorstCaseDailySpend(
    ds: SpendInput[],
    prices: Record<string, number> = {},
    fixedDailyUsd = 0,
): number {
    return Math.round((ds.reduce((sum, d) => sum + worstCaseDailySpend(d, prices), 0) + fixedDailyUsd) * 100) / 100;
}
