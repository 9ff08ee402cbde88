/**
 * What the SDK keeps in module state (server.js `policyPackConfig`, `stackTags`), kept here from the same Configure and
 * ConfigureStack requests, which still go on to the SDK's own handlers.
 */
import { PackPolicy } from "../core";
import { Handler, Level, protoutil } from "./sdk";

export interface PackState {
    config: Record<string, Record<string, unknown>>;
    stackTags: unknown;
    /** Counts Configure calls: what was derived from the levels is recomputed after one. */
    generation: number;
}

function freezeMap(map: Map<string, string>) {
    return Object.freeze({
        entries: map.entries.bind(map),
        forEach: map.forEach.bind(map),
        get: map.get.bind(map),
        has: map.has.bind(map),
        keys: map.keys.bind(map),
        size: map.size,
        values: map.values.bind(map),
        [Symbol.iterator]: map[Symbol.iterator].bind(map),
    });
}

export const initialPackState = (): PackState => ({ config: {}, stackTags: freezeMap(new Map()), generation: 0 });

export const levelOf = (state: PackState, p: PackPolicy, packLevel: Level): Level =>
    ((state.config[p.name]?.enforcementLevel as Level | undefined) || p.enforcementLevel || packLevel) as Level;

export function getConfigFun(state: PackState, name: string) {
    return () => {
        const c = state.config[name];
        if (!c) return {};
        const { enforcementLevel: _level, ...properties } = c;
        return properties;
    };
}

/** The SDK's Configure and ConfigureStack handlers, recording their payload in `state` first. */
export function configureHandlers(
    impl: Record<string, Handler>,
    state: PackState,
): { configure: Handler; configureStack: Handler } {
    return {
        configure: (call, callback) => {
            try {
                const config: PackState["config"] = {};
                for (const [k, v] of call.request.getPolicyconfigMap().entries()) {
                    config[k] = {
                        ...v.getProperties().toJavaScript(),
                        enforcementLevel: protoutil.convertEnforcementLevel(v.getEnforcementlevel()),
                    };
                }
                state.config = config;
                state.generation++;
            } catch {
                // The SDK's own handler answers the same request with its error.
            }
            impl.configure(call, callback);
        },
        configureStack: (call, callback) => {
            try {
                const map = new Map<string, string>();
                call.request.getTagsMap().forEach((v: string, k: string) => map.set(k, v));
                state.stackTags = freezeMap(map);
            } catch {
                // As above.
            }
            impl.configureStack(call, callback);
        },
    };
}
