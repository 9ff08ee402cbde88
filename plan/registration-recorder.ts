/**
 * Wraps the mock monitor so every registration is recorded with what the engine would know of it, and answers a
 * custom resource's registration with its provider's outputs (via `pending`, read by the mocks' `newResource`).
 */
import * as pulumi from "@pulumi/pulumi";
import { constructionLine, RegistrationStack } from "./construction-sites";
import type { PendingState } from "./mock-answers";
import type { PlannedResource } from "./program-run";
import { checkedInputs } from "./provider/check";
import { providerOutputs } from "./provider/outputs";

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

/**
 * Records every registration of the current mock monitor into `resources` (by URN); with `programFile`, also the line
 * of that file at which each resource was constructed.
 */
export function recordRegistrations(
    resources: Map<string, PlannedResource>,
    preview: boolean,
    pending: { state?: PendingState },
    programFile?: string,
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
        const programLine = programFile
            ? constructionLine(req as unknown as RegistrationStack, programFile)
            : undefined;
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
                    ...(programLine ? { programLine } : {}),
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
