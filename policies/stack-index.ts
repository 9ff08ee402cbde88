/**
 * One pass over a stack's resources that every stack policy uses to follow links between resources:
 * by URN through `propertyDependencies` and `parent` (known even in preview, when ids are not), and by id or name
 * when those are known. Built once per policy run; every lookup is a Map access, so a stack of tens of thousands
 * of resources evaluates in linear time.
 */
import { PolicyResource } from "@pulumi/policy";
import { types } from "../catalogue/azure";
import { asString, cannotKnow, describe, peek, unknown } from "./core";
import { canonicalType } from "./verdict-protocol";

export { canonicalType };

export const accountTypes: readonly string[] = [types.account, types.classicAccount];
export const deploymentTypes: readonly string[] = [types.deployment, types.classicDeployment];

/** The input holding a resource's own name, per type (outputs carry it as `name`). */
const nameInputs: Record<string, string> = {
    [types.account]: "accountName",
    [types.deployment]: "deploymentName",
    [types.raiPolicy]: "raiPolicyName",
    [types.raiBlocklist]: "raiBlocklistName",
    [types.privateEndpoint]: "privateEndpointName",
    [types.privateZone]: "privateZoneName",
    [types.workspace]: "workspaceName",
    [types.vault]: "vaultName",
    [types.resourceGroup]: "resourceGroupName",
};

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
}

export type Link =
    | { kind: "resources"; resources: PolicyResource[] }
    /** A known id that points outside the stack. */
    | { kind: "external"; id: string }
    | { kind: "missing" };

export class StackIndex {
    readonly byUrn = new Map<string, PolicyResource>();
    readonly byId = new Map<string, PolicyResource>();
    private readonly byType = new Map<string, PolicyResource[]>();
    private readonly byTypeAndName = new Map<string, PolicyResource[]>();
    private readonly childrenOf = new Map<string, PolicyResource[]>();
    readonly stack: string;

    constructor(readonly resources: PolicyResource[]) {
        for (const r of resources) {
            const type = canonicalType(r.type);
            this.byUrn.set(r.urn, r);
            const id = peek(r.props, "id");
            if (typeof id === "string" && id) this.byId.set(id.toLowerCase(), r);
            push(this.byType, type, r);
            const name = this.azureName(r);
            if (name) {
                const key = `${type}|${name.toLowerCase()}`;
                push(this.byTypeAndName, key, r);
            }
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

    /** The Azure name of a resource when known: its name input, else the `name` output. */
    azureName(r: PolicyResource): string | undefined {
        const input = nameInputs[canonicalType(r.type)];
        return asString(input ? peek(r.props, input) : undefined) ?? asString(peek(r.props, "name"));
    }

    named(type: string, name: string): PolicyResource[] {
        return this.byTypeAndName.get(`${type}|${name.toLowerCase()}`) ?? [];
    }

    /**
     * Resources of `targetTypes` that `r`'s input `property` points to. URN links (property dependencies) first:
     * they are known in preview. Then the value itself when it is a known id. An unknown value with no URN link
     * throws UnknownValueError (not-evaluated), never a silent pass.
     */
    link(r: PolicyResource, property: string, targetTypes: readonly string[], value: unknown = peek(r.props, property)): Link {
        const deps = r.propertyDependencies[property] ?? [];
        const viaUrn = deps.filter((d) => targetTypes.includes(canonicalType(d.type)));
        if (viaUrn.length > 0) return { kind: "resources", resources: viaUrn };
        // Unknown, but derived only from resources of other types: it points at none of the targets.
        if (value === unknown && deps.length > 0) return { kind: "missing" };
        if (value === unknown) cannotKnow(`${describe(r)}: the target of ${property}`);
        const id = asString(value);
        if (!id) return { kind: "missing" };
        const target = this.byId.get(id.toLowerCase());
        if (target) return targetTypes.includes(canonicalType(target.type)) ? { kind: "resources", resources: [target] } : { kind: "missing" };
        return { kind: "external", id };
    }

    /** Like `link`, for a property that holds a name (e.g. a deployment's `raiPolicyName`) rather than an id. */
    linkByName(r: PolicyResource, property: string, targetType: string, value: unknown): Link {
        const deps = r.propertyDependencies[property] ?? [];
        const viaUrn = deps.filter((d) => canonicalType(d.type) === targetType);
        const name = asString(value);
        if (viaUrn.length > 0) {
            const exact = name ? viaUrn.filter((d) => this.azureName(d)?.toLowerCase() === name.toLowerCase()) : [];
            return { kind: "resources", resources: exact.length > 0 ? exact : viaUrn };
        }
        if (value === unknown && deps.length > 0) return { kind: "missing" };
        if (value === unknown) cannotKnow(`${describe(r)}: the target of ${property}`);
        if (!name) return { kind: "missing" };
        const found = this.named(targetType, name);
        return found.length > 0 ? { kind: "resources", resources: found } : { kind: "external", id: name };
    }
}

/** The resource a stack-level finding is filed against when no single resource is at fault. */
export function stackRoot(index: StackIndex): PolicyResource | undefined {
    return index.of("pulumi:pulumi:Stack")[0];
}
