/**
 * Runs policies the way the SDK's server does, without a server: props behind the unknown-checking proxy,
 * config with the schema's defaults applied (as the engine does), not-applicable and unknown values caught.
 */
import {
    PolicyResource,
    ResourceValidationPolicy,
    StackValidationPolicy,
    unknownCheckingProxy,
    UnknownValueError,
} from "@pulumi/policy";
import { PackPolicy, withDefaults } from "../../policies/core";

/** The wire sentinel of an unknown string (what a preview sends for an id not yet assigned). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** A same-realm deep copy (structuredClone's objects fail `instanceof Object` inside jest's sandbox, and the SDK's proxy then skips them). */
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export const project = "azure-openai-landing-zone";

export const urnOf = (stack: string, type: string, name: string) => `urn:pulumi:${stack}::${project}::${type}::${name}`;

export interface Outcome {
    violations: { message: string; urn?: string; name?: string; enforcementLevel?: string }[];
    notApplicable?: string;
    notEvaluated?: string;
}

class NotApplicable extends Error {
    constructor(readonly reason?: string) {
        super(reason);
    }
}

const collect = (out: Outcome) => (message: unknown, urn?: string) => {
    if (typeof message === "object" && message !== null) out.violations.push(message as Outcome["violations"][number]);
    else out.violations.push({ message: String(message), urn });
};

async function capture(out: Outcome, run: () => Promise<void> | void): Promise<Outcome> {
    try {
        await run();
    } catch (e) {
        if (e instanceof NotApplicable) out.notApplicable = e.reason ?? "";
        else if (e instanceof UnknownValueError) out.notEvaluated = (e as Error).message;
        else throw e;
    }
    return out;
}

export interface ResourceFixture {
    type: string;
    name: string;
    props: Record<string, unknown>;
    stack?: string;
    protect?: boolean;
    provider?: Record<string, unknown>;
}

/**
 * The run the policies are told they are in: the SDK hands every Analyze and AnalyzeStack of one ConfigureStack the
 * same `stackTags` object (policies/exemptions/run-state.ts). Calls share it until `newRun()`, as one run's do.
 */
let run: ReadonlyMap<string, string> = new Map();
export function newRun(): void {
    run = new Map();
}

export async function runResource(
    policy: PackPolicy,
    r: ResourceFixture,
    config: Record<string, unknown> = {},
): Promise<Outcome> {
    const p = policy as ResourceValidationPolicy;
    if (!p.validateResource || Array.isArray(p.validateResource))
        throw new Error(`${policy.name} is not a resource policy`);
    const validate = p.validateResource;
    const out: Outcome = { violations: [] };
    const args = {
        type: r.type,
        name: r.name,
        urn: urnOf(r.stack ?? "eu-prod", r.type, r.name),
        props: unknownCheckingProxy(clone(r.props)),
        opts: {
            protect: r.protect ?? false,
            ignoreChanges: [],
            aliases: [],
            additionalSecretOutputs: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        },
        provider: r.provider
            ? {
                  type: "pulumi:providers:azure-native",
                  name: "default",
                  urn: "urn:provider",
                  props: unknownCheckingProxy(r.provider),
              }
            : undefined,
        stackTags: run,
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => withDefaults<T>(policy.configSchema, config),
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
    return capture(out, () => validate(args as never, collect(out) as never));
}

export interface StackFixture {
    type: string;
    name: string;
    props: Record<string, unknown>;
    parent?: string;
    protect?: boolean;
    /** Input property to the names of the resources its value came from. */
    deps?: Record<string, string[]>;
}

/** Builds the SDK's PolicyResource graph for a stack: URNs from names, parents and property dependencies linked. */
export function buildStack(stack: string, fixtures: StackFixture[]): PolicyResource[] {
    const urns = new Map(fixtures.map((f) => [f.name, urnOf(stack, f.type, f.name)]));
    const resources = fixtures.map((f) => ({
        type: f.type,
        name: f.name,
        urn: urns.get(f.name) as string,
        props: unknownCheckingProxy(clone(f.props)),
        opts: {
            protect: f.protect ?? false,
            ignoreChanges: [],
            aliases: [],
            additionalSecretOutputs: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        },
        dependencies: [] as PolicyResource[],
        propertyDependencies: {} as Record<string, PolicyResource[]>,
        isType: () => false,
        asType: () => undefined,
    })) as unknown as PolicyResource[];
    const byName = new Map(resources.map((r) => [r.name, r]));
    fixtures.forEach((f, i) => {
        const r = resources[i];
        if (f.parent) r.parent = byName.get(f.parent);
        for (const [prop, names] of Object.entries(f.deps ?? {})) {
            r.propertyDependencies[prop] = names.map((n) => {
                const target = byName.get(n);
                if (!target) throw new Error(`fixture ${f.name}: deps.${prop} names unknown resource ${n}`);
                return target;
            });
            r.dependencies.push(...r.propertyDependencies[prop]);
        }
    });
    return resources;
}

export async function runStack(
    policy: PackPolicy,
    resources: PolicyResource[],
    config: Record<string, unknown> = {},
): Promise<Outcome> {
    const p = policy as StackValidationPolicy;
    if (typeof p.validateStack !== "function") throw new Error(`${policy.name} is not a stack policy`);
    const out: Outcome = { violations: [] };
    const args = {
        resources,
        stackTags: run,
        getConfig: <T extends object>() => withDefaults<T>(policy.configSchema, config),
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
    return capture(out, () => p.validateStack(args as never, collect(out) as never));
}
