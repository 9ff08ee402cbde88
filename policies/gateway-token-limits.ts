/**
 * What an AI gateway lets callers spend: a token rate, stack-wide daily and monthly token quotas within the profile's
 * USD limits at the dearest deployed model's price, and a per-request token cap that is enforced.
 */
import { gatewayTypes, perRequestCapConvention, policyElements } from "../catalogue/gateway";
import { approvedModels } from "../catalogue/models";
import { peek } from "./core";
import { deploymentFields } from "./deployments";
import { loosest } from "./gateway-defaults";
import { named, openAiGateways, scopesOf } from "./gateway-scopes";
import { descendants, literalInteger } from "./gateway-xml";
import { canonicalType, deploymentTypes, StackIndex } from "./stack-index";
import { stackRule } from "./stack-rule";

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
