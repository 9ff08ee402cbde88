/**
 * The part of azure-native's `Check` the plan can reproduce without Azure: the inputs the engine then holds, sends to
 * Analyze and passes to `Create` (pulumi-azure-native provider/pkg/provider/provider.go `Check` and `applyDefaults`,
 * read 2026-11-27):
 * - `azureApiVersion` is set to the resource's API version when the program left it out (v3 providers);
 * - `location` is set from the provider's `location` config when the resource takes a location and has none
 *   (`getDefaultLocation` step 2).
 * Not reproduced (docs/plan.md, "What the offline plan cannot see"): the location looked up from an existing
 * resource group (`getDefaultLocation` step 3, an ARM call), auto-naming of a name input left out (random suffix,
 * `getDefaultName`), and the validation failures `Check` reports against the API's schema.
 */
import { resourceSchema } from "./sdk-schema";

export function checkedInputs(type: string, inputs: Record<string, unknown>, providerConfig: Record<string, string>): Record<string, unknown> {
    if (!type.startsWith("azure-native:")) return inputs;
    const schema = resourceSchema(type);
    if (!schema) return inputs;
    const out = { ...inputs };
    if (out.azureApiVersion === undefined && schema.apiVersion && schema.outputs.has("azureApiVersion")) out.azureApiVersion = schema.apiVersion;
    if (out.location === undefined && schema.inputs.has("location") && typeof providerConfig.location === "string") out.location = providerConfig.location;
    return out;
}
