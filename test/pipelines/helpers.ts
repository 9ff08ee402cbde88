/** Loads the repository's GitHub workflows and Azure DevOps pipelines as plain data for the pipeline tests. */
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const workflowDir = path.join(repoRoot, ".github", "workflows");
export const adoDir = path.join(repoRoot, "azure-pipelines");

/* eslint-disable @typescript-eslint/no-explicit-any -- workflow YAML is free-form data, checked by the schema. */
export type Yaml = any;

export interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, Yaml>;
    env?: Record<string, Yaml>;
}

export interface Job {
    name?: string;
    uses?: string;
    with?: Record<string, Yaml>;
    needs?: string | string[];
    if?: string;
    permissions?: Record<string, string> | string;
    environment?: string | { name: string; url?: string };
    concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
    strategy?: { matrix: Yaml };
    outputs?: Record<string, string>;
    env?: Record<string, Yaml>;
    steps?: Step[];
}

export interface Workflow {
    file: string;
    text: string;
    data: { name?: string; on: Yaml; permissions?: Yaml; jobs: Record<string, Job> };
}

export function loadWorkflows(): Workflow[] {
    return fs
        .readdirSync(workflowDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((file) => {
            const text = fs.readFileSync(path.join(workflowDir, file), "utf8");
            return { file, text, data: YAML.parse(text) };
        });
}

export function workflow(workflows: Workflow[], file: string): Workflow {
    const found = workflows.find((w) => w.file === file);
    if (!found) throw new Error(`no workflow ${file}`);
    return found;
}

/** Every (file, job id, job) triple. */
export function allJobs(workflows: Workflow[]): { file: string; id: string; job: Job }[] {
    return workflows.flatMap((w) => Object.entries(w.data.jobs).map(([id, job]) => ({ file: w.file, id, job })));
}

export function loadAdoPipelines(): { file: string; text: string; data: Yaml }[] {
    const files: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (/\.ya?ml$/.test(entry.name)) files.push(full);
        }
    };
    walk(adoDir);
    return files.sort().map((full) => {
        const text = fs.readFileSync(full, "utf8");
        return { file: path.relative(adoDir, full), text, data: YAML.parse(text) };
    });
}

/** All string values anywhere in a parsed YAML document. */
export function allStrings(value: Yaml): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(allStrings);
    if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...allStrings(v)]);
    return [];
}
