/**
 * The AI gateway's API policy, generated from typed configuration: caller authentication with Entra ID, the
 * private-endpoint-only guard, the per-request token cap, stack-wide and per-caller token rate and quota counters,
 * chargeback metrics, the managed identity towards the backend, and a JSON error body for every refusal. Element and
 * attribute names follow their policy reference pages (catalogue/gateway.ts).
 */
import { perRequestCapConvention } from "../catalogue/gateway";
import { gatewayErrors, refusal } from "./gateway-errors";
import { GatewayPolicyConfig, namedValueRef, validateGatewayPolicyConfig } from "./gateway-policy-config";
import { limitRefusals, tokenLimiters } from "./gateway-policy-limits";
import { base, el, quote, renderPolicyXml, variable, when, XmlElement } from "./gateway-policy-xml";

export { errorBody, gatewayErrors } from "./gateway-errors";
export type { GatewayErrorName } from "./gateway-errors";
export { namedValueRef, validateGatewayPolicyConfig } from "./gateway-policy-config";
export type { GatewayPolicyConfig } from "./gateway-policy-config";
export { limiterIds } from "./gateway-policy-limits";
export { renderPolicyXml } from "./gateway-policy-xml";
export type { XmlElement } from "./gateway-policy-xml";

/** The policy document as a typed element tree (what `renderPolicyXml` serialises). */
export function gatewayPolicyDocument(c: GatewayPolicyConfig): XmlElement {
    validateGatewayPolicyConfig(c);
    const { tokens } = c.limits;
    const callerId = `(string)${variable("caller-id")}`;
    const requested = `(int)${variable("requested-completion-tokens")}`;
    const cap = `(int)${variable(perRequestCapConvention.variable)}`;
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
        ...tokenLimiters(c, callerId),
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

    const onError: XmlElement[] = [
        base(),
        el("choose", undefined, [
            ...limitRefusals(c),
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

/** The gateway's API policy as API Management's `xml` format takes it. */
export function gatewayPolicyXml(c: GatewayPolicyConfig): string {
    return renderPolicyXml(gatewayPolicyDocument(c));
}
