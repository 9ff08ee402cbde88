/**
 * The analyzer server of `@pulumi/policy` 1.21 runs every policy of the pack for every request, and rebuilds the stack's
 * resource graph once per stack policy. This module installs two handlers in its place, with the same answers
 * (test/policies/fast-analyzer.test.ts compares both servers' responses over the protocol):
 *
 * - Analyze: a resource rule that does not judge the request's type (its `typeFilter`, policies/core.ts) is not run;
 *   its not-applicable entry (the reason the rule itself gives) is added to the response in the policy's place, unless
 *   the policy is disabled, as the SDK does. The rules that judge the type run through the SDK's own handler
 *   (`makeAnalyzeRpcFun`). Most rules judge few types, so most of the per-policy work (options, proxies, a promise, a
 *   thrown not-applicable) goes.
 * - AnalyzeStack: the SDK's loop (server.js `makeAnalyzeStackRpcFun`), except that the resource graph is built once for
 *   all stack policies and handed to each (stack rules then share one StackIndex, policies/stack-rule.ts). Policies
 *   must treat it as read-only, as this pack's do.
 *
 * Configure and ConfigureStack still go to the SDK; their payload is also kept here (levels, config, stack tags).
 * Importing it installs the handlers (a pack that does not import it is served by the SDK's, as the comparison test's
 * fixture pack is). Import before the PolicyPack is constructed; any other @pulumi/policy version fails loudly so this
 * module is reviewed. It reads no environment: nothing outside the policy config changes how the pack answers.
 */
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
import * as path from "path";
import { PackPolicy, PackResourcePolicy, peek, topLevelProperty } from "./core";

// The package.json of @pulumi/policy 1.21.0 says "v1.21.0".
const supportedVersion = "v1.21.0";
const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
const fromPolicy = (id: string) => require(require.resolve(id, { paths: [policyDir] }));

const sdkVersion = (require("@pulumi/policy/package.json") as { version: string }).version;
if (sdkVersion !== supportedVersion) {
    throw new Error(
        `policies/fast-analyzer.ts mirrors @pulumi/policy ${supportedVersion}'s analyzer server, found ${sdkVersion}: review it for this version`,
    );
}

const server = require("@pulumi/policy/server") as { serve: (...a: any[]) => void };
const policyModule = require("@pulumi/policy/policy") as {
    isResourcePolicy(p: unknown): boolean;
    isStackPolicy(p: unknown): boolean;
    getPulumiType(o: unknown): string | undefined;
};
const protoutil = require("@pulumi/policy/protoutil") as {
    makeAnalyzeResponse(ds: unknown[], na?: unknown[]): any;
    asGrpcError(e: unknown, m?: string): Error;
    convertEnforcementLevel(el: number): string;
};
const deserialize = require("@pulumi/policy/deserialize") as {
    deserializeProperties(s: object, proxySecrets: boolean): Record<string, unknown>;
};
const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T>(v: T): T;
    UnknownValueError: new (...a: any[]) => Error;
};
const analyzerproto = fromPolicy("@pulumi/pulumi/proto/analyzer_pb");
const grpc = fromPolicy("@grpc/grpc-js") as {
    Server: { prototype: { addService(service: unknown, impl: Record<string, Handler>): void } };
};

type Callback = (err: unknown, response?: any) => void;
type Handler = (call: { request: any }, callback: Callback) => void;
type Level = "advisory" | "mandatory" | "remediate" | "disabled";

/** What the SDK keeps in module state (server.js `policyPackConfig`, `stackTags`), kept here from the same requests. */
interface PackState {
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

const levelOf = (state: PackState, p: PackPolicy, packLevel: Level): Level =>
    ((state.config[p.name]?.enforcementLevel as Level | undefined) || p.enforcementLevel || packLevel) as Level;

function getConfigFun(state: PackState, name: string) {
    return () => {
        const c = state.config[name];
        if (!c) return {};
        const { enforcementLevel: _level, ...properties } = c;
        return properties;
    };
}

class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}
const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicableError(reason);
};

function notApplicableEntry(policyName: string, reason?: string): any {
    const na = new analyzerproto.PolicyNotApplicable();
    na.setPolicyName(policyName);
    if (reason) na.setReason(reason);
    return na;
}

/** server.js makeReportViolationFun, verbatim in behaviour. */
function reportViolationFun(
    policyName: string,
    packName: string,
    packVersion: string,
    description: string,
    level: string,
    ds: any[],
    severity?: string,
) {
    return (message: any, urn?: string) => {
        if (typeof message === "object") {
            ds.push({
                policyName: message.name || policyName,
                policyPackName: packName,
                policyPackVersion: packVersion,
                message: message.message || message.description || description,
                urn: message.urn,
                description: message.description || description,
                enforcementLevel: message.enforcementLevel || level,
                severity: message.severity || severity,
            });
        } else {
            ds.push({
                policyName,
                policyPackName: packName,
                policyPackVersion: packVersion,
                message: message ? `${description}\n${message}` : description,
                urn,
                description,
                enforcementLevel: level,
                severity,
            });
        }
    };
}

/** server.js getResourceOptions, getProviderResource, getPropertyDependencies and isTypeOf. */
function resourceOptions(r: any) {
    const opts = r.getOptions();
    if (!opts)
        throw new Error(
            "A more recent version of the Pulumi CLI is required. To upgrade, see https://www.pulumi.com/docs/get-started/install/",
        );
    const timeouts = opts.getCustomtimeouts();
    const result: Record<string, unknown> = {
        protect: opts.getProtect(),
        ignoreChanges: opts.getIgnorechangesList(),
        aliases: opts.getAliasesList(),
        customTimeouts: {
            createSeconds: timeouts?.getCreate() ?? 0.0,
            updateSeconds: timeouts?.getUpdate() ?? 0.0,
            deleteSeconds: timeouts?.getDelete() ?? 0.0,
        },
        additionalSecretOutputs: opts.getAdditionalsecretoutputsList(),
    };
    if (opts.getDeletebeforereplacedefined()) result.deleteBeforeReplace = opts.getDeletebeforereplace();
    if (opts.getParent()) result.parent = opts.getParent();
    return result;
}
function providerResource(r: any) {
    const prov = r.getProvider();
    if (!prov) return undefined;
    return {
        type: prov.getType(),
        props: proxy.unknownCheckingProxy(deserialize.deserializeProperties(prov.getProperties(), false)),
        urn: prov.getUrn(),
        name: prov.getName(),
    };
}
function isTypeOf(type: string, resourceClass: any): boolean {
    const pulumiType = policyModule.getPulumiType(resourceClass);
    if (pulumiType) return type === pulumiType;
    const isInstance = resourceClass.isInstance;
    return Boolean(isInstance) && typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

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
 * The stack's resources linked by parent and (property) dependencies: the SDK's per-policy graph, built once. Each
 * resource's properties, options, provider and dependencies are decoded when a policy first reads them (most rules read
 * few resources); the values are the SDK's.
 */
function resourceGraph(resources: any[]): unknown[] {
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

function withoutFields(p: Record<string, unknown>, ...fields: string[]) {
    const out = { ...p };
    for (const f of fields) delete out[f];
    return out;
}

/** AnalyzeStack as server.js makeAnalyzeStackRpcFun answers it, with one resource graph for every stack policy. */
function analyzeStackHandler(
    packName: string,
    packVersion: string,
    packLevel: Level,
    policies: PackPolicy[],
    state: PackState,
): Handler {
    return (call, callback) => {
        (async () => {
            const resources = call.request.getResourcesList();
            const ds: any[] = [];
            let notApplicable: any[] | undefined;
            let graph: unknown[] | undefined;
            for (const p of policies) {
                let level = levelOf(state, p, packLevel);
                if (level === "disabled" || !policyModule.isStackPolicy(p)) continue;
                if (level === "remediate") level = "mandatory";
                const validateStack = (p as any).validateStack;
                const pulumiType = policyModule.getPulumiType(validateStack);
                if (pulumiType && !resources.some((r: any) => r.getType() === pulumiType)) {
                    (notApplicable ??= []).push(
                        notApplicableEntry(p.name, `Policy only applies to resources of type '${pulumiType}'`),
                    );
                    continue;
                }
                const report = reportViolationFun(p.name, packName, packVersion, p.description, level, ds, p.severity);
                try {
                    graph ??= resourceGraph(resources);
                    await Promise.resolve(
                        validateStack(
                            {
                                resources: graph,
                                getConfig: getConfigFun(state, p.name),
                                stackTags: state.stackTags,
                                notApplicable: throwNotApplicable,
                            },
                            report,
                        ),
                    );
                } catch (e) {
                    const policyFrom = `policy '${p.name}' from policy pack '${packName}@v${packVersion}'`;
                    if (e instanceof proxy.UnknownValueError) {
                        ds.push({
                            policyName: p.name,
                            policyPackName: packName,
                            policyPackVersion: packVersion,
                            message: `can't run ${policyFrom} during preview: ${e.message}`,
                            ...withoutFields(p as unknown as Record<string, unknown>, "validateStack", "name"),
                            enforcementLevel: "advisory",
                        });
                    } else if (e instanceof NotApplicableError) {
                        (notApplicable ??= []).push(notApplicableEntry(p.name, e.reason));
                    } else {
                        throw protoutil.asGrpcError(e, `Error validating resource with ${policyFrom}`);
                    }
                }
            }
            callback(undefined, protoutil.makeAnalyzeResponse(ds, notApplicable));
        })().catch((err) => callback(err, undefined));
    };
}

/**
 * The not-applicable entries of the rules that do not judge a type, encoded once per type (and per Configure, which may
 * disable rules): appended to the encoded response, they decode as the same entries after the others'.
 */
const encodedTails = new WeakMap<object, Buffer>();

function serializeWithTail(original: (response: any) => Buffer) {
    return (response: any): Buffer => {
        const tail = encodedTails.get(response);
        const head = original(response);
        return tail ? Buffer.concat([head, tail]) : head;
    };
}

/**
 * Analyze as server.js makeAnalyzeRpcFun answers it, except that a rule whose typeFilter does not judge the request's
 * type is answered not-applicable without running, and the request's options, provider and property proxy are built
 * once and shared by the rules that run (they only read them).
 */
function analyzeHandler(
    packName: string,
    packVersion: string,
    packLevel: Level,
    policies: PackPolicy[],
    state: PackState,
): Handler {
    const byType = new Map<string, { judged: boolean[]; tail?: Buffer; generation: number }>();
    const judgesOf = (type: string) => {
        let d = byType.get(type);
        if (!d)
            byType.set(
                type,
                (d = {
                    judged: policies.map((p) => (p as PackResourcePolicy).typeFilter?.judges(type) ?? true),
                    generation: -1,
                }),
            );
        if (d.generation !== state.generation) {
            // Rules the loop below skips for this type (it checks them in the same order); disabled rules give no entry.
            const skipped = policies.filter((p, i) => {
                if (d!.judged[i] || !policyModule.isResourcePolicy(p) || levelOf(state, p, packLevel) === "disabled")
                    return false;
                const validate = (p as PackResourcePolicy).validateResource as unknown;
                const pulumiType =
                    validate && !Array.isArray(validate) ? policyModule.getPulumiType(validate) : undefined;
                return Boolean(validate) && !(pulumiType && type !== pulumiType);
            });
            const tail = new analyzerproto.AnalyzeResponse();
            tail.setNotApplicableList(
                skipped.map((p) => notApplicableEntry(p.name, (p as PackResourcePolicy).typeFilter!.otherTypeReason)),
            );
            d.tail = skipped.length ? Buffer.from(tail.serializeBinary()) : undefined;
            d.generation = state.generation;
        }
        return d;
    };
    return (call, callback) => {
        (async () => {
            const req = call.request;
            const type: string = req.getType();
            const { judged, tail } = judgesOf(type);
            const ds: any[] = [];
            let notApplicable: any[] | undefined;
            let shared: { props: unknown; opts: unknown; provider: unknown } | undefined;
            for (let i = 0; i < policies.length; i++) {
                const p = policies[i] as PackResourcePolicy;
                let level = levelOf(state, p, packLevel);
                if (level === "disabled" || !policyModule.isResourcePolicy(p)) continue;
                const validate = p.validateResource as unknown;
                if (!validate) {
                    (notApplicable ??= []).push(
                        notApplicableEntry(p.name, "Policy does not implement validateResource"),
                    );
                    continue;
                }
                if (level === "remediate") level = "mandatory";
                if (!Array.isArray(validate)) {
                    const pulumiType = policyModule.getPulumiType(validate);
                    if (pulumiType && type !== pulumiType) {
                        (notApplicable ??= []).push(
                            notApplicableEntry(p.name, `Policy only applies to resources of type '${pulumiType}'`),
                        );
                        continue;
                    }
                }
                // In the encoded tail (see above).
                if (!judged[i]) continue;
                const report = reportViolationFun(p.name, packName, packVersion, p.description, level, ds, p.severity);
                for (const validation of (Array.isArray(validate) ? validate : [validate]) as ((
                    args: unknown,
                    report: unknown,
                ) => unknown)[]) {
                    try {
                        if (!shared) {
                            const props = proxy.unknownCheckingProxy(
                                deserialize.deserializeProperties(req.getProperties(), false),
                            );
                            shared = { props, opts: resourceOptions(req), provider: providerResource(req) };
                        }
                        const { props } = shared;
                        const args: Record<string, unknown> = {
                            type,
                            props,
                            urn: req.getUrn(),
                            name: req.getName(),
                            opts: shared.opts,
                            stackTags: state.stackTags,
                            isType: (resourceClass: unknown) => isTypeOf(type, resourceClass),
                            asType: (resourceClass: unknown) => (isTypeOf(type, resourceClass) ? props : undefined),
                            getConfig: getConfigFun(state, p.name),
                            notApplicable: throwNotApplicable,
                        };
                        if (shared.provider) args.provider = shared.provider;
                        const result = validation(args, report);
                        if (result !== undefined && typeof (result as Promise<unknown>).then === "function")
                            await result;
                    } catch (e) {
                        const policyFrom = `policy '${p.name}' from policy pack '${packName}@v${packVersion}'`;
                        if (e instanceof proxy.UnknownValueError) {
                            ds.push({
                                policyName: p.name,
                                policyPackName: packName,
                                policyPackVersion: packVersion,
                                message: `can't run ${policyFrom} during preview: ${e.message}`,
                                ...withoutFields(p as unknown as Record<string, unknown>, "validateResource", "name"),
                                enforcementLevel: "advisory",
                            });
                        } else if (e instanceof NotApplicableError) {
                            (notApplicable ??= []).push(notApplicableEntry(p.name, e.reason));
                        } else {
                            throw protoutil.asGrpcError(e, `Error validating resource with ${policyFrom}`);
                        }
                    }
                }
            }
            const response = protoutil.makeAnalyzeResponse(ds, notApplicable);
            if (tail) encodedTails.set(response, tail);
            callback(undefined, response);
        })().catch((err) => callback(err, undefined));
    };
}

function fastImplementation(
    impl: Record<string, Handler>,
    packName: string,
    packVersion: string,
    packLevel: Level,
    policies: PackPolicy[],
): Record<string, Handler> {
    const state: PackState = { config: {}, stackTags: freezeMap(new Map()), generation: 0 };
    return {
        ...impl,
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
        analyze: analyzeHandler(packName, packVersion, packLevel, policies, state),
        analyzeStack: analyzeStackHandler(packName, packVersion, packLevel, policies, state),
    };
}

{
    const serve = server.serve;
    // policy.js calls `server_1.serve(...)` through the module object, so replacing the export reaches it.
    server.serve = (
        packName: string,
        packVersion: string,
        packLevel: Level,
        packArgs: { policies?: PackPolicy[] },
        initialConfig: unknown,
    ) => {
        const addService = grpc.Server.prototype.addService;
        grpc.Server.prototype.addService = function (service: any, impl: Record<string, Handler>) {
            const isAnalyzer =
                typeof impl.analyze === "function" &&
                typeof impl.analyzeStack === "function" &&
                typeof impl.configure === "function" &&
                typeof service?.analyze?.responseSerialize === "function";
            if (!isAnalyzer) return addService.call(this, service, impl);
            const fastService = {
                ...service,
                analyze: {
                    ...service.analyze,
                    responseSerialize: serializeWithTail(service.analyze.responseSerialize),
                },
            };
            return addService.call(
                this,
                fastService,
                fastImplementation(impl, packName, packVersion, packLevel, packArgs.policies ?? []),
            );
        };
        try {
            return serve(packName, packVersion, packLevel, packArgs, initialConfig);
        } finally {
            grpc.Server.prototype.addService = addService;
        }
    };
}
