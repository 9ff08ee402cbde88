/**
 * Policy evaluation through the analyzer protocol, as the engine drives it: one running pack, Analyze for every
 * resource (a bounded number in flight, as the engine analyzes resources while they register), then AnalyzeStack once.
 */
import { AnalyzerClient, EngineRequests } from "../plan/analyzer";

export interface EvaluationResult {
    ms: number;
    analyzeMs: number;
    analyzeStackMs: number;
    resources: number;
    diagnostics: number;
}

/** Runs `tasks` with at most `limit` in flight, in order of start. */
async function inParallel<T>(
    items: readonly T[],
    limit: number,
    task: (item: T) => Promise<unknown>,
): Promise<unknown[]> {
    const results: unknown[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await task(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

/** `concurrency` Analyze calls are kept in flight. */
/** Evaluates one fleet's engine requests (plan/analyzer/engine-requests.ts) on an already configured pack. */
export async function evaluate(
    client: AnalyzerClient,
    requests: EngineRequests,
    concurrency: number,
): Promise<EvaluationResult> {
    const started = process.hrtime.bigint();
    // Each answer is counted and dropped, as the engine does: keeping 23,000 answers alive until the end made the
    // client's garbage collector, not the pack, the difference between two packs (docs/performance.md).
    const counts = (await inParallel(
        requests.analyze,
        concurrency,
        async (r) => (await client.analyze(r)).diagnostics.length,
    )) as number[];
    const analyzed = process.hrtime.bigint();
    const stackResult = await client.analyzeStack(requests.analyzeStack);
    const ended = process.hrtime.bigint();
    return {
        ms: Number(ended - started) / 1e6,
        analyzeMs: Number(analyzed - started) / 1e6,
        analyzeStackMs: Number(ended - analyzed) / 1e6,
        resources: requests.analyzeStack.length,
        diagnostics: counts.reduce((n, c) => n + c, 0) + stackResult.diagnostics.length,
    };
}
