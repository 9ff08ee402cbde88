/**
 * The outputs a provider returns for a resource it creates, in a preview and in an update, as the engine then holds
 * them (and sends them to AnalyzeStack). Sources, read 2026-11-27:
 *
 * - azure-native, preview: `Create` answers `PreviewOutputs(inputs, res.Response)` (pulumi-azure-native
 *   provider/pkg/provider/provider.go `Create`; provider/pkg/convert/previewOutputs.go `PreviewOutputs`,
 *   `previewOutputValue`): every response property is kept when the input of that name has the right type (objects
 *   recursively against their response type, arrays item by item, maps value by value, unions and `Any` as given),
 *   a constant is its constant, and everything else, including every response property the inputs do not set
 *   (`name`, `id`, `properties.endpoint`, ...), is unknown. URL path parameters are not response properties: absent.
 * - azure-native, update: the outputs are Azure's response mapped to the SDK shape (provider.go `defaultCreate`, then
 *   `ResponseBodyToSdkOutputs`, responseBodyToSdkOutputs.go) plus `azureApiVersion` (`checkpointObjectVersioned`):
 *   `id`, `name`, `type` and the read-only properties known, path parameters absent, properties Azure does not
 *   return absent. The recorded state of the provider's own tests shows the shape (provider/pkg/provider/testdata/
 *   recorded/TestProviderUpgrade/upgrade-keyvault/2.76.0/stack.json: `id`, `name`, `type`, `location` known; `vaultName`,
 *   `resourceGroupName` absent; a key's `properties.kty` returned flattened as `kty`).
 * - Terraform-bridged providers (classic `@pulumi/azure`, `azuread`, `random`): `Create` returns the Terraform state,
 *   which keeps every argument plus `id` and the computed attributes, unknown in a preview (pulumi-terraform-bridge
 *   pkg/tfbridge/provider.go `Create`: `diff.ProposedState` in preview, `p.tf.Apply` otherwise, both through
 *   `MakeTerraformResult`).
 *
 * Which properties a type returns comes from its installed SDK (./sdk-schema.ts); the values Azure computes come
 * from plan/placeholders.ts.
 */
import { unknownSentinel } from "../sentinel";
import { armType, azureName, computedValues, placeholderId } from "../placeholders";
import { Shape } from "./declarations";
import { objectSchema, ResourceSchema, resourceSchema } from "./sdk-schema";

type Obj = Record<string, unknown>;
type Mode = "preview" | "update";

const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isSecret = (v: unknown): v is Obj => isObject(v) && v[sigKey] === secretSig;
const isPrimitive = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** The `id` every azure-native response carries (the SDK declares it on CustomResource, not on the class). */
const idShape: Shape = { kind: "string" };

/**
 * One value mapped onto its response shape (`previewOutputValue`). In a preview a value that does not fit is unknown;
 * in an update it is Azure's echo of the input, kept as it is.
 */
function mapValue(pkg: string, value: unknown, shape: Shape, mode: Mode): unknown {
    if (isSecret(value)) return { ...value, value: mapValue(pkg, value.value, shape, mode) };
    if (shape.kind === "const") return shape.value;
    if (value === unknownSentinel) return unknownSentinel;
    const misfit = mode === "preview" ? unknownSentinel : value;
    switch (shape.kind) {
        case "string":
        case "number":
        case "boolean":
            return typeof value === shape.kind ? value : misfit;
        case "array":
            return Array.isArray(value) ? value.map((v) => mapValue(pkg, v, shape.items, mode)) : misfit;
        case "map":
            if (isObject(value))
                return Object.fromEntries(
                    Object.entries(value).map(([k, v]) => [k, mapValue(pkg, v, shape.values, mode)]),
                );
            // A set of ids given as a list (userAssignedIdentities) comes back from Azure as a map keyed by id.
            if (mode === "update" && Array.isArray(value) && value.every((v) => typeof v === "string"))
                return Object.fromEntries(value.map((k) => [k, {}]));
            return misfit;
        case "object": {
            if (!isObject(value)) return misfit;
            const props = objectSchema(pkg, shape.ref);
            return props ? mapObject(pkg, value, props, mode) : value;
        }
        case "union":
            return isObject(value) ? value : misfit;
        case "any":
            return value;
        case "untyped":
            return isPrimitive(value) ? value : misfit;
    }
}

/** An object mapped onto a response type (`PreviewOutputs`): only the type's properties, missing ones unknown in a preview. */
function mapObject(pkg: string, value: Obj, props: Map<string, Shape>, mode: Mode): Obj {
    const out: Obj = {};
    for (const [name, shape] of props) {
        if (name in value && value[name] !== undefined) out[name] = mapValue(pkg, value[name], shape, mode);
        else if (shape.kind === "const") out[name] = shape.value;
        else if (mode === "preview") out[name] = unknownSentinel;
    }
    return out;
}

/** Merges values Azure computes into the mapped outputs, object by object (update mode). */
function overlay(target: Obj, values: Obj): Obj {
    for (const [k, v] of Object.entries(values)) {
        target[k] = isObject(v) && isObject(target[k]) ? overlay({ ...(target[k] as Obj) }, v) : v;
    }
    return target;
}

function azureNativeOutputs(schema: ResourceSchema, name: string, inputs: Obj, mode: Mode): Obj {
    const props = new Map(schema.outputs);
    props.set("id", idShape);
    const out = mapObject(schema.pkg, inputs, props, mode);
    if (mode === "preview") return out;
    // Azure answers with the flattened properties the SDK declares at the top (a Key's `properties.kty` is `kty`).
    const nested = isObject(inputs.properties) && !schema.outputs.has("properties") ? inputs.properties : undefined;
    for (const [key, shape] of schema.outputs) {
        if (!(key in out) && nested && key in nested) out[key] = mapValue(schema.pkg, nested[key], shape, mode);
    }
    const known: Obj = { id: placeholderId(schema.type, name, inputs) };
    if (schema.outputs.has("name")) known.name = azureName(schema.type, name, inputs);
    if (schema.outputs.has("type")) known.type = armType(schema.type, inputs);
    if (schema.outputs.has("azureApiVersion") && schema.apiVersion) known.azureApiVersion = schema.apiVersion;
    if (schema.outputs.has("provisioningState")) known.provisioningState = "Succeeded";
    const propsShape = schema.outputs.get("properties");
    if (
        isObject(out.properties) &&
        propsShape?.kind === "object" &&
        objectSchema(schema.pkg, propsShape.ref)?.has("provisioningState")
    ) {
        known.properties = { provisioningState: "Succeeded" };
    }
    return overlay(overlay(out, known), computedValues(schema.type, name, inputs));
}

/** A Terraform-bridged resource's state: every argument, `id`, and the declared outputs the arguments do not set. */
function bridgedOutputs(type: string, name: string, inputs: Obj, mode: Mode, schema: ResourceSchema | undefined): Obj {
    const out: Obj = { ...inputs, id: mode === "preview" ? unknownSentinel : placeholderId(type, name, inputs) };
    const computed = mode === "update" ? computedValues(type, name, inputs) : {};
    for (const key of schema?.outputs.keys() ?? []) {
        if (key in out) continue;
        if (mode === "preview") out[key] = unknownSentinel;
        else if (key in computed) out[key] = computed[key];
    }
    return mode === "update" ? overlay(out, computed) : out;
}

/**
 * The outputs the provider returns for a new resource of `type` given its (checked) wire-format inputs, in a preview or
 * an update. Unknowns are the wire sentinel, as the engine marshals them.
 */
export function providerOutputs(type: string, name: string, inputs: Obj, preview: boolean): Obj {
    const mode: Mode = preview ? "preview" : "update";
    // A provider resource's outputs are its inputs (pulumi/pulumi pkg/resource/deploy/providers/registry.go `Create`).
    if (type.startsWith("pulumi:providers:")) return { ...inputs };
    const schema = resourceSchema(type);
    if (type.startsWith("azure-native:") && schema) return azureNativeOutputs(schema, name, inputs, mode);
    return bridgedOutputs(type, name, inputs, mode, schema);
}

/**
 * The resources with every custom resource's outputs computed afresh from its inputs: for callers that change inputs
 * after a run (the reliability suite's mutants), so that AnalyzeStack sees what the provider would return for them.
 */
export function withProviderOutputs<
    R extends { type: string; name: string; custom: boolean; inputs: Obj; outputs?: Obj },
>(resources: R[], preview: boolean): R[] {
    return resources.map((r) => (r.custom ? { ...r, outputs: providerOutputs(r.type, r.name, r.inputs, preview) } : r));
}
