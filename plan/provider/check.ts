/**
 * The part of azure-native's `Check` the plan can reproduce without Azure: the inputs the engine then holds, sends to
 * Analyze and passes to `Create` (pulumi-azure-native provider/pkg/provider/provider.go `Check` and `applyDefaults`,
 * read 2026-11-27): `azureApiVersion` is set to the resource's API version when the program left it out (v3
 * providers). Not reproduced (docs/plan.md, "What the offline plan cannot see"): the default `location` (from the
 * provider's config or the resource group, unless the type disables auto-location, which only the provider's
 * metadata says), auto-naming of a name input left out (random suffix, `getDefaultName`), and the validation failures
 * `Check` reports against the API's schema.
 */
import { resourceSchema } from "./sdk-schema";

export function checkedInputs(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (!type.startsWith("azure-native:") || inputs.azureApiVersion !== undefined) return inputs;
    const schema = resourceSchema(type);
    if (!schema?.apiVersion || !schema.outputs.has("azureApiVersion")) return inputs;
    return { ...inputs, azureApiVersion: schema.apiVersion };
}
