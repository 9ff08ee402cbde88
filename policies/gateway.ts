/**
 * The AI gateway rules: an API Management gateway in front of Azure OpenAI, whoever wrote it, authenticates callers
 * with Entra ID (never a subscription key), enforces a token rate, daily and monthly quotas within the profile's USD
 * limits and the per-request cap, calls the backend with its managed identity, is private where the profile says, logs
 * to a workspace and keeps message bodies out of the logs. Policies are judged as parsed XML elements (gateway-xml.ts).
 */
import { PolicyResource } from "@pulumi/policy";
import { types } from "../catalogue/azure";
import {
    cognitiveServicesResource,
    gatewayLogCategories,
    gatewayTypes,
    perRequestCapConvention,
    policyElements,
} from "../catalogue/gateway";
import { approvedModels } from "../catalogue/models";
import { profiles } from "../catalogue/profiles";
import { asArray, asString, cannotKnow, describe, isObject, known, peek, show, unknown } from "./core";
import { deploymentFields } from "./deployments";
import { Gateway, GatewayApi, gatewayOfResource, gatewaysOf } from "./gateway-graph";
import {
    descendants,
    effectiveSection,
    inherits,
    literalInteger,
    parsePolicy,
    PolicyElement,
    section,
} from "./gateway-xml";
import { resourceRule } from "./rule";
import { canonicalType, deploymentTypes, StackIndex } from "./stack-index";
import { StackProblem, stackRule } from "./stack-rule";

const profileGateways = Object.values(profiles).map((p) => p.gateway);
/** The no-config baseline admits what the most generous profile admits (each profile's config pins its own). */
const loosest = (pick: (g: (typeof profileGateways)[number]) => number) => Math.max(...profileGateways.map(pick));

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
interface EffectiveScope {
    label: string;
    inbound: PolicyElement[];
    backend: PolicyElement[];
}

function scopesOf(gateway: Gateway, entry: GatewayApi, problem: StackProblem): EffectiveScope[] {
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

const named = (elements: PolicyElement[], names: readonly string[] | string) =>
    elements.filter((e) => (typeof names === "string" ? e.name === names : names.includes(e.name)));
const childTexts = (e: PolicyElement | undefined, child: string) =>
    (e?.children ?? [])
        .filter((c) => c.name === child)
        .map((c) => c.text.trim())
        .filter(Boolean);

const openAiGateways = (index: StackIndex) => gatewaysOf(index).filter((g) => g.frontsOpenAi);

export const gatewayPublicAccess = resourceRule<{ requirePrivateInbound: boolean }>({
    name: "azure-openai-gateway-disallow-public-network-access",
    description:
        "API Management gateways must not accept calls from the internet where the compliance profile forbids it: public network access disabled (private endpoint only) or internal VNet injection.",
    severity: "critical",
    concerns: [gatewayTypes.service],
    anchors: { mcsb: "NS-2" },
    configSchema: {
        properties: {
            requirePrivateInbound: { type: "boolean", default: profileGateways.some((g) => !g.publicInboundAllowed) },
        },
    },
    remediationSteps:
        'Set publicNetworkAccess to "Disabled" and reach the gateway through a private endpoint (group "Gateway"), or inject a Developer/Premium gateway in a VNet with virtualNetworkType "Internal". Azure refuses Disabled when it creates a gateway: deploy once with an expiring exemption of this rule (the AiGateway component\'s firstDeployment), then disable (docs/gateway.md).',
    skip: (_t, _p, config) =>
        config.requirePrivateInbound ? undefined : "the compliance profile allows public inbound access to the gateway",
    check: (_type, props, _c, problem) => {
        const access = known(props, "publicNetworkAccess");
        const vnetType = known(props, "virtualNetworkType");
        if (access === "Disabled" || vnetType === "Internal") return;
        problem(
            "publicNetworkAccess",
            `is ${show(access)} (Azure defaults to Enabled) and virtualNetworkType is ${show(vnetType)}, so the gateway answers calls from the internet`,
            'set publicNetworkAccess to "Disabled" once its private endpoint is approved',
        );
    },
});

interface CallerConfig {
    forbidSubscriptionKeys: boolean;
}
export const gatewayEntraCallers = stackRule<CallerConfig>({
    name: "azure-openai-gateway-require-entra-id-callers",
    description:
        "Every API of a gateway in front of Azure OpenAI must authenticate callers with Microsoft Entra ID tokens (validate-azure-ad-token with tenant, audience and admitted applications) and require no subscription key; no subscription (API key pair) may exist.",
    severity: "critical",
    nonExemptable: true,
    concerns: [gatewayTypes.api, gatewayTypes.subscription],
    anchors: { mcsb: "IM-1" },
    configSchema: { properties: { forbidSubscriptionKeys: { type: "boolean", default: true } } },
    remediationSteps:
        'Set subscriptionRequired: false on the API, remove apimanagement.Subscription resources, and put <validate-azure-ad-token tenant-id="..."> with <audiences> and <client-application-ids> (or <required-claims>) unconditionally in the API\'s inbound policy (the AiGateway component does all three).',
    check: (index, config, problem) => {
        const gateways = openAiGateways(index);
        if (config.forbidSubscriptionKeys) {
            for (const sub of index.of(gatewayTypes.subscription)) {
                const g = gatewayOfResource(gatewaysOf(index), sub);
                problem(
                    sub,
                    "subscription",
                    `creates an API key pair${g ? ` on ${describe(g.service)}` : ""}: anyone holding a key could call the models`,
                    "delete the subscription; callers present Entra ID tokens",
                );
            }
        }
        for (const g of gateways) {
            for (const entry of g.apis) {
                const required = known(entry.api.props, "subscriptionRequired");
                if (required !== false && config.forbidSubscriptionKeys)
                    problem(
                        entry.api,
                        "subscriptionRequired",
                        `is ${show(required)} (Azure defaults to true: callers need a subscription key)`,
                        "set subscriptionRequired: false and authenticate callers with Entra ID",
                    );
                for (const scope of scopesOf(g, entry, problem)) {
                    const validators = named(scope.inbound, policyElements.validateEntraToken);
                    if (validators.length === 0) {
                        problem(
                            entry.api,
                            `${scope.label} inbound`,
                            "has no unconditional validate-azure-ad-token, so callers are not authenticated with Entra ID",
                            "add <validate-azure-ad-token> as a direct child of <inbound>",
                        );
                        continue;
                    }
                    const complete = validators.some((v) => {
                        const audiences = childTexts(
                            v.children.find((c) => c.name === "audiences"),
                            "audience",
                        );
                        const apps = childTexts(
                            v.children.find((c) => c.name === "client-application-ids"),
                            "application-id",
                        );
                        const claims =
                            v.children
                                .find((c) => c.name === "required-claims")
                                ?.children.filter((c) => c.name === "claim") ?? [];
                        return (
                            (v.attributes["tenant-id"] ?? "").trim() !== "" &&
                            audiences.length > 0 &&
                            (apps.length > 0 || claims.length > 0)
                        );
                    });
                    if (!complete)
                        problem(
                            entry.api,
                            `${scope.label} validate-azure-ad-token`,
                            "does not pin the tenant, an audience and the admitted applications (or required claims)",
                            "set tenant-id, <audiences><audience> and <client-application-ids><application-id> (or <required-claims>)",
                        );
                }
            }
        }
    },
});

/** The dearest price per 1,000 tokens among the stack's deployments (the catalogue's dearest when none is known). */
function dearestPrice(index: StackIndex): number {
    const prices = Object.fromEntries(Object.entries(approvedModels).map(([m, p]) => [m, p.usdPer1kTokens]));
    const dearestOverall = Math.max(...Object.values(prices));
    const models = index
        .of(...deploymentTypes)
        .map((d) => peek(d.props, ...deploymentFields(canonicalType(d.type)).model));
    const known = models.filter((m): m is string => typeof m === "string");
    if (known.length === 0 || known.length < models.length) return dearestOverall;
    return Math.max(...known.map((m) => prices[m] ?? dearestOverall));
}

interface TokenConfig {
    maxPerRequestTokens: number;
    maxDailyUsd: number;
    maxMonthlyUsd: number;
    requiredQuotaPeriods: string[];
}
export const gatewayTokenLimits = stackRule<TokenConfig>({
    name: "azure-openai-gateway-enforce-token-limits",
    description:
        "Every API of a gateway in front of Azure OpenAI must enforce, on every request, a token rate limit, stack-wide daily and monthly token quotas within the profile's USD limits at the dearest deployed model's price, and the per-request token cap.",
    severity: "high",
    concerns: [gatewayTypes.api],
    anchors: {},
    configSchema: {
        properties: {
            maxPerRequestTokens: { type: "integer", minimum: 1, default: loosest((g) => g.limits.perRequestTokens) },
            maxDailyUsd: { type: "number", exclusiveMinimum: 0, default: loosest((g) => g.limits.dailyUsd) },
            maxMonthlyUsd: { type: "number", exclusiveMinimum: 0, default: loosest((g) => g.limits.monthlyUsd) },
            requiredQuotaPeriods: {
                type: "array",
                items: { type: "string", enum: ["Hourly", "Daily", "Weekly", "Monthly", "Yearly"] },
                default: ["Daily", "Monthly"],
            },
        },
    },
    remediationSteps:
        "Put llm-token-limit elements directly in <inbound>: one with tokens-per-minute and estimate-prompt-tokens=\"true\", and one per required period with a constant counter-key (stack-wide), token-quota within the USD limit and token-quota-period; set the variable per-request-token-cap to the cap and refuse with status 400 when a request's max_tokens or prompt estimate exceeds it (the AiGateway component generates all of these from the stack's limits).",
    check: (index, config, problem) => {
        const gateways = openAiGateways(index);
        if (gateways.length === 0) return;
        const price = dearestPrice(index);
        const allowed: Record<string, number> = {
            Daily: Math.floor((config.maxDailyUsd * 1000) / price + 1e-6),
            Monthly: Math.floor((config.maxMonthlyUsd * 1000) / price + 1e-6),
        };
        for (const g of gateways) {
            for (const entry of g.apis) {
                for (const scope of scopesOf(g, entry, problem)) {
                    const at = (what: string) => `${scope.label} ${what}`;
                    const limiters = named(scope.inbound, policyElements.tokenLimit);
                    const perMinute = limiters
                        .map((l) => literalInteger(l.attributes["tokens-per-minute"]))
                        .filter((v): v is number => v !== undefined && v > 0);
                    if (perMinute.length === 0)
                        problem(
                            entry.api,
                            at("token rate"),
                            "is not limited: no unconditional llm-token-limit with tokens-per-minute",
                            'add <llm-token-limit tokens-per-minute="..."> to <inbound>',
                        );
                    if (!limiters.some((l) => l.attributes["estimate-prompt-tokens"] === "true"))
                        problem(
                            entry.api,
                            at("prompt estimate"),
                            "is off: prompts are counted only after the model has processed them",
                            'set estimate-prompt-tokens="true" on the token limits',
                        );
                    for (const period of config.requiredQuotaPeriods) {
                        // A counter key that is an expression is per caller (or per anything): only a constant key bounds the whole stack.
                        const quotas = limiters
                            .filter(
                                (l) =>
                                    l.attributes["token-quota-period"] === period &&
                                    !(l.attributes["counter-key"] ?? "").startsWith("@"),
                            )
                            .map((l) => literalInteger(l.attributes["token-quota"]))
                            .filter((v): v is number => v !== undefined && v > 0);
                        if (quotas.length === 0) {
                            problem(
                                entry.api,
                                at(`${period.toLowerCase()} token quota`),
                                "is missing: no unconditional llm-token-limit with a constant counter-key and token-quota-period " +
                                    period,
                                `add a stack-wide <llm-token-limit token-quota="..." token-quota-period="${period}">`,
                            );
                            continue;
                        }
                        const limit = allowed[period];
                        if (limit !== undefined && Math.min(...quotas) > limit) {
                            const usd = period === "Daily" ? config.maxDailyUsd : config.maxMonthlyUsd;
                            problem(
                                entry.api,
                                at(`${period.toLowerCase()} token quota`),
                                `is ${Math.min(...quotas)} tokens, worth ${((Math.min(...quotas) * price) / 1000).toFixed(2)} USD at the dearest deployed model's ${price} USD/1k tokens, over the profile's ${usd} USD`,
                                `set token-quota to at most ${limit}`,
                            );
                        }
                    }
                    const caps = named(scope.inbound, "set-variable")
                        .filter((v) => v.attributes.name === perRequestCapConvention.variable)
                        .map((v) => literalInteger(v.attributes.value));
                    const cap = caps.find((v): v is number => v !== undefined);
                    if (cap === undefined)
                        problem(
                            entry.api,
                            at("per-request token cap"),
                            `is missing: no unconditional <set-variable name="${perRequestCapConvention.variable}" value="@(N)"> in <inbound>`,
                            `set it to at most ${config.maxPerRequestTokens}`,
                        );
                    else if (cap > config.maxPerRequestTokens)
                        problem(
                            entry.api,
                            at("per-request token cap"),
                            `is ${cap} tokens`,
                            `set it to at most ${config.maxPerRequestTokens}`,
                        );
                    const refusals = descendants([...scope.inbound, ...scope.backend]).filter(
                        (e) =>
                            e.name === "when" &&
                            (e.attributes.condition ?? "").includes(perRequestCapConvention.variable) &&
                            descendants(e.children).some(
                                (c) =>
                                    c.name === "set-status" &&
                                    c.attributes.code === String(perRequestCapConvention.status),
                            ),
                    );
                    if (cap !== undefined && refusals.length === 0)
                        problem(
                            entry.api,
                            at("per-request token cap"),
                            `is set but nothing refuses a request over it: no <when> reading ${perRequestCapConvention.variable} returns status ${perRequestCapConvention.status}`,
                            "refuse requests whose max_tokens or prompt estimate exceed the cap",
                        );
                }
            }
        }
    },
});

const isManagedIdentity = (v: unknown) => typeof v === "string" && /SystemAssigned|UserAssigned/i.test(v);
const isCognitiveResource = (v: string | undefined) =>
    (v ?? "").replace(/\/+$/, "").toLowerCase() === cognitiveServicesResource;

export const gatewayManagedIdentity = stackRule({
    name: "azure-openai-gateway-require-managed-identity-backend",
    description:
        "A gateway in front of Azure OpenAI must call the accounts with its managed identity (authentication-managed-identity for https://cognitiveservices.azure.com on every request), never with an API key.",
    severity: "critical",
    concerns: [gatewayTypes.api, gatewayTypes.backend],
    anchors: { mcsb: "IM-3" },
    remediationSteps:
        'Give the API Management service a system-assigned identity with Cognitive Services OpenAI User on the accounts, put <authentication-managed-identity resource="https://cognitiveservices.azure.com"/> in the API\'s inbound policy, and remove api-key headers and backend credentials.',
    check: (index, _c, problem) => {
        for (const g of openAiGateways(index)) {
            const identity = known(g.service.props, "identity", "type");
            for (const b of g.backends) {
                const credentials = peek(b.props, "credentials");
                if (credentials === unknown) cannotKnow(`${describe(b)}: credentials`);
                const keyed = ["header", "query"]
                    .flatMap((k) =>
                        Object.keys(isObject(credentials) && isObject(credentials[k]) ? credentials[k] : {}),
                    )
                    .filter((k) => /^(api-key|ocp-apim-subscription-key)$/i.test(k));
                if (keyed.length > 0)
                    problem(
                        b,
                        "credentials",
                        `send ${keyed.join(", ")} to the backend: an API key`,
                        "remove the key; the gateway authenticates with its managed identity",
                    );
            }
            for (const entry of g.apis) {
                if (!isManagedIdentity(identity))
                    problem(
                        entry.api,
                        `${describe(g.service)} identity.type`,
                        `is ${show(identity)}, so the gateway has no identity to call the accounts with`,
                        'set identity.type to "SystemAssigned"',
                    );
                for (const scope of scopesOf(g, entry, problem)) {
                    const auth = named(scope.inbound, policyElements.managedIdentity).filter(
                        (e) => isCognitiveResource(e.attributes.resource) && e.attributes["ignore-error"] !== "true",
                    );
                    if (auth.length === 0)
                        problem(
                            entry.api,
                            `${scope.label} inbound`,
                            `has no unconditional authentication-managed-identity for ${cognitiveServicesResource}`,
                            `add <authentication-managed-identity resource="${cognitiveServicesResource}"/> to <inbound>`,
                        );
                    const keyHeaders = descendants([...scope.inbound, ...scope.backend]).filter(
                        (e) =>
                            e.name === "set-header" &&
                            /^api-key$/i.test(e.attributes.name ?? "") &&
                            e.attributes["exists-action"] !== "delete",
                    );
                    if (keyHeaders.length > 0)
                        problem(
                            entry.api,
                            `${scope.label} set-header api-key`,
                            "sends an API key to the backend",
                            "remove it; authenticate with the managed identity",
                        );
                }
            }
        }
    },
});

const isWorkspaceId = (v: string) => /\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i.test(v);

export const gatewayDiagnostics = stackRule({
    name: "azure-openai-gateway-enable-diagnostics",
    description:
        "Every API Management gateway must send its gateway logs (GatewayLogs, or the allLogs category group) to a Log Analytics workspace.",
    severity: "high",
    concerns: [gatewayTypes.service],
    anchors: { mcsb: "LT-3" },
    remediationSteps: `Add a monitor.DiagnosticSetting with resourceUri = the service id, workspaceId = the stack's workspace and logs [{ category: "${gatewayLogCategories.gateway}" }, { category: "${gatewayLogCategories.llm}" }] (the AiGateway component does).`,
    check: (index, _c, problem) => {
        const covered = new Set<string>();
        const incomplete = new Map<string, string>();
        for (const s of index.of(types.diagnosticSetting)) {
            const target = index.link(s, "resourceUri", [gatewayTypes.service]);
            if (target.kind !== "resources") continue;
            const ws = index.link(s, "workspaceId", [types.workspace]);
            const toWorkspace = ws.kind === "resources" || (ws.kind === "external" && isWorkspaceId(ws.id));
            const logs = asArray(known(s.props, "logs")).filter((l) => isObject(l) && l.enabled !== false) as Record<
                string,
                unknown
            >[];
            const gatewayLogs = logs.some(
                (l) => asString(l.category) === gatewayLogCategories.gateway || asString(l.categoryGroup) === "allLogs",
            );
            for (const svc of target.resources) {
                if (toWorkspace && gatewayLogs) covered.add(svc.urn);
                else
                    incomplete.set(
                        svc.urn,
                        !toWorkspace
                            ? "workspaceId does not point to a Log Analytics workspace"
                            : `logs enable neither ${gatewayLogCategories.gateway} nor the allLogs group`,
                    );
            }
        }
        for (const g of gatewaysOf(index)) {
            if (covered.has(g.service.urn)) continue;
            const why = incomplete.get(g.service.urn);
            problem(
                g.service,
                "diagnostic setting",
                why ? `is incomplete: ${why}` : "is missing, so requests through the gateway are not audited",
                "send GatewayLogs to the stack's Log Analytics workspace",
            );
        }
    },
});

/** Body sizes logged by an API Management diagnostic (frontend/backend, request/response), and LLM message logging. */
function loggedBodies(props: Record<string, unknown>): string[] {
    const out: string[] = [];
    for (const side of ["frontend", "backend"]) {
        for (const dir of ["request", "response"]) {
            const bytes = peek(props, side, dir, "body", "bytes");
            if (bytes === unknown) cannotKnow(`${side}.${dir}.body.bytes`);
            if (typeof bytes === "number" && bytes > 0) out.push(`${side}.${dir}.body.bytes is ${bytes}`);
        }
    }
    const llm = peek(props, "largeLanguageModel");
    if (isObject(llm) && String(llm.logs ?? "").toLowerCase() === "enabled") {
        for (const dir of ["requests", "responses"]) {
            const messages = peek(llm, dir, "messages");
            if (messages !== undefined && String(messages).toLowerCase() !== "none")
                out.push(`largeLanguageModel.${dir}.messages is ${show(messages)}`);
        }
    }
    return out;
}

export const gatewayBodyLogging = resourceRule<{ forbidBodyLogging: boolean }>({
    name: "azure-openai-gateway-disallow-body-logging",
    description:
        "API Management diagnostics must not log request or response bodies (prompts and completions, which carry personal data) unless the compliance profile allows it.",
    severity: "high",
    concerns: [gatewayTypes.diagnostic, gatewayTypes.apiDiagnostic],
    anchors: { mcsb: "DP-2" },
    configSchema: {
        properties: {
            forbidBodyLogging: { type: "boolean", default: profileGateways.some((g) => !g.bodyLoggingAllowed) },
        },
    },
    remediationSteps:
        "Set frontend and backend request/response body.bytes to 0 on every apimanagement Diagnostic and ApiDiagnostic, and leave LLM message logging (largeLanguageModel) off.",
    skip: (_t, _p, config) =>
        config.forbidBodyLogging ? undefined : "the compliance profile allows logging request and response bodies",
    check: (_type, props, _c, problem) => {
        for (const logged of loggedBodies(props))
            problem(
                logged.split(" is ")[0],
                `is ${logged.split(" is ")[1]}: prompts or completions reach the logs`,
                "set it to 0 (or messages to none)",
            );
    },
});

export const gatewayPolicies = [
    gatewayPublicAccess,
    gatewayEntraCallers,
    gatewayTokenLimits,
    gatewayManagedIdentity,
    gatewayDiagnostics,
    gatewayBodyLogging,
];
