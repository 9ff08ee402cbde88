/** Deterministic names: the same inputs always give the same name, so re-runs never duplicate or replace. */
import { createHash } from "crypto";

/** A stable GUID from a seed (UUID v4 layout, content from SHA-1): role assignment names, placeholder ids. */
export function stableGuid(seed: string): string {
    const h = createHash("sha1").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A short stable suffix for globally unique Azure names (custom subdomains, vaults). */
export function stableSuffix(seed: string, length = 6): string {
    return createHash("sha1").update(seed).digest("hex").slice(0, length);
}
