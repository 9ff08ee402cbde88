/** Which resources an exemption covers: its stack, and an exact URN or a glob over the logical name; and when it lapses. */
import { PolicyResource } from "@pulumi/policy";
import { PackPolicy, stackOfUrn } from "../core";
import { canonicalType } from "../stack-index";
import { Exemption } from "./schema";

/** `*` any run of characters, `?` one; everything else literal. */
export function globToRegExp(glob: string): RegExp {
    const escaped = glob
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${escaped}$`);
}

/** Logical name: the last segment of the URN (what `name` globs match). */
const logicalName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

export function matches(e: Exemption, urn: string): boolean {
    if (stackOfUrn(urn) !== e.stack) return false;
    if (e.urn !== undefined) return e.urn === urn;
    return e.name !== undefined && globToRegExp(e.name).test(logicalName(urn));
}

/** An exemption holds through its expiry day. */
export const isExpired = (e: Exemption, today: string) => e.expires < today;

/** The resources of this stack each exemption covers (of the types its policy judges), in one pass. */
export function matchedBy(
    exemptions: Exemption[],
    resources: PolicyResource[],
    policies: Map<string, PackPolicy>,
): Map<string, PolicyResource[]> {
    const out = new Map<string, PolicyResource[]>(exemptions.map((e) => [e.id, []]));
    const byUrn = new Map(exemptions.filter((e) => e.urn).map((e) => [e.urn as string, e]));
    const globbed = exemptions.filter((e) => !e.urn);
    const judged = (e: Exemption, r: PolicyResource) => {
        const concerns = policies.get(e.policy)?.concerns ?? [];
        return concerns.length === 0 || concerns.includes(canonicalType(r.type));
    };
    for (const r of resources) {
        const exact = byUrn.get(r.urn);
        if (exact && matches(exact, r.urn) && judged(exact, r)) out.get(exact.id)?.push(r);
        for (const e of globbed) if (matches(e, r.urn) && judged(e, r)) out.get(e.id)?.push(r);
    }
    return out;
}
