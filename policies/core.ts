/**
 * Building blocks every policy of the pack uses: the policy type (a @pulumi/policy policy plus the shared
 * metadata), safe readers for values that may be unknown in preview, and violation messages that name the
 * resource, the property and the fix.
 */
import {
    PolicyConfigSchema,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
    UnknownValueError,
} from "@pulumi/policy";
import { PolicyMetadata } from "./verdict-protocol";

/**
 * The answer a resource rule gives for a type it does not judge, known without running it: the pack's analyzer
 * dispatch (policies/analyzer/analyze.ts) answers not-applicable with `otherTypeReason` itself instead of calling the rule.
 */
export interface TypeFilter {
    /** Whether the rule judges resources of this (raw) type token. */
    judges(type: string): boolean;
    otherTypeReason: string;
}

export type PackResourcePolicy = ResourceValidationPolicy & PolicyMetadata & { typeFilter?: TypeFilter };
export type PackStackPolicy = StackValidationPolicy & PolicyMetadata;
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

export function isStackPolicy(p: PackPolicy): p is PackStackPolicy {
    return typeof (p as PackStackPolicy).validateStack === "function";
}

/** Documentation of the rules (SARIF helpUri); one anchor per rule. */
export const docsUrl = (policyName: string) =>
    `https://github.com/contoso/azure-openai-landing-zone/blob/main/docs/policies.md#${policyName}`;

/** What resource and stack rules declare alike: the SDK's policy fields and the pack's metadata. */
export interface RuleSpecBase extends Pick<PolicyMetadata, "anchors" | "nonExemptable"> {
    name: string;
    description: string;
    severity: Severity;
    remediationSteps: string;
    enforcementLevel?: "mandatory" | "advisory";
    concerns: readonly string[];
    configSchema?: PolicyConfigSchema;
    /** Not-applicable reason for resources of other types (default: `applies to <type names of the concerns> only`). */
    otherTypeReason?: string;
}

/** The fields every rule of the pack carries, from its spec. */
export function ruleFields(spec: RuleSpecBase) {
    return {
        name: spec.name,
        description: spec.description,
        severity: spec.severity,
        remediationSteps: spec.remediationSteps,
        enforcementLevel: spec.enforcementLevel ?? ("mandatory" as const),
        configSchema: spec.configSchema,
        concerns: [...spec.concerns],
        anchors: spec.anchors,
        nonExemptable: spec.nonExemptable,
        url: docsUrl(spec.name),
    };
}

/** Marker for a value the engine does not know yet (preview). */
export const unknown = Symbol("unknown");
export type Maybe<T> = T | typeof unknown;

/**
 * Reads `path` from `obj` without letting the SDK's unknown-checking proxy throw: an unknown value comes back as
 * `unknown`. Policies decide per case whether an unknown means "cannot judge" (rethrow) or "look elsewhere".
 */
export function peek(obj: unknown, ...path: (string | number)[]): Maybe<unknown> {
    let cur: unknown = obj;
    // The proxy's UnknownValueError is caught here and never shown: its stack trace is not worth capturing.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        for (const key of path) {
            if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
            try {
                cur = (cur as Record<string | number, unknown>)[key];
            } catch (e) {
                if (e instanceof UnknownValueError) return unknown;
                throw e;
            }
        }
        return cur;
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/**
 * Set by the pack's AnalyzeStack handler (policies/analyzer/resource-graph.ts) on each resource of its graph: reads one top-level
 * property without decoding the others (the StackIndex reads every resource's `id` and `name`, most rules little else).
 * The value is the SDK's own decoding of that field.
 */
export const topLevelProperty = Symbol.for("azure-openai-lz:top-level-property");

/** `peek(r.props, key)` for one top-level property, decoding only that property where the handler allows it. */
export function peekTop(r: { props: unknown }, key: string): Maybe<unknown> {
    const read = (r as { [topLevelProperty]?: (key: string) => Maybe<unknown> })[topLevelProperty];
    return typeof read === "function" ? read(key) : peek(r.props, key);
}

/** Reads `path` and throws UnknownValueError (verdict not-evaluated) when the value is unknown. */
export function known(obj: unknown, ...path: (string | number)[]): unknown {
    const v = peek(obj, ...path);
    if (v === unknown) throw new UnknownValueError("04da6b54-80e4-46f7-96ec-b56ff0331ba9", path.map(String));
    return v;
}

/** Throws UnknownValueError naming what could not be known (a stack policy's missing link). */
export function cannotKnow(what: string): never {
    const e = new UnknownValueError("04da6b54-80e4-46f7-96ec-b56ff0331ba9", []);
    e.message = `${what} can't be known during preview`;
    throw e;
}

export const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
export const show = (v: unknown): string => (v === undefined ? "not set" : JSON.stringify(v));

/**
 * The ARM type a generic resource (`azure-native:resources:Resource`) creates, e.g. `Microsoft.KeyVault/vaults/keys`:
 * its namespace, the type segments of its parent path (`vaults/kv1` → `vaults`) and its resource type. Throws
 * UnknownValueError (not-evaluated) when the namespace or type is unknown.
 */
export function armTypeOfGeneric(props: Record<string, unknown>): string | undefined {
    const namespace = known(props, "resourceProviderNamespace");
    const resourceType = known(props, "resourceType");
    if (typeof namespace !== "string" || typeof resourceType !== "string") return undefined;
    const parent = peek(props, "parentResourcePath");
    const parentTypes =
        typeof parent === "string"
            ? parent
                  .split("/")
                  .filter((_s, i) => i % 2 === 0)
                  .filter(Boolean)
            : [];
    return [namespace, ...parentTypes, resourceType].join("/");
}

/** `Account 'contoso-weu-openai'`: how messages name a resource (the URN travels separately). */
export function describe(r: { type: string; name: string }): string {
    const shortType = r.type.split(":").pop()?.split("/").pop() ?? r.type;
    return `${shortType} '${r.name}'`;
}

/** `<resource>: <property> is <actual>: <fix>` */
export function finding(r: { type: string; name: string }, property: string, actual: string, fix: string): string {
    return `${describe(r)}: ${property} ${actual}: ${fix}`;
}

/** The stack a URN belongs to: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackOfUrn(urn: string): string {
    const m = /^urn:pulumi:([^:]+)::/.exec(urn);
    return m ? m[1] : "";
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Applies a schema's defaults to the config the engine passed, as the engine does (for callers that run policies themselves). */
export function withDefaults<T extends object>(
    schema: PolicyConfigSchema | undefined,
    config: Record<string, unknown>,
): T {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema?.properties ?? {})) {
        // A default is copied only where the config has no value (rules run per resource; most configs set every key).
        if (!(k in config) && typeof s === "object" && s !== null && "default" in s) out[k] = clone(s.default);
    }
    return { ...out, ...config } as T;
}

/** Resource args the resource policies of this pack accept: the SDK's, or a stack resource re-judged by a stack policy. */
export type ResourceArgs = Pick<
    ResourceValidationArgs,
    "type" | "props" | "urn" | "name" | "opts" | "getConfig" | "notApplicable"
>;

export type { PolicyResource };
