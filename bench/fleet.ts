/**
 * Synthetic fleets built from the real stacks, so the benchmark measures what the platform really plans:
 * - `cloneZones`: one planned stack's resources repeated as N regional landing zones in one stack (for policy evaluation);
 * - `fleetStackConfigs`: N stack configs derived from the real ones, each with its own region and name prefix (for planning).
 */
import { parse, stringify } from "yaml";
import { projectName } from "../infra/config";
import { getProfile } from "../catalogue/profiles";
import { findModelVersion } from "../catalogue/models";

/** The fields of a planned resource that link it to others; any other fields are cloned as they are. */
export interface FleetResource {
    urn: string;
    type: string;
    parent?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    inputs: Record<string, unknown>;
}

const stackType = "pulumi:pulumi:Stack";
export const zoneSuffix = (zone: number): string => `z${String(zone).padStart(4, "0")}`;

/** Deep-copies a value, passing every string through `rename`. */
function mapStrings(value: unknown, rename: (s: string) => string): unknown {
    if (typeof value === "string") return rename(value);
    if (Array.isArray(value)) return value.map((v) => mapStrings(v, rename));
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, rename);
        return out;
    }
    return value;
}

/**
 * Repeats a stack's resources as `zones` landing zones: every URN gets a zone suffix on its name, every string that
 * contains the stack's name prefix (Azure names, ARM ids, resource group names) gets a zone-specific prefix, and
 * references between resources are renamed consistently. The stack resource itself appears once, parent of all zones.
 */
export function cloneZones<R extends FleetResource>(resources: readonly R[], namePrefix: string, zones: number): R[] {
    if (!Number.isInteger(zones) || zones < 1) throw new Error(`zones: expected an integer >= 1, got ${zones}`);
    if (!namePrefix) throw new Error("namePrefix: expected the stack's non-empty name prefix");
    const stackUrns = new Set(resources.filter((r) => r.type === stackType).map((r) => r.urn));
    const urns = new Set(resources.map((r) => r.urn));
    const out: R[] = resources.filter((r) => stackUrns.has(r.urn));
    for (let zone = 0; zone < zones; zone++) {
        const suffix = zoneSuffix(zone);
        const rename = (s: string): string => {
            if (urns.has(s)) return stackUrns.has(s) ? s : `${s}-${suffix}`;
            return s.includes(namePrefix) ? s.split(namePrefix).join(`${namePrefix}-${suffix}`) : s;
        };
        for (const r of resources) {
            if (!stackUrns.has(r.urn)) out.push(mapStrings(r, rename) as R);
        }
    }
    return out;
}

export interface StackFile {
    /** Stack name (the `<name>` of `Pulumi.<name>.yaml`). */
    stack: string;
    text: string;
}

type Config = Record<string, unknown>;

/** Whether every deployment of a stack is offered in `region` at its SKU, as far as the model catalogue records. */
function offersAll(deployments: unknown, region: string): boolean {
    return (Array.isArray(deployments) ? deployments : []).every(
        (d: { model?: string; version?: string; sku?: string }) => {
            const offered = findModelVersion(String(d.model), String(d.version))?.offeredIn[d.sku as never] as
                string[] | undefined;
            return offered === undefined || offered.includes(region);
        },
    );
}

/**
 * `count` stack configs cycling through the real stacks; stack i keeps its base stack's profile, models and access,
 * and gets the next region its profile allows that offers those models, and a name prefix of its own (valid for
 * the config schema).
 */
export function fleetStackConfigs(bases: readonly StackFile[], count: number): StackFile[] {
    if (bases.length === 0) throw new Error("bases: expected at least one stack file to derive the fleet from");
    if (!Number.isInteger(count) || count < 1) throw new Error(`count: expected an integer >= 1, got ${count}`);
    const key = (k: string) => `${projectName}:${k}`;
    const out: StackFile[] = [];
    for (let i = 0; i < count; i++) {
        const base = bases[i % bases.length];
        const doc = parse(base.text) as { config?: Config };
        const config = doc?.config;
        if (!config || typeof config[key("profile")] !== "string") {
            throw new Error(`stack '${base.stack}': expected config.${key("profile")} to be a string`);
        }
        // Regions whose SKUs offer the base's models (config validation refuses the others).
        const offering = getProfile(config[key("profile")] as string).allowedRegions.filter((r) =>
            offersAll(config[key("deployments")], r),
        );
        const regions = offering.length > 0 ? offering : [String(config[key("location")])];
        const region = regions[Math.floor(i / bases.length) % regions.length];
        const prefix = `f${String(i).padStart(2, "0")}-${region.slice(0, 14)}`.replace(/-+$/, "");
        const stack = `fleet-${String(i).padStart(2, "0")}-${region}`;
        out.push({
            stack,
            text: stringify({ ...doc, config: { ...config, [key("location")]: region, [key("namePrefix")]: prefix } }),
        });
    }
    return out;
}
