/**
 * The stack's resources linked by parent and (property) dependencies, as server.js makeAnalyzeStackRpcFun builds them
 * for each stack policy, built here once per AnalyzeStack request and shared by every stack policy (which must treat it
 * as read-only, as this pack's do).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { peek, topLevelProperty } from "../core";
import { isTypeOf, providerResource, resourceOptions } from "./resource-decoding";
import { deserialize, proxy } from "./sdk";

/** Defines `key` on `obj` as computed on first read, then kept (a plain data property from then on). */
function lazy(obj: Record<string, unknown>, key: string, compute: () => unknown): void {
    Object.defineProperty(obj, key, {
        configurable: true,
        enumerable: true,
        get() {
            const value = compute();
            Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
            return value;
        },
    });
}

/**
 * One top-level property of a graph resource, as `peek(resource.props, key)` reads it: from the decoded properties when
 * a policy has decoded them, else by decoding only that field of the Struct through the SDK's own deserializer.
 */
function topLevel(resource: Record<string, unknown>, struct: any, key: string): unknown {
    const decoded = Object.getOwnPropertyDescriptor(resource, "props");
    if (!struct || (decoded && "value" in decoded)) return peek(resource.props, key);
    const field = struct.getFieldsMap().get(key);
    if (field === undefined) return undefined;
    const one = deserialize.deserializeProperties({ toJavaScript: () => ({ [key]: field.toJavaScript() }) }, false);
    return peek(proxy.unknownCheckingProxy(one), key);
}

/**
 * The graph of the request's resources. Each resource's properties, options, provider and dependencies are decoded when
 * a policy first reads them; the values are the SDK's.
 */
export function resourceGraph(resources: any[]): unknown[] {
    const byUrn = new Map<string, Record<string, unknown>>();
    const link = (urns: string[]) => urns.map((d) => byUrn.get(d)).filter((d) => d);
    const graph = resources.map((r) => {
        const type = r.getType();
        const resource: Record<string, unknown> = {
            type,
            urn: r.getUrn(),
            name: r.getName(),
            isType: (resourceClass: unknown) => isTypeOf(type, resourceClass),
            asType: (resourceClass: unknown) => (isTypeOf(type, resourceClass) ? resource.props : undefined),
        };
        lazy(resource, "props", () =>
            proxy.unknownCheckingProxy(deserialize.deserializeProperties(r.getProperties(), false)),
        );
        Object.defineProperty(resource, topLevelProperty, {
            value: (key: string) => topLevel(resource, r.getProperties(), key),
        });
        lazy(resource, "opts", () => resourceOptions(r));
        lazy(resource, "dependencies", () => link(r.getDependenciesList()));
        lazy(resource, "propertyDependencies", () => {
            const out: Record<string, unknown[]> = {};
            const map = r.getPropertydependenciesMap();
            if (map) for (const [k, v] of map.entries()) out[k] = link(v.getUrnsList());
            return out;
        });
        if (r.getProvider()) lazy(resource, "provider", () => providerResource(r));
        byUrn.set(resource.urn as string, resource);
        return { resource, parent: r.getParent() as string };
    });
    for (const { resource, parent } of graph) {
        const p = parent ? byUrn.get(parent) : undefined;
        if (p) resource.parent = p;
    }
    return graph.map((g) => g.resource);
}
