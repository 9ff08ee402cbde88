/** A problem of a stack's configuration, the error that lists them all, and how the rules read the raw input. */
export interface ConfigProblem {
    /** Key path inside the project's config, e.g. `deployments[0].sku`. */
    path: string;
    message: string;
    /** `stacks/Pulumi.eu-prod.yaml:14:9`: where the key (or its nearest present parent) stands, when read from a file. */
    where?: string;
}

export class StackConfigError extends Error {
    constructor(
        public readonly stack: string,
        public readonly problems: ConfigProblem[],
    ) {
        super(
            `Invalid configuration for stack '${stack}' (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems
                    .map((p) => `  - ${p.where ? `${p.where}: ` : ""}${p.path || "(root)"}: ${p.message}`)
                    .join("\n"),
        );
        this.name = "StackConfigError";
    }
}

export type Raw = Record<string, unknown>;
export const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface ValidationOptions {
    /** The day validation judges dates against (YYYY-MM-DD, UTC); default the day it runs. */
    today?: string;
}

/** A list of problems and the function that adds one. */
export function problemList(): { problems: ConfigProblem[]; add: (path: string, message: string) => void } {
    const problems: ConfigProblem[] = [];
    return { problems, add: (path, message) => problems.push({ path, message }) };
}
