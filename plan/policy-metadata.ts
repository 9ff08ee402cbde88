/**
 * What the pack declares beyond the analyzer protocol (concerns, non-exemptable, anchors), read from the pack's
 * `all` module beside its entry point: `allPolicies`, policy objects carrying `PolicyMetadata`
 * (policies/verdict-protocol.ts). The module only lists policies; it never constructs the PolicyPack.
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyMetadata } from "../policies/verdict-protocol";

export type MetadataByPolicy = Record<string, PolicyMetadata>;

/** Candidate files for the pack's policy list, in order. */
function candidates(packDir: string): string[] {
    const files: string[] = [];
    const pkgFile = path.join(packDir, "package.json");
    if (fs.existsSync(pkgFile)) {
        const main = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string }).main ?? "index.js";
        files.push(path.join(packDir, path.dirname(main), "all.js"));
    }
    files.push(path.join(packDir, "all.js"), path.join(packDir, "bin", "policies", "all.js"));
    return files;
}

/** Reads the pack's policy metadata; an empty map when the pack ships none (verdicts then follow the protocol only). */
export function loadPolicyMetadata(packDir: string): MetadataByPolicy {
    const file = candidates(path.resolve(packDir)).find((f) => fs.existsSync(f));
    if (!file) return {};
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as { allPolicies?: unknown };
    if (!Array.isArray(mod.allPolicies)) return {};
    const out: MetadataByPolicy = {};
    for (const p of mod.allPolicies as Record<string, unknown>[]) {
        if (typeof p?.name !== "string") continue;
        out[p.name] = {
            concerns: Array.isArray(p.concerns) ? (p.concerns as string[]) : [],
            nonExemptable: p.nonExemptable === true,
            anchors: (p.anchors as PolicyMetadata["anchors"]) ?? undefined,
            url: typeof p.url === "string" ? p.url : undefined,
        };
    }
    return out;
}
