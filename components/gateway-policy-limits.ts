/**
 * The policy's token counters: stack-wide and per-caller tokens per minute, daily and monthly quotas
 * (`llm-token-limit`), and the refusal each one answers with when it trips.
 */
import { refusal } from "./gateway-errors";
import { GatewayPolicyConfig } from "./gateway-policy-config";
import { el, quote, when, XmlElement } from "./gateway-policy-xml";

/** Ids of the token-limit elements: an error's `context.LastError.PolicyId` names the counter that refused. */
export const limiterIds = {
    stackPerMinute: "stack-tokens-per-minute",
    stackDaily: "stack-daily-token-quota",
    stackMonthly: "stack-monthly-token-quota",
    callerPerMinute: "caller-tokens-per-minute",
    callerDaily: "caller-daily-token-quota",
    callerMonthly: "caller-monthly-token-quota",
} as const;

/** The inbound counters, stack-wide first; `callerId` is the C# expression of the caller's id. */
export function tokenLimiters(c: GatewayPolicyConfig, callerId: string): XmlElement[] {
    const { tokens, perCaller } = c.limits;
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
    return [
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
    ];
}

/** The on-error branches: the counter that refused, answered with its error, scope and limit, and a Retry-After. */
export function limitRefusals(c: GatewayPolicyConfig): XmlElement[] {
    const { tokens, perCaller } = c.limits;
    const retryAfter = el("set-header", { name: "Retry-After", "exists-action": "override" }, [
        { name: "value", text: '@(context.Variables.GetValueOrDefault<int>("retry-after", 60).ToString())' },
    ]);
    const counters = [
        [limiterIds.stackPerMinute, "tokenRateExceeded", "stack", tokens.perMinute],
        [limiterIds.callerPerMinute, "tokenRateExceeded", "caller", perCaller.perMinute],
        [limiterIds.stackDaily, "dailyQuotaExceeded", "stack", tokens.daily],
        [limiterIds.callerDaily, "dailyQuotaExceeded", "caller", perCaller.daily],
        [limiterIds.stackMonthly, "monthlyQuotaExceeded", "stack", tokens.monthly],
        [limiterIds.callerMonthly, "monthlyQuotaExceeded", "caller", perCaller.monthly],
    ] as const;
    return counters.map(([id, error, scope, limit]) =>
        when(`context.LastError.PolicyId == ${quote(id)}`, refusal(error, { scope, limit }, [retryAfter])),
    );
}
