/**
 * One pass over a stack's resources that every stack policy uses to follow links between resources. AnalyzeStack
 * carries each resource's *outputs* (pulumi/pulumi pkg/resource/deploy/step_generator.go `AnalyzeResources`, read
 * 2026-11-27): azure-native drops the URL path parameters (`accountName`, `privateZoneName`, `scope` of a lock, ...)
 * and, in a preview, leaves `name`, `id` and every computed property unknown (docs/plan.md). So links are followed
 * by what the engine does send, in this order:
 * 1. property dependencies and `parent` (URNs, known even in a preview);
 * 2. the value of an output that holds an id or a name (a role assignment's `scope`, a deployment's
 *    `properties.raiPolicyName`), matched against the ids and Azure names the outputs carry;
 * 3. the resource's own id, which nests it under its parent or scope (`<account id>/raiPolicies/<name>`,
 *    `<scope>/providers/Microsoft.Authorization/locks/<name>`).
 * A link that cannot be known in a preview throws UnknownValueError (the policy is not evaluated and a strict plan
 * confirms it with values known), never a silent pass or a guessed violation. Built once per policy run; every lookup
 * is a Map access, so a stack of tens of thousands of resources evaluates in linear time.
 */
import { PolicyResource } from "@pulumi/policy";
import { types } from "../catalogue/azure";
import { asString, cannotKnow, describe, Maybe, peek, peekTop, unknown } from "./core";
import { canonicalType } from "./verdict-protocol";

export { canonicalType };

export const accountTypes: readonly string[] = [types.account, types.classicAccount];
export const deploymentTypes: readonly string[] = [types.deployment, types.classicDeployment];

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
}

const lowerName = (name: Maybe<string | undefined>) => (typeof name === "string" ? name.toLowerCase() : undefined);

export type Link =
    /**
     * The resources linked. Several when the name that selects among them is not known (a preview) or not unique in
     * the stack: a rule then holds if it holds for all of them, is a finding if it fails for all of them, and cannot be
     * known otherwise.
     */
    | { kind: "resources"; resources: PolicyResource[] }
    /** A known id or name that points outside the stack. */
    | { kind: "external"; id: string }
    | { kind: "missing" };

/** The scope an extension resource's id hangs off: `<scope>/providers/<namespace>/<type>/<name>`. */
export function extensionScopeOf(id: string): string | undefined {
    return /^(.+)\/providers\/[^/]+\/[^/]+\/[^/]+$/i.exec(id)?.[1];
}

export class StackIndex {
    readonly byUrn = new Map<string, PolicyResource>();
    readonly byId = new Map<string, PolicyResource>();
    private readonly byType = new Map<string, PolicyResource[]>();
    /** Known Azure names by type, and the types with a name not known yet: built on first use (most rules link by URN). */
    private names?: { byTypeAndName: Map<string, PolicyResource[]>; unknown: Set<string> };
    private readonly childrenOf = new Map<string, PolicyResource[]>();
    readonly stack: string;

    constructor(readonly resources: PolicyResource[]) {
        for (const r of resources) {
            const type = canonicalType(r.type);
            this.byUrn.set(r.urn, r);
            const id = peekTop(r, "id");
            if (typeof id === "string" && id) this.byId.set(id.toLowerCase(), r);
            push(this.byType, type, r);
            if (r.parent) push(this.childrenOf, r.parent.urn, r);
        }
        this.stack = /^urn:pulumi:([^:]+)::/.exec(resources[0]?.urn ?? "")?.[1] ?? "";
    }

    of(...typeTokens: readonly string[]): PolicyResource[] {
        return typeTokens.flatMap((t) => this.byType.get(t) ?? []);
    }

    children(r: PolicyResource): PolicyResource[] {
        return this.childrenOf.get(r.urn) ?? [];
    }

    /** The resource's id output: a string, `unknown` (a preview's create) or undefined (components, the stack). */
    idOf(r: PolicyResource): Maybe<string | undefined> {
        const id = peekTop(r, "id");
        return id === unknown ? unknown : asString(id) || undefined;
    }

    /** The Azure name from the outputs: `name`, else the id's last segment; `unknown` when the outputs do not know it yet. */
    azureName(r: PolicyResource): Maybe<string | undefined> {
        const name = peekTop(r, "name");
        if (typeof name === "string" && name) return name;
        const id = this.idOf(r);
        if (typeof id === "string") return id.slice(id.lastIndexOf("/") + 1) || undefined;
        return name === unknown || id === unknown ? unknown : undefined;
    }

    private nameIndex(): NonNullable<StackIndex["names"]> {
        if (!this.names) {
            const names = { byTypeAndName: new Map<string, PolicyResource[]>(), unknown: new Set<string>() };
            for (const r of this.resources) {
                const type = canonicalType(r.type);
                const name = this.azureName(r);
                if (typeof name === "string") push(names.byTypeAndName, `${type}|${lowerName(name)}`, r);
                else if (name === unknown) names.unknown.add(type);
            }
            this.names = names;
        }
        return this.names;
    }

    /** Resources of `type` whose Azure name is known and equals `name` (case-insensitive, as Azure names are). */
    named(type: string, name: string): PolicyResource[] {
        return this.nameIndex().byTypeAndName.get(`${type}|${name.toLowerCase()}`) ?? [];
    }

    /** Whether some resource of `type` has a name the outputs do not know yet. */
    hasUnknownNames(type: string): boolean {
        return this.nameIndex().unknown.has(type);
    }

    /** The in-stack resource of `targetTypes` whose id is the longest proper prefix of `id` (its parent or scope). */
    private containerOf(id: string, targetTypes: readonly string[]): PolicyResource | undefined {
        const lower = id.toLowerCase();
        for (let at = lower.lastIndexOf("/"); at > 0; at = lower.lastIndexOf("/", at - 1)) {
            const found = this.byId.get(lower.slice(0, at));
            if (found && targetTypes.includes(canonicalType(found.type))) return found;
        }
        return undefined;
    }

    /**
     * Resources of `targetTypes` that `r`'s output `property` points to by id. URN links (property dependencies) first:
     * they are known in preview. Then the value itself when it is a known id. An unknown value with no URN link
     * throws UnknownValueError (not-evaluated), never a silent pass.
     */
    link(
        r: PolicyResource,
        property: string,
        targetTypes: readonly string[],
        value: unknown = peek(r.props, property),
    ): Link {
        const deps = r.propertyDependencies[property] ?? [];
        const viaUrn = deps.filter((d) => targetTypes.includes(canonicalType(d.type)));
        if (viaUrn.length > 0) return { kind: "resources", resources: viaUrn };
        // Unknown, but derived only from resources of other types: it points at none of the targets.
        if (value === unknown && deps.length > 0) return { kind: "missing" };
        if (value === unknown) cannotKnow(`${describe(r)}: the target of ${property}`);
        const id = asString(value);
        if (!id) return { kind: "missing" };
        const target = this.byId.get(id.toLowerCase());
        if (target)
            return targetTypes.includes(canonicalType(target.type))
                ? { kind: "resources", resources: [target] }
                : { kind: "missing" };
        return { kind: "external", id };
    }

    /**
     * The scope an extension resource is attached to (a lock's, budget's or diagnostic setting's), whose scope input is
     * a URL path parameter the outputs do not carry: by URN (property dependencies of `param`), else by the value when
     * the resource does carry it (a role assignment's `scope`), else by its id (`<scope>/providers/...`).
     */
    scopeOf(r: PolicyResource, param: string, targetTypes: readonly string[]): Link {
        const value = peek(r.props, param);
        if (
            value !== undefined ||
            (r.propertyDependencies[param] ?? []).some((d) => targetTypes.includes(canonicalType(d.type)))
        )
            return this.link(r, param, targetTypes, value);
        const id = this.idOf(r);
        if (id === unknown) {
            if ((r.propertyDependencies[param] ?? []).length > 0) return { kind: "missing" };
            cannotKnow(`${describe(r)}: the scope it is attached to (${param})`);
        }
        const scope = id ? extensionScopeOf(id) : undefined;
        if (!scope) return { kind: "missing" };
        const target = this.byId.get(scope.toLowerCase());
        if (target)
            return targetTypes.includes(canonicalType(target.type))
                ? { kind: "resources", resources: [target] }
                : { kind: "missing" };
        return { kind: "external", id: scope };
    }

    /**
     * The resource a child belongs to (a zone group's endpoint, a table's workspace, a blocklist item's blocklist), whose
     * name input `param` is a URL path parameter the outputs do not carry: by URN (property dependencies), the `parent`
     * option, the name when the resource does carry it, else by its id (`<owner id>/<children>/<name>`).
     */
    ownerOf(r: PolicyResource, param: string, targetType: string): Link {
        const deps = r.propertyDependencies[param] ?? [];
        const viaUrn = deps.filter((d) => canonicalType(d.type) === targetType);
        if (viaUrn.length > 0) return { kind: "resources", resources: viaUrn };
        if (r.parent && canonicalType(r.parent.type) === targetType)
            return { kind: "resources", resources: [r.parent] };
        const value = peek(r.props, param);
        if (value !== undefined) return this.linkByName(r, param, targetType, value);
        const id = this.idOf(r);
        if (id === unknown) {
            if (deps.length > 0) return { kind: "missing" };
            cannotKnow(`${describe(r)}: the ${targetType.split(":").pop()} it belongs to (${param})`);
        }
        if (!id) return { kind: "missing" };
        const owner = this.containerOf(id, [targetType]);
        // Not in the stack: the owner is what the id nests under (`<owner id>/<children>/<name>`).
        return owner
            ? { kind: "resources", resources: [owner] }
            : { kind: "external", id: id.split("/").slice(0, -2).join("/") };
    }

    /**
     * Like `link`, for a value that holds a name (a deployment's `properties.raiPolicyName`) rather than an id.
     * Property dependencies narrow the candidates (by name where their names are known); else the name is matched
     * against the names the outputs know. When it matches nothing while some resources of the type have no known name
     * yet (a preview), it cannot be known which one it names.
     */
    linkByName(r: PolicyResource, property: string, targetType: string, value: unknown): Link {
        const deps = r.propertyDependencies[property] ?? [];
        const viaUrn = deps.filter((d) => canonicalType(d.type) === targetType);
        const name = asString(value);
        if (viaUrn.length > 0) {
            if (!name) return { kind: "resources", resources: viaUrn };
            const exact = viaUrn.filter((d) => lowerName(this.azureName(d)) === name.toLowerCase());
            if (exact.length > 0) return { kind: "resources", resources: exact };
            const unnamed = viaUrn.filter((d) => this.azureName(d) === unknown);
            if (unnamed.length > 0) return { kind: "resources", resources: unnamed };
        }
        if (value === unknown && deps.length > 0 && viaUrn.length === 0) return { kind: "missing" };
        if (value === unknown) cannotKnow(`${describe(r)}: the target of ${property}`);
        if (!name) return { kind: "missing" };
        const found = this.named(targetType, name);
        if (found.length > 0) return { kind: "resources", resources: found };
        if (this.hasUnknownNames(targetType))
            cannotKnow(
                `${describe(r)}: which ${targetType.split(":").pop()} the name ${JSON.stringify(name)} of ${property} refers to`,
            );
        return { kind: "external", id: name };
    }
}

/** The resource a stack-level finding is filed against when no single resource is at fault. */
export function stackRoot(index: StackIndex): PolicyResource | undefined {
    return index.of("pulumi:pulumi:Stack")[0];
}
