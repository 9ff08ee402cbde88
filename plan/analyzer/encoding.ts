/**
 * The analyzer protocol's messages, built and read with the stubs that ship in @pulumi/pulumi/proto, field by field
 * as the engine marshals them (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go: `Analyze`,
 * `AnalyzeStack`, `marshalResourceOptions`, `marshalProvider`; read 2026-11-27).
 */
import type {
    AnalyzeResult,
    AnalyzerInfo,
    AnalyzerProvider,
    AnalyzerResourceInput,
    Diagnostic,
    EffectivePolicyConfig,
    EnforcementLevel,
    PolicyConfig,
    PolicyInfo,
} from "./protocol";

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb") as Record<string, new () => Msg> & {
    EnforcementLevel: Record<string, number>;
    PolicyType: Record<string, number>;
    AnalyzerResourceOptions: { new (): Msg; CustomTimeouts: new () => Msg };
};
const structpb = require("google-protobuf/google/protobuf/struct_pb") as {
    Struct: { new (): Msg; fromJavaScript(v: Record<string, unknown>): Msg };
};
const emptypb = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => Msg };
/* eslint-enable @typescript-eslint/no-require-imports */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Msg = any;

const levelName = (n: number): EnforcementLevel => {
    const entry = Object.entries(analyzerpb.EnforcementLevel).find(([, v]) => v === n);
    return (entry ? entry[0].toLowerCase() : "advisory") as EnforcementLevel;
};
const levelNumber = (l: EnforcementLevel): number => analyzerpb.EnforcementLevel[l.toUpperCase()];
const severityName = (n: number): PolicyInfo["severity"] => (["low", "medium", "high", "critical"] as const)[n - 1];

export const emptyRequest = (): Msg => new emptypb.Empty();

export function decodeAnalyzerInfo(info: Msg): AnalyzerInfo {
    const initialConfig: Record<string, PolicyConfig> = {};
    info.getInitialconfigMap().forEach((v: Msg, k: string) => {
        initialConfig[k] = {
            enforcementLevel: levelName(v.getEnforcementlevel()),
            properties: v.getProperties()?.toJavaScript(),
        };
    });
    return {
        name: info.getName(),
        version: info.getVersion(),
        displayName: info.getDisplayname(),
        description: info.getDescription(),
        initialConfig,
        policies: info.getPoliciesList().map((p: Msg): PolicyInfo => {
            const schema = p.getConfigschema();
            const framework = p.getFramework();
            return {
                name: p.getName(),
                displayName: p.getDisplayname(),
                description: p.getDescription(),
                type: p.getPolicyType() === analyzerpb.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
                enforcementLevel: levelName(p.getEnforcementlevel()),
                severity: severityName(p.getSeverity()),
                remediationSteps: p.getRemediationSteps() || undefined,
                url: p.getUrl() || undefined,
                tags: p.getTagsList(),
                framework: framework
                    ? {
                          name: framework.getName(),
                          version: framework.getVersion(),
                          reference: framework.getReference(),
                          specification: framework.getSpecification(),
                      }
                    : undefined,
                configSchema: schema
                    ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() }
                    : undefined,
            };
        }),
    };
}

export function encodeConfigure(config: EffectivePolicyConfig): Msg {
    const req = new analyzerpb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of Object.entries(config)) {
        const pc = new analyzerpb.PolicyConfig();
        pc.setEnforcementlevel(levelNumber(c.enforcementLevel));
        // The SDK reads the properties of every entry: always send a Struct, even an empty one.
        pc.setProperties(structpb.Struct.fromJavaScript(c.properties));
        map.set(name, pc);
    }
    return req;
}

export function encodeConfigureStack(stack: {
    project: string;
    stack: string;
    organization?: string;
    preview: boolean;
}): Msg {
    const req = new analyzerpb.AnalyzerStackConfigureRequest();
    req.setProject(stack.project);
    req.setStack(stack.stack);
    req.setOrganization(stack.organization ?? "organization");
    req.setDryRun(stack.preview);
    return req;
}

/** Encoded properties per properties object: a resource sent again (a strict plan's second pass) is encoded once. */
const encoded = new WeakMap<object, Msg>();

function struct(properties: Record<string, unknown>): Msg {
    let s = encoded.get(properties);
    if (!s) {
        s = structpb.Struct.fromJavaScript(properties);
        encoded.set(properties, s);
    }
    return s;
}

/** `marshalResourceOptions`: every option, custom timeouts always present, DeleteBeforeReplace only when set. */
function resourceOptions(r: AnalyzerResourceInput): Msg {
    const opts = new analyzerpb.AnalyzerResourceOptions();
    opts.setProtect(Boolean(r.protect));
    opts.setIgnorechangesList(r.ignoreChanges ?? []);
    opts.setAliasesList(r.aliases ?? []);
    opts.setAdditionalsecretoutputsList(r.additionalSecretOutputs ?? []);
    if (r.deleteBeforeReplace !== undefined) {
        opts.setDeletebeforereplacedefined(true);
        opts.setDeletebeforereplace(r.deleteBeforeReplace);
    }
    const timeouts = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
    if (r.customTimeouts) {
        timeouts.setCreate(r.customTimeouts.create);
        timeouts.setUpdate(r.customTimeouts.update);
        timeouts.setDelete(r.customTimeouts.delete);
    }
    opts.setCustomtimeouts(timeouts);
    if (r.parent) opts.setParent(r.parent);
    return opts;
}

/** `marshalProvider`: the provider's inputs as its properties. */
function providerMessage(p: AnalyzerProvider): Msg {
    const msg = new analyzerpb.AnalyzerProviderResource();
    msg.setUrn(p.urn);
    msg.setType(p.type);
    msg.setName(p.name);
    msg.setProperties(struct(p.properties));
    return msg;
}

/** What Analyze and AnalyzeStack both say of a resource: urn, type, name, properties, options and provider. */
function describeResource(msg: Msg, r: AnalyzerResourceInput): Msg {
    msg.setUrn(r.urn);
    msg.setType(r.type);
    msg.setName(r.name);
    msg.setProperties(struct(r.properties));
    msg.setOptions(resourceOptions(r));
    if (r.provider) msg.setProvider(providerMessage(r.provider));
    return msg;
}

export const encodeAnalyze = (r: AnalyzerResourceInput): Msg => describeResource(new analyzerpb.AnalyzeRequest(), r);

/** AnalyzeStack adds parent, dependencies and property dependencies (a property with no dependency is left out). */
export function encodeAnalyzeStack(resources: AnalyzerResourceInput[]): Msg {
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList(
        resources.map((r) => {
            const ar = describeResource(new analyzerpb.AnalyzerResource(), r);
            if (r.parent) ar.setParent(r.parent);
            ar.setDependenciesList(r.dependencies ?? []);
            const deps = ar.getPropertydependenciesMap();
            for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                if (urns.length === 0) continue;
                const pd = new analyzerpb.AnalyzerPropertyDependencies();
                pd.setUrnsList(urns);
                deps.set(k, pd);
            }
            return ar;
        }),
    );
    return req;
}

export function decodeResult(resp: Msg): AnalyzeResult {
    return {
        diagnostics: resp.getDiagnosticsList().map((d: Msg): Diagnostic => ({
            policyName: d.getPolicyname(),
            policyPackName: d.getPolicypackname(),
            policyPackVersion: d.getPolicypackversion(),
            description: d.getDescription(),
            message: d.getMessage(),
            enforcementLevel: levelName(d.getEnforcementlevel()),
            urn: d.getUrn() || undefined,
            severity: severityName(d.getSeverity()),
        })),
        notApplicable: (resp.getNotApplicableList?.() ?? []).map((n: Msg) => ({
            policyName: n.getPolicyName(),
            reason: n.getReason(),
        })),
    };
}
