/** Reads the committed stack files the way Pulumi does: project keys, objects JSON-encoded in the flat config map. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { projectName } from "../../infra/config";

export const stacksDir = path.join(__dirname, "..", "..", "stacks");

export function stackNames(): string[] {
    return fs
        .readdirSync(stacksDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => Boolean(s))
        .sort();
}

/** The `config:` block of a stack file. */
export function stackFileConfig(stack: string): Record<string, unknown> {
    const doc = parse(fs.readFileSync(path.join(stacksDir, `Pulumi.${stack}.yaml`), "utf8")) as {
        config?: Record<string, unknown>;
    };
    return doc.config ?? {};
}

/** The project's raw config object of a stack (what validateStackConfig takes). */
export function rawStackConfig(stack: string): Record<string, unknown> {
    const prefix = `${projectName}:`;
    return Object.fromEntries(
        Object.entries(stackFileConfig(stack))
            .filter(([k]) => k.startsWith(prefix))
            .map(([k, v]) => [k.slice(prefix.length), v]),
    );
}

/** Pulumi's flat config map for a raw config object. */
export function flatConfig(raw: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [`${projectName}:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
    );
}
