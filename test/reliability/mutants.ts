/**
 * The mutation machinery: an operator is one way to weaken a planned resource (or to add a resource beside it), and
 * a mutant is the recorded plan of a real stack with one operator applied to one target. The planned resource list is
 * transformed directly, so the same mutant is judged in preview (ids unknown) and update (ids known). Operators change
 * inputs: the outputs AnalyzeStack gets are computed afresh from them (support/pack.ts). The corpus of operators is
 * test/reliability/threats.ts.
 */
import { getProfile, profileIds } from "../../catalogue/profiles";
import type { PlannedResource, ProgramRun } from "../../plan/mock-runtime";

export type Obj = Record<string, unknown>;

export interface StackContext {
    stack: string;
    profile: string;
    prod: boolean;
}

export interface Operator {
    /** What is done, as the corpus and its docs show it. */
    id: string;
    /** The resource type whose input is weakened, or the type a bypass adds. */
    type: string;
    /** The component input or resource input it stands for. */
    input: string;
    /**
     * The resources to weaken, one mutant each (default: the first of `type`); empty when the stack has none.
     * Operators whose every target matters (every role assignment) return them all.
     */
    targets?: (resources: PlannedResource[], ctx: StackContext) => PlannedResource[];
    /**
     * Weaken every target in one mutant (each role assignment of the stack at once): the suite then requires a finding
     * on each target, which proves each is caught at the cost of one evaluation.
     */
    together?: boolean;
    /** Only where this holds (e.g. CMK only where the profile requires it). */
    when?: (ctx: StackContext) => boolean;
    /** Weakens a copy of the target in place, or returns a replacement list (drop, add). */
    apply: (target: PlannedResource, resources: PlannedResource[], ctx: StackContext) => PlannedResource[] | void;
}

export const clone = <T>(v: T): T => structuredClone(v);
/** A resource's `properties` input, created when absent. Throws when it is unknown as a whole (a preview). */
export const props = (r: PlannedResource): Obj => {
    const p = (r.inputs.properties ??= {});
    if (typeof p !== "object" || p === null) throw new Error(`${r.name}: properties are unknown in this mode`);
    return p as Obj;
};
export const ofType = (type: string) => (rs: PlannedResource[]) => rs.filter((r) => r.type === type).slice(0, 1);

/** The resource and everything parented under it. */
function withChildren(resources: PlannedResource[], urn: string): Set<string> {
    const out = new Set([urn]);
    let grew = true;
    while (grew) {
        grew = false;
        for (const r of resources)
            if (r.parent && out.has(r.parent) && !out.has(r.urn)) {
                out.add(r.urn);
                grew = true;
            }
    }
    return out;
}

/** The resources without the target and its children. */
export const drop = (target: PlannedResource, resources: PlannedResource[]) => {
    const gone = withChildren(resources, target.urn);
    return resources.filter((r) => !gone.has(r.urn));
};

/** A region no resource of the profile may use: another profile's. */
export function foreignRegion(profile: string): string {
    const own = getProfile(profile).allowedRegions;
    return profileIds.flatMap((p) => getProfile(p).allowedRegions).find((r) => !own.includes(r))!;
}

/** Whether `r`'s input `property` came from `target`: by URN (preview) or by id (update). */
export const refersTo = (r: PlannedResource, property: string, target: PlannedResource) =>
    (r.propertyDependencies[property] ?? []).includes(target.urn) ||
    (target.id !== undefined && target.id !== "" && r.inputs[property] === target.id);

/**
 * A resource added at the top of the stack (as a stray resource in the program would be). Inputs that name another
 * resource of the stack are linked to it as the SDK records them: a property dependency, and its id where known.
 */
export function added(
    resources: PlannedResource[],
    type: string,
    name: string,
    inputs: Obj,
    links: Record<string, PlannedResource> = {},
): PlannedResource {
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
    const prefix = stack.urn.split("::").slice(0, 2).join("::");
    const propertyDependencies = Object.fromEntries(Object.entries(links).map(([k, r]) => [k, [r.urn]]));
    return {
        urn: `${prefix}::${type}::${name}`,
        type,
        name,
        custom: true,
        parent: stack.urn,
        id: undefined,
        protect: false,
        inputs: { ...inputs, ...Object.fromEntries(Object.entries(links).map(([k, r]) => [k, r.id || unknownId])) },
        dependencies: Object.values(links).map((r) => r.urn),
        propertyDependencies,
        aliases: [],
        deleteBeforeReplace: false,
        retainOnDelete: false,
        ignoreChanges: [],
        additionalSecretOutputs: [],
    };
}

/** Pulumi's wire value for "known after apply" (plan/sentinel.ts). */
const unknownId = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Mutant {
    operator: Operator;
    stack: string;
    /** The weakened resource (or the one a bypass sits beside); with `together`, every one of them. */
    targetUrns: string[];
    resources: PlannedResource[];
    /** Why the operator could not be applied (its input is unknown in this mode). */
    unmutable?: string;
}

/** Applies an operator to a run: one mutant per target (or one for all, `together`); none when the stack has nothing it applies to. */
export function mutants(op: Operator, run: Pick<ProgramRun, "resources">, ctx: StackContext): Mutant[] {
    if (op.when && !op.when(ctx)) return [];
    const pick = op.targets ?? ((rs: PlannedResource[]) => rs.filter((r) => r.type === op.type).slice(0, 1));
    const picked = pick(run.resources, ctx).map((r) => r.urn);
    const groups = op.together && picked.length > 0 ? [picked] : picked.map((urn) => [urn]);
    return groups.map((urns) => {
        let resources = clone(run.resources);
        try {
            for (const urn of urns) {
                const target = resources.find((r) => r.urn === urn)!;
                resources = op.apply(target, resources, ctx) ?? resources;
            }
            return { operator: op, stack: ctx.stack, targetUrns: urns, resources };
        } catch (e) {
            // The input to weaken is itself unknown (a preview): the plan cannot show this weakening, which the matrix reports.
            return {
                operator: op,
                stack: ctx.stack,
                targetUrns: urns,
                resources: run.resources,
                unmutable: (e as Error).message,
            };
        }
    });
}
