/**
 * Runs a Pulumi program under Pulumi's mock runtime and records what it would register, as the engine would see it:
 * URN, type, name, parent, serialized inputs (unknowns and secrets intact), options and (property) dependencies.
 * Shared by the offline plan and the component tests, so both see the same placeholder world.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { computedOutputs, azureName, placeholderClient, placeholderGroupObjectId, placeholderId } from "./placeholders";

import { unknownSentinel } from "./sentinel";

/** The value Pulumi's wire format uses for "known only after apply". */
export { unknownSentinel };

export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    /** Inputs in Pulumi's wire form: unknowns are `unknownSentinel`, secrets and resource references are signature objects. */
    inputs: Record<string, unknown>;
    /** The id the mock returned (empty in preview: unknown). */
    id?: string;
    protect: boolean;
    /** Explicit `dependsOn` plus implicit dependencies, as URNs. */
    dependencies: string[];
    /** Input property name to the URNs its value came from. */
    propertyDependencies: Record<string, string[]>;
    provider?: string;
    aliases: string[];
    deleteBeforeReplace: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
    /** Outputs registered by a component or the stack (registerOutputs). */
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
    "azuread:index/getClientConfig:getClientConfig": () => ({ clientId: placeholderClient.clientId, objectId: placeholderClient.objectId, tenantId: placeholderClient.tenantId }),
    "azuread:index/getGroup:getGroup": (args) => {
        const displayName = String(args.displayName ?? args.objectId ?? "group");
        const objectId = typeof args.objectId === "string" ? args.objectId : placeholderGroupObjectId(displayName);
        return { id: objectId, objectId, displayName, securityEnabled: true, mailEnabled: false, members: [], owners: [] };
    },
};

export class UnexpectedInvokeError extends Error {
    constructor(public readonly token: string) {
        super(`The program called the invoke '${token}', which the offline plan has no placeholder for. Known invokes: ${Object.keys(placeholderInvokes).join(", ")}`);
        this.name = "UnexpectedInvokeError";
    }
}

export class ProgramRunError extends Error {
    constructor(message: string, public readonly causes: unknown[]) {
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
    const map = req.getPropertydependenciesMap() as { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
    const out: Record<string, string[]> = {};
    map.forEach((v, k) => {
        out[k] = v.getUrnsList();
    });
    return out;
}

/** Wraps the mock monitor so every registration is recorded with what the engine would know of it. */
function recordRegistrations(resources: Map<string, PlannedResource>): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: Req, cb: Callback): Promise<void>;
        registerResourceOutputs(req: Req, cb: Callback): void;
        newUrn(parent: string, type: string, name: string): string;
    };
    // The engine does not qualify the types of the stack's direct children with the stack's type; the mock does.
    monitor.newUrn = (parent, type, name) => {
        const parentType = parent && !parent.split("::")[2].endsWith("pulumi:pulumi:Stack") ? parent.split("::")[2] : undefined;
        const qualified = parentType ? `${parentType}$${type}` : type;
        return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        register(req, (err, resp) => {
            if (!err && resp) {
                const urn = resp.getUrn();
                resources.set(urn, {
                    urn,
                    type: req.getType() as string,
                    name: req.getName() as string,
                    custom: req.getCustom() as boolean,
                    parent: (req.getParent() as string) || undefined,
                    inputs: toJs(req.getObject()),
                    id: resp.getId?.() || undefined,
                    protect: Boolean(req.getProtect()),
                    dependencies: req.getDependenciesList() as string[],
                    propertyDependencies: propertyDependenciesOf(req),
                    provider: (req.getProvider() as string) || undefined,
                    aliases: ((req.getAliasesList() as { getUrn(): string }[]) ?? []).map((a) => a.getUrn()).filter(Boolean),
                    deleteBeforeReplace: Boolean(req.getDeletebeforereplace()),
                    retainOnDelete: Boolean(req.getRetainondelete()),
                    ignoreChanges: req.getIgnorechangesList() as string[],
                    additionalSecretOutputs: req.getAdditionalsecretoutputsList() as string[],
                });
            }
            cb(err, resp);
        });
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        const r = resources.get(req.getUrn() as string);
        if (r) r.outputs = toJs(req.getOutputs());
        registerOutputs(req, cb);
    };
}

function makeMocks(preview: boolean, invokes: Record<string, InvokeHandler>, calls: InvokeRecord[], errors: unknown[]): pulumi.runtime.Mocks {
    return {
        newResource(args) {
            if (!args.custom) {
                return { id: undefined, state: {} };
            }
            const unknown = preview ? unknownSentinel : undefined;
            const state = { ...args.inputs, name: azureName(args.type, args.name, args.inputs), ...computedOutputs(args.type, args.name, args.inputs, unknown) };
            return { id: preview ? "" : placeholderId(args.type, args.name, args.inputs), state };
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
        await pulumi.runtime.setMocks(makeMocks(options.preview, { ...placeholderInvokes, ...options.invokes }, calls, errors), options.project, options.stack, options.preview);
        recordRegistrations(resources);
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
        return { project: options.project, stack: options.stack, preview: options.preview, resources: [...resources.values()], invokes: calls, outputs: outputs ?? {} };
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        process.off("unhandledRejection", onRejection);
    }
}
