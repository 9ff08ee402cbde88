/**
 * The program's side of the configuration: reads the stack's config from the Pulumi runtime and validates it
 * (catalogue/stack-validation.ts) before any resource is registered.
 */
import { StackSettings } from "../catalogue/stack-settings";
import { validateStackConfig } from "../catalogue/stack-validation";

export { formatPath } from "../catalogue/stack-schema";
export type { StackSettings } from "../catalogue/stack-settings";
export { ConfigProblem, effectiveGateway, StackConfigError, ValidationOptions } from "../catalogue/stack-rules";
export { validateStackConfig } from "../catalogue/stack-validation";

type Raw = Record<string, unknown>;

/** The Pulumi project name; stack config keys are `<project>:<key>`. */
export const projectName = "azure-openai-landing-zone";

/**
 * Turns Pulumi's flat config map (`<project>:<key>` to string, objects JSON-encoded) into the project's raw config object.
 * Keys of other namespaces (e.g. `azure-native:location`) are left to their providers.
 */
export function projectConfigFromFlat(flat: Record<string, string>, project = projectName): Raw {
    const raw: Raw = {};
    for (const [key, value] of Object.entries(flat)) {
        if (!key.startsWith(`${project}:`)) continue;
        const name = key.slice(project.length + 1);
        raw[name] = decodeConfigValue(value);
    }
    return raw;
}

function decodeConfigValue(value: string): unknown {
    const trimmed = value.trim();
    if (
        trimmed.startsWith("{") ||
        trimmed.startsWith("[") ||
        trimmed === "true" ||
        trimmed === "false" ||
        /^-?\d+(\.\d+)?$/.test(trimmed)
    ) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return value;
        }
    }
    return value;
}

/** The current stack's name and its project config as the Pulumi runtime holds it, not yet validated. */
export function readStackConfig(): { stack: string; config: Raw } {
    // Required here, not at the top: the plan's parent process validates stack files with this module and must not
    // pay for loading the SDK (~0.6 s, 140 MB; docs/performance.md). Programs have loaded it already.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    return { stack: pulumi.getStack(), config: projectConfigFromFlat(pulumi.runtime.allConfig(), pulumi.getProject()) };
}

/** Reads the current stack's config from the Pulumi runtime and validates it. Call before registering any resource. */
export function loadStackConfig(): StackSettings {
    const { stack, config } = readStackConfig();
    return validateStackConfig(stack, config);
}
