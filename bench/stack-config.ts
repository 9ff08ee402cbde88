/** Reads a stack file the way the Pulumi CLI hands its config to a program: flat `<namespace>:<key>` to string. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export function stackFilePath(stacksDir: string, stack: string): string {
    return path.join(stacksDir, `Pulumi.${stack}.yaml`);
}

export function listStacks(stacksDir: string): string[] {
    return fs
        .readdirSync(stacksDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => Boolean(s))
        .sort();
}

/** Strings stay as they are; objects, lists, numbers and booleans are JSON-encoded, as the CLI does. */
export function flattenStackConfig(text: string, file = "stack file"): Record<string, string> {
    const doc = parse(text) as { config?: Record<string, unknown> } | null;
    const config = doc?.config;
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        throw new Error(`${file}: expected a 'config' mapping of '<project>:<key>' to values`);
    }
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(config))
        flat[key] = typeof value === "string" ? value : JSON.stringify(value);
    return flat;
}

export function readStackConfig(stacksDir: string, stack: string): Record<string, string> {
    const file = stackFilePath(stacksDir, stack);
    return flattenStackConfig(fs.readFileSync(file, "utf8"), file);
}
