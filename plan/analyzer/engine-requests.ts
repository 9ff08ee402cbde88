/**
 * What the Pulumi engine sends a policy pack for a planned stack, call by call (pulumi/pulumi, read 2026-11-27):
 *
 * - Analyze, once per registered resource (custom, component, the stack and providers alike), with the resource's
 *   inputs after its provider's Check, its options (protect, ignoreChanges, deleteBeforeReplace when set, aliases,
 *   additionalSecretOutputs, custom timeouts, parent) and its provider's inputs (pkg/resource/deploy/step_generator.go
 *   `continueStepsFromImport` → `analyzeAll`).
 * - AnalyzeStack, once after every step succeeded (pkg/resource/deploy/deployment_executor.go `Execute` →
 *   step_generator.go `AnalyzeResources`), in a preview as in an update, with every resource of the new state and its
 *   *outputs* ("Unlike Analyze, AnalyzeStack is called on the final outputs of each resource"): a custom resource's
 *   provider outputs (a preview's are the provider's preview outputs), a component's registered outputs, the stack's
 *   exports (finalized before the analysis), a provider's inputs; plus parent, dependencies, property dependencies
 *   and provider.
 * - The engine's default provider of a package is a resource too (pkg/resource/deploy/default_providers.go
 *   `newRegisterDefaultProviderEvent`): `pulumi:providers:<pkg>` named `default_<version>` (providers/provider.go
 *   `DefaultName`), no parent, its inputs the package's config and `version`.
 * - Properties are marshalled with unknowns and secrets kept and internal (`__`) keys dropped
 *   (sdk/go/common/resource/plugin/analyzer_plugin.go `Analyze`, `AnalyzeStack`).
 */
import type { PlannedResource } from "../mock-runtime";
import { packageConfig } from "../provider/config";
import type { AnalyzerProvider, AnalyzerResourceInput } from "./protocol";

export interface EngineRequests {
    /** One Analyze request per resource, in registration order (default providers before their first resource). */
    analyze: AnalyzerResourceInput[];
    /** The resources of the one AnalyzeStack request. */
    analyzeStack: AnalyzerResourceInput[];
}

export interface PlannedStack {
    project: string;
    stack: string;
    resources: PlannedResource[];
}

const isProviderType = (type: string) => type.startsWith("pulumi:providers:");

/** `default`, or `default_<major>_<minor>_<patch>[_<pre>...][_<build>...]` for a requested version. */
export function defaultProviderName(version: string | undefined): string {
    const m = version ? /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(version) : null;
    if (!m) return "default";
    const extra = [m[4], m[5]].filter(Boolean).flatMap((part) => part!.split("."));
    return ["default", m[1], m[2], m[3], ...extra].join("_");
}

/** The provider URN of a reference `<urn>::<id>` (the URN itself contains `::`). */
const refUrn = (ref: string) => ref.slice(0, ref.lastIndexOf("::"));

function request(
    r: PlannedResource,
    properties: Record<string, unknown>,
    provider: AnalyzerProvider | undefined,
): AnalyzerResourceInput {
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        properties,
        protect: r.protect,
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        ignoreChanges: r.ignoreChanges,
        aliases: r.aliases,
        additionalSecretOutputs: r.additionalSecretOutputs,
        deleteBeforeReplace: r.deleteBeforeReplace,
        customTimeouts: r.customTimeouts,
        provider,
    };
}

/** The properties AnalyzeStack carries for a resource: its outputs as the engine holds them. */
export function stackProperties(r: PlannedResource): Record<string, unknown> {
    if (isProviderType(r.type)) return r.inputs;
    return r.outputs ?? {};
}

/**
 * The Analyze and AnalyzeStack requests for a planned stack. `config` is the stack's flat config (`<namespace>:<key>`),
 * from which the default providers' inputs come.
 */
export function engineRequests(run: PlannedStack, config: Record<string, string>): EngineRequests {
    const analyze: AnalyzerResourceInput[] = [];
    const analyzeStack: AnalyzerResourceInput[] = [];
    const providers = new Map<string, AnalyzerProvider>();
    for (const r of run.resources)
        if (isProviderType(r.type))
            providers.set(r.urn, { urn: r.urn, type: r.type, name: r.name, properties: r.inputs });
    const providerOf = (r: PlannedResource): AnalyzerProvider | undefined => {
        if (!r.custom || isProviderType(r.type)) return undefined;
        if (r.provider) return providers.get(refUrn(r.provider));
        const pkg = r.type.split(":")[0];
        const urn = `urn:pulumi:${run.stack}::${run.project}::pulumi:providers:${pkg}::${defaultProviderName(r.version)}`;
        let provider = providers.get(urn);
        if (!provider) {
            const inputs: Record<string, unknown> = {
                ...packageConfig(config, pkg),
                ...(r.version ? { version: r.version } : {}),
            };
            provider = {
                urn,
                type: `pulumi:providers:${pkg}`,
                name: urn.slice(urn.lastIndexOf("::") + 2),
                properties: inputs,
            };
            providers.set(urn, provider);
            const resource: AnalyzerResourceInput = {
                urn,
                type: provider.type,
                name: provider.name,
                properties: inputs,
                protect: false,
                dependencies: [],
                propertyDependencies: {},
                ignoreChanges: [],
                aliases: [],
                additionalSecretOutputs: [],
            };
            analyze.push(resource);
            analyzeStack.push(resource);
        }
        return provider;
    };
    for (const r of run.resources) {
        const provider = providerOf(r);
        analyze.push(request(r, r.inputs, provider));
        analyzeStack.push(request(r, stackProperties(r), provider));
    }
    return { analyze, analyzeStack };
}
