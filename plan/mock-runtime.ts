/**
 * Runs a Pulumi program under Pulumi's mock runtime and records what it would register, as the engine would see it:
 * URN, type, name, parent, inputs after the provider's Check and the outputs the provider returns (unknowns and
 * secrets intact, in wire form), options and (property) dependencies. The program itself sees those outputs, as it
 * would see the provider's (a preview's `name` and `id` are unknown). Shared by the offline plan and the component
 * tests, so both see the same placeholder world.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { placeholderClient, placeholderGroupObjectId } from "./placeholders";
import { checkedInputs } from "./provider/check";
import { providerOutputs } from "./provider/outputs";
import { releaseDeclarationBytes } from "./provider/sdk-schema";
import { unknownSentinel } from "./sentinel";

/** The value Pulumi's wire format uses for "known only after apply". */
export { unknownSentinel };

export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    /**
     * Inputs in Pulumi's wire form (unknowns are `unknownSentinel`, secrets and resource references are signature
     * objects), after the provider's Check (plan/provider/check.ts): what the engine sends to Analyze.
     */
    inputs: Record<string, unknown>;
    /** The id the mock returned (empty in preview: unknown). */
    id?: string;
    protect: boolean;
    /** Explicit `dependsOn` plus implicit dependencies, as URNs. */
    dependencies: string[];
    /** Input property name to the URNs its value came from. */
    propertyDependencies: Record<string, string[]>;
    /** An explicit provider reference (`<urn>::<id>`); empty when the engine's default provider serves the resource. */
    provider?: string;
    /** The provider version the SDK asked for (the engine names its default provider after it). */
    version?: string;
    aliases: string[];
    /** Set only when the program set it. */
    deleteBeforeReplace?: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
    /** Custom timeouts in seconds, as the engine holds them (parsed from the SDK's duration strings). */
    customTimeouts?: { create: number; update: number; delete: number };
    /**
     * What the engine holds as the resource's outputs (wire form): for a custom resource, what its provider returned
     * (plan/provider/outputs.ts); for a component or the stack, what it registered (registerOutputs).
     */
    outputs?: Record<string, unknown>;
}

export interface InvokeRecord {
    token: string;
    args: Record<string, unknown>;
}

export interface ProgramRun {
    project: string;
    stack: string;
    preview: boolean;
    resources: PlannedResource[];
    invokes: InvokeRecord[];
    /** Stack outputs (the program's exports), resolved. */
    outputs: Record<string, unknown>;
}

export type InvokeHandler = (args: Record<string, unknown>) => Record<string, unknown>;

/** What the offline plan answers for each invoke it knows; anything else fails the run naming the token. */
export const placeholderInvokes: Record<string, InvokeHandler> = {
    "azure-native:authorization:getClientConfig": () => ({ ...placeholderClient }),
    "azuread:index/getClientConfig:getClientConfig": () => ({
        clientId: placeholderClient.clientId,
        objectId: placeholderClient.objectId,
        tenantId: placeholderClient.tenantId,
    }),
    "azuread:index/getGroup:getGroup": (args) => {
        const displayName = String(args.displayName ?? args.objectId ?? "group");
        const objectId = typeof args.objectId === "string" ? args.objectId : placeholderGroupObjectId(displayName);
        return {
            id: objectId,
            objectId,
            displayName,
            securityEnabled: true,
            mailEnabled: false,
            members: [],
            owners: [],
        };
    },
};

export class UnexpectedInvokeError extends Error {
    constructor(public readonly token: string) {
        super(
            `The program called the invoke '${token}', which the offline plan has no placeholder for. Known invokes: ${Object.keys(placeholderInvokes).join(", ")}`,
        );
        this.name = "UnexpectedInvokeError";
    }
}

export class ProgramRunError extends Error {
    constructor(
        message: string,
        public readonly causes: unknown[],
    ) {
        super(message);
        this.name = "ProgramRunError";
    }
}

export interface RunOptions {
    project: string;
    stack: string;
    /** Flat config as Pulumi holds it: `<namespace>:<key>` to string (objects JSON-encoded). */
    config: Record<string, string>;
    /** Preview: ids and cloud-computed outputs unknown, as in `pulumi preview`. */
    preview: boolean;
    /** A program module path (its exports become stack outputs; a default-exported function is called), or a function. */
    program: string | (() => unknown);
    /** Extra or overriding invoke answers. */
    invokes?: Record<string, InvokeHandler>;
}

type Req = { [k: string]: (...a: unknown[]) => unknown };
type Callback = (err: unknown, resp?: { getUrn(): string; getId?(): string }) => void;

function toJs(value: unknown): Record<string, unknown> {
    const struct = value as { toJavaScript?: () => Record<string, unknown> } | undefined;
    return struct?.toJavaScript ? struct.toJavaScript() : {};
}

function propertyDependenciesOf(req: Req): Record<string, string[]> {
    const map = req.getPropertydependenciesMap() as {
        forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void;
    };
    const out: Record<string, string[]> = {};
    map.forEach((v, k) => {
        out[k] = v.getUrnsList();
    });
    return out;
}

/** A Go duration (`1h30m`, `10m`, `90s`, `500ms`) in seconds, as the engine parses a resource's custom timeouts. */
export function durationSeconds(text: string): number {
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6, µs: 1e-6, ns: 1e-9 };
    let total = 0;
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(m[1]) * units[m[2]];
    return total;
}

function customTimeoutsOf(req: Req): PlannedResource["customTimeouts"] {
    const t = req.getCustomtimeouts() as { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
    if (!t || !(t.getCreate() || t.getUpdate() || t.getDelete())) return undefined;
    return {
        create: durationSeconds(t.getCreate()),
        update: durationSeconds(t.getUpdate()),
        delete: durationSeconds(t.getDelete()),
    };
}

/** What the mock answers for the registration in flight (set just before the mock monitor calls `newResource`). */
interface PendingState {
    type: string;
    name: string;
    id: string;
    outputs: Record<string, unknown>;
}

/**
 * Wraps the mock monitor so every registration is recorded with what the engine would know of it, and answers a
 * custom resource's registration with its provider's outputs (via `pending`, read by the mocks' `newResource`).
 */
function recordRegistrations(
    resources: Map<string, PlannedResource>,
    preview: boolean,
    pending: { state?: PendingState },
): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: Req, cb: Callback): Promise<void>;
        registerResourceOutputs(req: Req, cb: Callback): void;
        newUrn(parent: string, type: string, name: string): string;
    };
    // The engine does not qualify the types of the stack's direct children with the stack's type; the mock does.
    monitor.newUrn = (parent, type, name) => {
        const parentType =
            parent && !parent.split("::")[2].endsWith("pulumi:pulumi:Stack") ? parent.split("::")[2] : undefined;
        const qualified = parentType ? `${parentType}$${type}` : type;
        return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        const type = req.getType() as string;
        const name = req.getName() as string;
        const custom = req.getCustom() as boolean;
        const inputs = custom ? checkedInputs(type, toJs(req.getObject())) : toJs(req.getObject());
        const outputs = custom ? providerOutputs(type, name, inputs, preview) : undefined;
        if (outputs) pending.state = { type, name, id: preview ? "" : String(outputs.id ?? ""), outputs };
        return register(req, (err, resp) => {
            if (!err && resp) {
                const urn = resp.getUrn();
                resources.set(urn, {
                    urn,
                    type,
                    name,
                    custom,
                    parent: (req.getParent() as string) || undefined,
                    inputs,
                    id: resp.getId?.() || undefined,
                    protect: Boolean(req.getProtect()),
                    dependencies: req.getDependenciesList() as string[],
                    propertyDependencies: propertyDependenciesOf(req),
                    provider: (req.getProvider() as string) || undefined,
                    version: (req.getVersion() as string) || undefined,
                    aliases: ((req.getAliasesList() as { getUrn(): string }[]) ?? [])
                        .map((a) => a.getUrn())
                        .filter(Boolean),
                    deleteBeforeReplace: req.getDeletebeforereplacedefined()
                        ? Boolean(req.getDeletebeforereplace())
                        : undefined,
                    retainOnDelete: Boolean(req.getRetainondelete()),
                    ignoreChanges: req.getIgnorechangesList() as string[],
                    additionalSecretOutputs: req.getAdditionalsecretoutputsList() as string[],
                    customTimeouts: customTimeoutsOf(req),
                    outputs,
                });
            }
            cb(err, resp);
        });
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        const r = resources.get(req.getUrn() as string);
        if (r) r.outputs = toJs(req.getOutputs());
        registerOutputs(req, cb);
    };
}

function makeMocks(
    pending: { state?: PendingState },
    invokes: Record<string, InvokeHandler>,
    calls: InvokeRecord[],
    errors: unknown[],
): pulumi.runtime.Mocks {
    return {
        newResource(args) {
            if (!args.custom) return { id: undefined, state: {} };
            const state = pending.state;
            pending.state = undefined;
            if (!state || state.type !== args.type || state.name !== args.name) {
                throw new Error(
                    `The offline plan has no provider outputs for ${args.type} '${args.name}': the mock monitor's registration order changed`,
                );
            }
            // An empty id is an unknown id (a preview's create).
            return { id: state.id, state: state.outputs };
        },
        call(args) {
            calls.push({ token: args.token, args: args.inputs });
            const handler = invokes[args.token];
            if (!handler) {
                // Throwing here would surface as an unhandled rejection inside the SDK; record it and fail the run at the end.
                errors.push(new UnexpectedInvokeError(args.token));
                return {};
            }
            return handler(args.inputs);
        },
    };
}

/** Resolves when the promise settles or every outstanding registration has drained. */
async function drainRpcs(): Promise<void> {
    // waitForRPCs is internal to @pulumi/pulumi but stable since 1.0; it is what the SDK awaits before disconnecting.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
}

/**
 * Runs a program under mocks and returns what it registered. Throws ProgramRunError when the program throws,
 * an invoke has no placeholder, or a registration fails; no partial result is returned.
 */
export async function runProgram(options: RunOptions): Promise<ProgramRun> {
    const resources = new Map<string, PlannedResource>();
    const calls: InvokeRecord[] = [];
    const errors: unknown[] = [];
    const onRejection = (reason: unknown) => errors.push(reason);
    process.on("unhandledRejection", onRejection);
    // The SDK captures `new Error().stack` for every promise it wraps and every resource (for leak reports and source
    // positions the mocks never use); where source maps are installed (ts-node, jest) each capture maps every frame.
    // A run reports error messages, never stacks: capture none while it runs.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        pulumi.runtime.setAllConfig(options.config);
        const pending: { state?: PendingState } = {};
        await pulumi.runtime.setMocks(
            makeMocks(pending, { ...placeholderInvokes, ...options.invokes }, calls, errors),
            options.project,
            options.stack,
            options.preview,
        );
        recordRegistrations(resources, options.preview, pending);
        const program = options.program;
        // The program's own errors are caught inside the stack's init: a rejection escaping it would surface as an
        // unhandled rejection inside the SDK instead of as this run's error.
        const outputs = (await pulumi.runtime.runInPulumiStack(async () => {
            try {
                if (typeof program === "function") return await program();
                const mod = await import(path.resolve(program));
                return typeof mod.default === "function" ? await mod.default() : mod;
            } catch (e) {
                errors.push(e);
                return {};
            }
        })) as Record<string, unknown>;
        await drainRpcs();
        if (errors.length > 0) {
            const first = errors.find((e) => e instanceof UnexpectedInvokeError) ?? errors[0];
            const message = first instanceof Error ? first.message : String(first);
            throw new ProgramRunError(`Program for stack '${options.stack}' failed: ${message}`, errors);
        }
        return {
            project: options.project,
            stack: options.stack,
            preview: options.preview,
            resources: [...resources.values()],
            invokes: calls,
            outputs: outputs ?? {},
        };
    } finally {
        releaseDeclarationBytes();
        Error.stackTraceLimit = stackTraceLimit;
        process.off("unhandledRejection", onRejection);
    }
}
