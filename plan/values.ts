/**
 * Renders Pulumi wire-format values for reports: unknowns become a readable marker, secrets are never shown,
 * resource references show the URN they point to.
 */
import { unknownSentinel } from "./sentinel";

export const unknownMarker = "(known after apply)";
export const secretMarker = "[secret]";

// Signatures of Pulumi's wire format (@pulumi/pulumi/runtime/rpc).
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const outputValueSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const assetSig = "c44067f5952c0a294b673a41bacd8c17";
const archiveSig = "0def7320c3a5731c473e5ecbe6d01bc7";

/**
 * A report-safe copy of a wire value: no secret survives, unknowns are marked, and a placeholder the plan made up
 * for a looked-up name (see placeholderLabels) shows what it stands for.
 */
export function renderValue(value: unknown, labels?: ReadonlyMap<string, string>): unknown {
    if (value === unknownSentinel) return unknownMarker;
    if (typeof value === "string") return labels?.get(value) ?? value;
    if (Array.isArray(value)) return value.map((v) => renderValue(v, labels));
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    switch (obj[sigKey]) {
        case secretSig:
            return secretMarker;
        case resourceSig:
            return `resource ${String(obj.urn)}`;
        case outputValueSig:
            if (obj.secret) return secretMarker;
            return "value" in obj ? renderValue(obj.value, labels) : unknownMarker;
        case assetSig:
        case archiveSig:
            return obj.path ?? obj.uri ?? "(asset)";
        default:
            return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, renderValue(v, labels)]));
    }
}

/** Reads a dotted path (`properties.publicNetworkAccess`, `sku.name`) from a value. */
export function valueAt(value: unknown, dotted: string): unknown {
    return dotted
        .split(".")
        .reduce<unknown>(
            (v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
            value,
        );
}

/** A short one-line rendering for text and markdown. */
export function shortValue(value: unknown, max = 80): string {
    const s = typeof value === "string" ? value : JSON.stringify(value);
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
