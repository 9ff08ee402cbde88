/**
 * What the gateway rules read of an API: the inbound and backend elements that run on every request of each of its
 * scopes (the API's own policy with the service-wide one it inherits, and each operation policy), from policy documents
 * parsed as XML (gateway-xml.ts); a document that cannot be judged is a problem, an unknown one is not evaluated.
 */
import { PolicyResource } from "@pulumi/policy";
import { cannotKnow, describe, peek, show, unknown } from "./core";
import { Gateway, GatewayApi, gatewaysOf } from "./gateway-graph";
import { effectiveSection, inherits, parsePolicy, PolicyElement, section } from "./gateway-xml";
import { StackIndex } from "./stack-index";
import { StackProblem } from "./stack-rule";

/**
 * A policy resource's document, parsed once per resource object: two rules read every API's documents, and the pack's
 * AnalyzeStack handler gives every stack rule the same resource objects. A document that does not parse throws again.
 */
const parsed = new WeakMap<PolicyResource, { xml: string; doc?: PolicyElement; error?: unknown }>();
function parsedPolicy(r: PolicyResource, xml: string): PolicyElement {
    let entry = parsed.get(r);
    if (!entry || entry.xml !== xml) {
        try {
            entry = { xml, doc: parsePolicy(xml) };
        } catch (e) {
            entry = { xml, error: e };
        }
        parsed.set(r, entry);
    }
    if (entry.error !== undefined) throw entry.error;
    return entry.doc!;
}

/** A policy resource's document: parsed, or a problem filed when it is not well-formed. Unknown text: not evaluated. */
function documentOf(
    r: PolicyResource | undefined,
    problem: StackProblem,
    target: PolicyResource,
): PolicyElement | undefined {
    if (!r) return undefined;
    const format = peek(r.props, "format");
    const value = peek(r.props, "value");
    if (value === unknown || format === unknown) cannotKnow(`${describe(r)}: the policy document`);
    if (format === "xml-link" || format === "rawxml-link") {
        problem(
            target,
            `${describe(r)} format`,
            `is ${show(format)}: the document is fetched from a URL the pack cannot judge`,
            "set the policy inline (format xml or rawxml)",
        );
        return undefined;
    }
    try {
        return parsedPolicy(r, String(value ?? ""));
    } catch (e) {
        problem(
            target,
            `${describe(r)} value`,
            `is not a policy document the gateway would accept (${(e as Error).message})`,
            "give a well-formed <policies> document",
        );
        return undefined;
    }
}

/** The inbound elements that run on every request of each scope of an API: the API's own, and each operation policy's. */
export interface EffectiveScope {
    label: string;
    inbound: PolicyElement[];
    backend: PolicyElement[];
}

export function scopesOf(gateway: Gateway, entry: GatewayApi, problem: StackProblem): EffectiveScope[] {
    const global = documentOf(gateway.globalPolicy, problem, entry.api);
    const api = documentOf(entry.policy, problem, entry.api);
    const apiInbound = effectiveSection("inbound", api, global);
    const apiBackend = effectiveSection("backend", api, global);
    const scopes: EffectiveScope[] = [{ label: "the API's policy", inbound: apiInbound, backend: apiBackend }];
    for (const op of entry.operationPolicies) {
        const doc = documentOf(op, problem, entry.api);
        if (!doc) continue;
        const inbound = section(doc, "inbound");
        const backend = section(doc, "backend");
        scopes.push({
            label: `operation policy ${describe(op)}`,
            inbound: inherits(inbound) ? [...apiInbound, ...inbound] : inbound,
            backend: inherits(backend) ? [...apiBackend, ...backend] : backend,
        });
    }
    return scopes;
}

/** The elements among `elements` (not their descendants) of the given name or names. */
export const named = (elements: PolicyElement[], names: readonly string[] | string) =>
    elements.filter((e) => (typeof names === "string" ? e.name === names : names.includes(e.name)));

/** The stack's gateways with an API or backend that is an Azure OpenAI endpoint. */
export const openAiGateways = (index: StackIndex) => gatewaysOf(index).filter((g) => g.frontsOpenAi);
