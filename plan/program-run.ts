/**
 * What a program run under the mock runtime records, as the engine would see it: every registration (URN, type,
 * name, parent, inputs after the provider's Check, the outputs the provider returns, options and dependencies), the
 * invokes it called and its stack outputs.
 */

export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    /**
     * Inputs in Pulumi's wire form (unknowns are `unknownSentinel`, secrets and resource references are signature
     * objects), after the provider's Check (plan/provider/check.ts): what the engine sends to Analyze.
     */
    inputs: Record<string, unknown>;
    /** The id the mock returned (empty in preview: unknown). */
    id?: string;
    protect: boolean;
    /** Explicit `dependsOn` plus implicit dependencies, as URNs. */
    dependencies: string[];
    /** Input property name to the URNs its value came from. */
    propertyDependencies: Record<string, string[]>;
    /** An explicit provider reference (`<urn>::<id>`); empty when the engine's default provider serves the resource. */
    provider?: string;
    /** The provider version the SDK asked for (the engine names its default provider after it). */
    version?: string;
    aliases: string[];
    /** Set only when the program set it. */
    deleteBeforeReplace?: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
    /** Custom timeouts in seconds, as the engine holds them (parsed from the SDK's duration strings). */
    customTimeouts?: { create: number; update: number; delete: number };
    /**
     * What the engine holds as the resource's outputs (wire form): for a custom resource, what its provider returned
     * (plan/provider/outputs.ts); for a component or the stack, what it registered (registerOutputs).
     */
    outputs?: Record<string, unknown>;
    /**
     * The line of the program file at which the program constructed the resource (the first frame of its construction
     * stack in that file, at the TypeScript line for a transpiled file). Recorded only when the run is asked to
     * (`RunOptions.constructionSitesIn`); absent when no frame was in the file.
     */
    programLine?: number;
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
