/**
 * What one run saw, which the stale-exemption policy needs: the exemptions that covered a finding, and the URNs an
 * exemptable resource policy judged. A pack process may serve several runs (the offline plan tells one pack each
 * stack and mode in turn), so the state is kept per run and per stack, never per process.
 *
 * A run is one ConfigureStack: @pulumi/policy 1.21's server makes a new `stackTags` map object on every
 * ConfigureStack (server.js `configureStack`: `stackTags = freezeMap(map)`) and hands that same object to every
 * Analyze and AnalyzeStack until the next one, so state keyed by it starts empty on every ConfigureStack
 * (read 2026-11-27; test/reliability/pack-inputs.test.ts proves it through the real pack process).
 */

export interface RunState {
    /** Ids of exemptions that covered a finding in this run. */
    readonly used: Set<string>;
    /** URNs an exemptable resource policy judged to the end in this run (not-evaluated and not-applicable excluded). */
    readonly analyzed: Set<string>;
}

const runs = new WeakMap<object, Map<string, RunState>>();
/** Before any ConfigureStack (or with a server that passes no stack tags): one run. */
const initialRun = {};

/** The state of `stack` in the run identified by `run` (the validation args' `stackTags`). */
export function runState(run: object | undefined, stack: string): RunState {
    const key = run ?? initialRun;
    let stacks = runs.get(key);
    if (!stacks) runs.set(key, (stacks = new Map()));
    let state = stacks.get(stack);
    if (!state) stacks.set(stack, (state = { used: new Set(), analyzed: new Set() }));
    return state;
}
