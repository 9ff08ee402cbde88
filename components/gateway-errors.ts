/** Every refusal the gateway's policy makes: its status, its JSON body's error code, and the element that sends it. */
import { el, XmlElement } from "./gateway-policy-xml";

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

/** The `return-response` element that refuses a request with the error's status and JSON body. */
export function refusal(
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
