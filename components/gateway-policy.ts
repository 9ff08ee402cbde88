/**
 * The AI gateway's API policy, generated from typed configuration and written with a real XML builder (never edited by
 * hand): caller authentication with Entra ID, the private-endpoint-only guard, the per-request token cap, stack-wide and
 * per-caller token rate and quota counters, chargeback metrics, the managed identity towards the backend, and a JSON
 * error body for every refusal. Element and attribute names follow their policy reference pages (catalogue/gateway.ts).
 */
import { XMLBuilder } from "fast-xml-parser";
import { perRequestCapConvention } from "../catalogue/gateway";
import { GatewayTokenLimits } from "../catalogue/gateway-limits";

/** One element of a policy document. */
export interface XmlElement {
    name: string;
    attributes?: Record<string, string | number | boolean>;
    children?: XmlElement[];
    text?: string;
}

export interface GatewayPolicyConfig {
    /** Makes the stack-wide counter keys unique to the stack, e.g. the name prefix `contoso-weu`. */
    counterPrefix: string;
    /**
     * Named value holding the Entra ID tenant whose tokens are accepted. Ids live in named values, referenced as
     * `{{name}}` (the validate-azure-ad-token reference's own examples do so), so the policy text is the same in a preview
     * as in a deployment, where the ids of new identities are not known yet.
     */
    tenantNamedValue: string;
    /** Accepted token audiences (the resource callers request a token for). */
    audiences: string[];
    /** Admitted callers: the named value holding each one's client (application) id, lower-case, and its team. */
    callers: { namedValue: string; team: string }[];
    limits: GatewayTokenLimits;
    /** The Entra ID resource the gateway's managed identity requests a token for, towards the backend. */
    backendResource: string;
    /** API Management backend (single or pool) that requests go to. */
    backendId: string;
    /** Operation ids that generate text: they must state `max_tokens` or `max_completion_tokens`. */
    completionOperations: string[];
    /** Refuse every request that does not arrive through a private endpoint (the profile forbids public inbound). */
    privateEndpointOnly: boolean;
    /** Namespace of the token metrics in Application Insights. */
    metricNamespace: string;
}

/** Ids of the token-limit elements: an error's `context.LastError.PolicyId` names the counter that refused. */
export const limiterIds = {
    stackPerMinute: "stack-tokens-per-minute",
    stackDaily: "stack-daily-token-quota",
    stackMonthly: "stack-monthly-token-quota",
    callerPerMinute: "caller-tokens-per-minute",
    callerDaily: "caller-daily-token-quota",
    callerMonthly: "caller-monthly-token-quota",
} as const;

/** Every refusal the gateway makes, with the status and the error code of its JSON body. */
export const gatewayErrors = {
    callerNotAuthorized: {
        status: 401,
        code: "caller_not_authorized",
        message:
            "A valid Microsoft Entra ID access token of an admitted application is required (Authorization: Bearer <token> for https://cognitiveservices.azure.com).",
    },
    privateEndpointRequired: {
        status: 403,
        code: "private_endpoint_required",
        message: "The gateway accepts calls only through its private endpoint.",
    },
    maxTokensRequired: {
        status: 400,
        code: "max_tokens_required",
        message: "State max_tokens (or max_completion_tokens): every completion is capped.",
    },
    maxTokensOverCap: {
        status: 400,
        code: "max_tokens_over_cap",
        message: "max_tokens (or max_completion_tokens) is above the per-request token cap.",
    },
    requestOverCap: {
        status: 400,
        code: "request_over_token_cap",
        message: "The estimated prompt tokens plus max_tokens exceed the per-request token cap.",
    },
    tokenRateExceeded: {
        status: 429,
        code: "token_rate_exceeded",
        message: "The tokens-per-minute limit is reached; retry after the Retry-After seconds.",
    },
    dailyQuotaExceeded: {
        status: 403,
        code: "daily_token_quota_exceeded",
        message:
            "The daily token quota (the USD limit per day at the dearest model's price) is spent; it resets at 00:00 UTC.",
    },
    monthlyQuotaExceeded: {
        status: 403,
        code: "monthly_token_quota_exceeded",
        message:
            "The monthly token quota (the USD limit per month at the dearest model's price) is spent; it resets on the first of the month.",
    },
} as const;

export type GatewayErrorName = keyof typeof gatewayErrors;

/** The JSON body of a refusal: OpenAI's error envelope, with the limit and who it applies to. */
export function errorBody(name: GatewayErrorName, extra: { scope?: "stack" | "caller"; limit?: number } = {}): string {
    const e = gatewayErrors[name];
    return JSON.stringify({ error: { code: e.code, message: e.message, type: "gateway_policy", ...extra } });
}

const el = (name: string, attributes?: XmlElement["attributes"], children?: XmlElement[]): XmlElement => ({
    name,
    attributes,
    children,
});
const base = () => el("base");
const variable = (name: string) => `context.Variables["${name}"]`;
const quote = (s: string) => `"${s}"`;

function refusal(
    name: GatewayErrorName,
    extra: Parameters<typeof errorBody>[1] = {},
    headers: XmlElement[] = [],
): XmlElement {
    const e = gatewayErrors[name];
    return el("return-response", undefined, [
        el("set-status", { code: e.status, reason: e.code }),
        el("set-header", { name: "Content-Type", "exists-action": "override" }, [
            { name: "value", text: "application/json" },
        ]),
        ...headers,
        { name: "set-body", text: errorBody(name, extra) },
    ]);
}

const when = (condition: string, ...children: XmlElement[]) => el("when", { condition: `@(${condition})` }, children);

const safeKey = /^[a-z0-9][a-z0-9-]*$/;
/** `{{name}}`: a named value reference. */
export const namedValueRef = (name: string) => `{{${name}}}`;

/** Synchronous checks of the configuration; every problem names the field and what was expected. */
export function validateGatewayPolicyConfig(c: GatewayPolicyConfig): void {
    const problems: string[] = [];
    if (!safeKey.test(c.counterPrefix))
        problems.push(`counterPrefix: '${c.counterPrefix}' expected lower-case letters, digits and '-'`);
    if (c.audiences.length === 0) problems.push("audiences: expected at least one token audience");
    if (!safeKey.test(c.tenantNamedValue))
        problems.push(`tenantNamedValue: '${c.tenantNamedValue}' expected lower-case letters, digits and '-'`);
    if (c.callers.length === 0) problems.push("callers: expected at least one admitted caller");
    const seen = new Set<string>();
    c.callers.forEach((caller, i) => {
        // Both end up inside C# string literals of the policy: only these shapes are safe there.
        if (!safeKey.test(caller.namedValue))
            problems.push(
                `callers[${i}].namedValue: '${caller.namedValue}' expected lower-case letters, digits and '-'`,
            );
        if (!safeKey.test(caller.team))
            problems.push(`callers[${i}].team: '${caller.team}' expected lower-case letters, digits and '-'`);
        if (seen.has(caller.namedValue))
            problems.push(`callers[${i}].namedValue: duplicate '${caller.namedValue}': expected each caller once`);
        seen.add(caller.namedValue);
    });
    if (!/^[a-zA-Z0-9-]{1,80}$/.test(c.backendId))
        problems.push(`backendId: '${c.backendId}' expected letters, digits and '-'`);
    c.completionOperations.forEach((op, i) => {
        if (!safeKey.test(op))
            problems.push(`completionOperations[${i}]: '${op}' expected lower-case letters, digits and '-'`);
    });
    const { tokens, perCaller } = c.limits;
    for (const [k, v] of Object.entries({
        ...tokens,
        ...Object.fromEntries(Object.entries(perCaller).map(([pk, pv]) => [`perCaller.${pk}`, pv])),
    })) {
        if (!Number.isInteger(v) || v < 1)
            problems.push(`limits.${k}: ${v} expected a positive whole number of tokens`);
    }
    if (problems.length > 0) throw new Error(`Gateway policy: invalid configuration:\n  - ${problems.join("\n  - ")}`);
}

/** The policy document as a typed element tree (what `renderPolicyXml` serialises). */
export function gatewayPolicyDocument(c: GatewayPolicyConfig): XmlElement {
    validateGatewayPolicyConfig(c);
    const { tokens, perCaller } = c.limits;
    const callerId = `(string)${variable("caller-id")}`;
    const requested = `(int)${variable("requested-completion-tokens")}`;
    const cap = `(int)${variable(perRequestCapConvention.variable)}`;
    const limiter = (id: string, key: string, attributes: Record<string, string | number>) =>
        el("llm-token-limit", {
            id,
            "counter-key": key,
            ...attributes,
            "estimate-prompt-tokens": true,
            "retry-after-variable-name": "retry-after",
        });
    const stackKey = (period: string) => `${c.counterPrefix}:stack:${period}`;
    const callerKey = (period: string) => `@("${c.counterPrefix}:caller:" + ${callerId} + ":${period}")`;
    const teamSwitch = [
        `switch (${callerId}) {`,
        ...c.callers.map(
            (caller) => `    case ${quote(namedValueRef(caller.namedValue))}: return ${quote(caller.team)};`,
        ),
        '    default: return "unassigned";',
        "}",
    ].join("\n");

    const inbound: XmlElement[] = [
        base(),
        // A key-less caller has no business here: the header is dropped before anything reads it.
        el("set-header", { name: "api-key", "exists-action": "delete" }),
        ...(c.privateEndpointOnly
            ? [
                  el("choose", undefined, [
                      when("context.Request.PrivateEndpointConnection == null", refusal("privateEndpointRequired")),
                  ]),
              ]
            : []),
        el(
            "validate-azure-ad-token",
            {
                "tenant-id": namedValueRef(c.tenantNamedValue),
                "header-name": "Authorization",
                "failed-validation-httpcode": gatewayErrors.callerNotAuthorized.status,
                "failed-validation-error-message": gatewayErrors.callerNotAuthorized.message,
                "output-token-variable-name": "caller-token",
            },
            [
                el(
                    "client-application-ids",
                    undefined,
                    c.callers.map((caller) => ({ name: "application-id", text: namedValueRef(caller.namedValue) })),
                ),
                el(
                    "audiences",
                    undefined,
                    c.audiences.map((a) => ({ name: "audience", text: a })),
                ),
            ],
        ),
        el("set-variable", {
            name: "caller-id",
            value: '@{\n    var jwt = (Jwt)context.Variables["caller-token"];\n    return jwt.Claims.GetValueOrDefault("appid", jwt.Claims.GetValueOrDefault("azp", "unknown")).ToLowerInvariant();\n}',
        }),
        el("set-variable", { name: "caller-team", value: `@{\n${teamSwitch}\n}` }),
        el("set-variable", { name: perRequestCapConvention.variable, value: `@(${tokens.perRequest})` }),
        el("set-variable", {
            name: "requested-completion-tokens",
            value: [
                "@{",
                "    var body = context.Request.Body?.As<JObject>(preserveContent: true);",
                "    var requested = -1L;",
                '    foreach (var field in new[] { "max_tokens", "max_completion_tokens" }) {',
                "        var token = body?[field];",
                "        if (token == null || token.Type == JTokenType.Null) { continue; }",
                "        requested = Math.Max(requested, token.Type == JTokenType.Integer ? token.Value<long>() : long.MaxValue);",
                "    }",
                "    return (int)Math.Min(requested, (long)int.MaxValue);",
                "}",
            ].join("\n"),
        }),
        el("choose", undefined, [
            when(
                `new[] { ${c.completionOperations.map(quote).join(", ")} }.Contains(context.Operation.Id) && ${requested} < 1`,
                refusal("maxTokensRequired", { limit: tokens.perRequest }),
            ),
            when(`${requested} > ${cap}`, refusal("maxTokensOverCap", { limit: tokens.perRequest })),
        ]),
        limiter(limiterIds.stackPerMinute, stackKey("minute"), {
            "tokens-per-minute": tokens.perMinute,
            "tokens-consumed-variable-name": "estimated-prompt-tokens",
        }),
        limiter(limiterIds.stackDaily, stackKey("day"), { "token-quota": tokens.daily, "token-quota-period": "Daily" }),
        limiter(limiterIds.stackMonthly, stackKey("month"), {
            "token-quota": tokens.monthly,
            "token-quota-period": "Monthly",
        }),
        limiter(limiterIds.callerPerMinute, callerKey("minute"), {
            "tokens-per-minute": perCaller.perMinute,
            "remaining-tokens-header-name": "x-gateway-remaining-tokens-minute",
        }),
        limiter(limiterIds.callerDaily, callerKey("day"), {
            "token-quota": perCaller.daily,
            "token-quota-period": "Daily",
            "remaining-quota-tokens-header-name": "x-gateway-remaining-tokens-day",
        }),
        limiter(limiterIds.callerMonthly, callerKey("month"), {
            "token-quota": perCaller.monthly,
            "token-quota-period": "Monthly",
            "remaining-quota-tokens-header-name": "x-gateway-remaining-tokens-month",
        }),
        el("llm-emit-token-metric", { namespace: c.metricNamespace }, [
            el("dimension", { name: "Caller", value: `@(${callerId})` }),
            el("dimension", { name: "Team", value: `@((string)${variable("caller-team")})` }),
            el("dimension", {
                name: "Deployment",
                value: '@(context.Request.MatchedParameters.GetValueOrDefault("deployment-id", "unknown"))',
            }),
            el("dimension", { name: "API ID" }),
        ]),
        el("authentication-managed-identity", { resource: c.backendResource }),
        el("set-backend-service", { "backend-id": c.backendId }),
    ];

    // The prompt estimate exists only once the pipeline reaches the backend section (llm-token-limit-policy.md,
    // tokens-consumed-variable-name): the cap on prompt plus completion is checked there, before forwarding.
    const backend: XmlElement[] = [
        el("choose", undefined, [
            when(
                `context.Variables.GetValueOrDefault<int>("estimated-prompt-tokens", 0) + Math.Max(0, ${requested}) > ${cap}`,
                refusal("requestOverCap", { limit: tokens.perRequest }),
            ),
        ]),
        base(),
    ];

    const retryAfter = el("set-header", { name: "Retry-After", "exists-action": "override" }, [
        { name: "value", text: '@(context.Variables.GetValueOrDefault<int>("retry-after", 60).ToString())' },
    ]);
    const limited = (id: string) => `context.LastError.PolicyId == ${quote(id)}`;
    const onError: XmlElement[] = [
        base(),
        el("choose", undefined, [
            when(
                limited(limiterIds.stackPerMinute),
                refusal("tokenRateExceeded", { scope: "stack", limit: tokens.perMinute }, [retryAfter]),
            ),
            when(
                limited(limiterIds.callerPerMinute),
                refusal("tokenRateExceeded", { scope: "caller", limit: perCaller.perMinute }, [retryAfter]),
            ),
            when(
                limited(limiterIds.stackDaily),
                refusal("dailyQuotaExceeded", { scope: "stack", limit: tokens.daily }, [retryAfter]),
            ),
            when(
                limited(limiterIds.callerDaily),
                refusal("dailyQuotaExceeded", { scope: "caller", limit: perCaller.daily }, [retryAfter]),
            ),
            when(
                limited(limiterIds.stackMonthly),
                refusal("monthlyQuotaExceeded", { scope: "stack", limit: tokens.monthly }, [retryAfter]),
            ),
            when(
                limited(limiterIds.callerMonthly),
                refusal("monthlyQuotaExceeded", { scope: "caller", limit: perCaller.monthly }, [retryAfter]),
            ),
            when('context.LastError.Source == "validate-azure-ad-token"', refusal("callerNotAuthorized")),
        ]),
    ];

    return el("policies", undefined, [
        el("inbound", undefined, inbound),
        el("backend", undefined, backend),
        el("outbound", undefined, [base()]),
        el("on-error", undefined, onError),
    ]);
}

type FxpNode = Record<string, unknown>;

function toFxp(e: XmlElement): FxpNode {
    const node: FxpNode = { [e.name]: e.text !== undefined ? [{ "#text": e.text }] : (e.children ?? []).map(toFxp) };
    const attributes = Object.entries(e.attributes ?? {}).filter(([, v]) => v !== undefined);
    if (attributes.length > 0) node[":@"] = Object.fromEntries(attributes.map(([k, v]) => [`@_${k}`, String(v)]));
    return node;
}

const builder = new XMLBuilder({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    format: true,
    indentBy: "    ",
    suppressEmptyNode: true,
});

/** Serialises a policy document; attribute values and texts are escaped by the builder, never by hand. */
export function renderPolicyXml(doc: XmlElement): string {
    return (builder.build([toFxp(doc)]) as string).trim();
}

/** The gateway's API policy as API Management's `xml` format takes it. */
export function gatewayPolicyXml(c: GatewayPolicyConfig): string {
    return renderPolicyXml(gatewayPolicyDocument(c));
}
