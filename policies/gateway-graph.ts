/**
 * The API Management gateways of a stack as the gateway rules judge them: each service with its APIs, their policies
 * (API and operation scope), the service-wide policy, backends and diagnostic settings. Children are linked to their
 * service and API by URN first (property dependencies, explicit dependencies, parents: known in a preview, where
 * AnalyzeStack's outputs carry no path parameters and ids are unknown), then by a known name or ARM id.
 */
import { PolicyResource } from "@pulumi/policy";
import { gatewayTypes, openAiHostPattern } from "../catalogue/gateway";
import { asString, cannotKnow, describe, peek } from "./core";
import { canonicalType, StackIndex } from "./stack-index";

export interface GatewayApi {
    api: PolicyResource;
    /** The API-scope policy. */
    policy?: PolicyResource;
    operationPolicies: PolicyResource[];
}

export interface Gateway {
    service: PolicyResource;
    apis: GatewayApi[];
    globalPolicy?: PolicyResource;
    backends: PolicyResource[];
    /** A backend or an API's service URL is an Azure OpenAI endpoint. */
    frontsOpenAi: boolean;
}

const typeOf = (r: PolicyResource) => canonicalType(r.type);

/** The segment after `/<segment>/` in a known ARM id, e.g. the service name of an API's id. */
function idSegment(r: PolicyResource, segment: string): string | undefined {
    const id = asString(peek(r.props, "id"));
    const m = id ? new RegExp(`/${segment}/([^/]+)`, "i").exec(id) : null;
    return m?.[1]?.toLowerCase();
}

function nameOf(r: PolicyResource, input: string): string | undefined {
    return (asString(peek(r.props, input)) ?? asString(peek(r.props, "name")))?.toLowerCase();
}

/** The resource of `type` that `r` belongs to, through `property` (a path parameter such as serviceName). */
function ownerOf(
    r: PolicyResource,
    property: string,
    type: string,
    candidates: PolicyResource[],
    nameInput: string,
    segment: string,
): PolicyResource | undefined {
    const viaProperty = (r.propertyDependencies[property] ?? []).find((d) => typeOf(d) === type);
    if (viaProperty) return viaProperty;
    const viaDependencies = r.dependencies.filter((d) => typeOf(d) === type);
    if (viaDependencies.length === 1) return viaDependencies[0];
    for (let p = r.parent; p; p = p.parent) if (typeOf(p) === type) return p;
    const name = asString(peek(r.props, property))?.toLowerCase() ?? idSegment(r, segment);
    if (name) return candidates.find((c) => nameOf(c, nameInput) === name);
    return candidates.length === 1 ? candidates[0] : undefined;
}

const isOpenAiUrl = (v: unknown) => {
    const url = asString(v);
    if (!url) return false;
    try {
        return openAiHostPattern.test(new URL(url).hostname);
    } catch {
        return false;
    }
};

export function gatewaysOf(index: StackIndex): Gateway[] {
    const services = index.of(gatewayTypes.service);
    if (services.length === 0) return [];
    const apis = index.of(gatewayTypes.api);
    const serviceOf = (r: PolicyResource) =>
        ownerOf(r, "serviceName", gatewayTypes.service, services, "serviceName", "service");
    const apiOf = (r: PolicyResource) => ownerOf(r, "apiId", gatewayTypes.api, apis, "apiId", "apis");
    const gateways = new Map(
        services.map((service) => [
            service.urn,
            { service, apis: [] as GatewayApi[], backends: [] as PolicyResource[], frontsOpenAi: false } as Gateway,
        ]),
    );
    const byApi = new Map<string, GatewayApi>();
    for (const api of apis) {
        const g = gateways.get(serviceOf(api)?.urn ?? "");
        // An API no service can be found for might be the one in front of Azure OpenAI: never a silent pass.
        if (!g) cannotKnow(`${describe(api)}: its API Management service`);
        const entry: GatewayApi = { api, operationPolicies: [] };
        g.apis.push(entry);
        byApi.set(api.urn, entry);
        if (isOpenAiUrl(peek(api.props, "serviceUrl"))) g.frontsOpenAi = true;
    }
    for (const p of index.of(gatewayTypes.apiPolicy)) {
        const entry = byApi.get(apiOf(p)?.urn ?? "");
        if (entry) entry.policy = p;
    }
    for (const p of index.of(gatewayTypes.apiOperationPolicy))
        byApi.get(apiOf(p)?.urn ?? "")?.operationPolicies.push(p);
    for (const p of index.of(gatewayTypes.servicePolicy)) {
        const g = gateways.get(serviceOf(p)?.urn ?? "");
        if (g) g.globalPolicy = p;
    }
    for (const b of index.of(gatewayTypes.backend)) {
        const g = gateways.get(serviceOf(b)?.urn ?? "");
        if (!g) continue;
        g.backends.push(b);
        if (isOpenAiUrl(peek(b.props, "url"))) g.frontsOpenAi = true;
    }
    return [...gateways.values()];
}

/** The gateway a resource (a subscription, a diagnostic) belongs to. */
export function gatewayOfResource(gateways: Gateway[], r: PolicyResource): Gateway | undefined {
    const owner = ownerOf(
        r,
        "serviceName",
        gatewayTypes.service,
        gateways.map((g) => g.service),
        "serviceName",
        "service",
    );
    return gateways.find((g) => g.service.urn === owner?.urn);
}
