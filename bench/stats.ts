/** Small statistics and formatting helpers for the benchmark; pure, so they are unit-tested. */

export interface Summary {
    median: number;
    min: number;
    max: number;
    samples: number[];
}

/** The median of a non-empty sample (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
    if (values.length === 0) throw new Error("median: expected at least one sample, got none");
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values: readonly number[]): Summary {
    return { median: median(values), min: Math.min(...values), max: Math.max(...values), samples: [...values] };
}

/**
 * Runs `measure` `warmups` times (results discarded: first-run disk cache and JIT effects), then `runs` times,
 * and returns the kept results in order.
 */
export async function repeat<T>(warmups: number, runs: number, measure: (index: number) => Promise<T>): Promise<T[]> {
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs: expected an integer >= 1, got ${runs}`);
    if (!Number.isInteger(warmups) || warmups < 0) throw new Error(`warmups: expected an integer >= 0, got ${warmups}`);
    for (let i = 0; i < warmups; i++) await measure(-1 - i);
    const results: T[] = [];
    for (let i = 0; i < runs; i++) results.push(await measure(i));
    return results;
}

export const formatSeconds = (ms: number): string =>
    ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`;
export const formatMegabytes = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
export const formatRate = (perSecond: number): string => `${Math.round(perSecond).toLocaleString("en-US")}/s`;
