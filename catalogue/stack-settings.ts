/**
 * What the program hands the landing-zone component: a stack's configuration validated against its compliance
 * profile, with the values derived from both.
 */
import { GatewayTokenLimits, GatewayUsdLimits } from "./gateway-limits";
import { ComplianceProfile, LogRetention } from "./profiles";
import { CustomerManagedKeyPhase, ParsedStackConfig } from "./stack-schema";

/** The gateway as the stack runs it: limits in USD and tokens, its callers with their teams, and what it costs. */
export interface EffectiveGateway {
    usdLimits: GatewayUsdLimits;
    limits: GatewayTokenLimits;
    /** Callers the gateway admits, each with the team its tokens are charged to. */
    callers: ({ application: string; team: string } | { clientId: string; team: string })[];
    publisherEmail: string;
    /** The gateway's own worst-case cost per day, USD (tier price x units). */
    dailyCostUsd: number;
    /** Whether the profile lets the gateway log request and response bodies. */
    bodyLoggingAllowed: boolean;
    /** Whether the profile lets the gateway accept calls from the internet. */
    publicInboundAllowed: boolean;
}

/** A validated stack: its config with defaults applied, and the profile it is held to. */
export interface StackSettings extends ParsedStackConfig {
    stack: string;
    resolvedProfile: ComplianceProfile;
    /** Retention actually configured on the workspace (at least the profile's). */
    retention: LogRetention;
    /** Whether the account encrypts with a customer-managed key. */
    customerManagedKeyEnabled: boolean;
    /** Where the key's rollout stands (`grant` only on a new stack's first update; see docs/components-core.md). */
    customerManagedKeyPhase: CustomerManagedKeyPhase;
    monthlyBudget: number;
    dailySpendLimit: number;
    /** Worst-case daily spend of the deployments and the gateway, USD. */
    worstCaseDailySpend: number;
    /** The gateway in front of the accounts, when the stack has one. */
    effectiveGateway?: EffectiveGateway;
    /** Tags on every resource, platform tags included. */
    allTags: Record<string, string>;
    /** Production stacks protect and lock their stateful resources. */
    protect: boolean;
}

/** A stack's effective cost limits, as the plan's report shows them and the program exports them (`costLimits`). */
export interface StackCostLimits {
    /** `gateway`: a governed gateway refuses requests past the limits; `budget-alerts-only`: spend is only bounded by capacity and alerted on. */
    enforcedBy: "gateway" | "budget-alerts-only";
    /** Monthly budget (alerts) and the worst-case daily spend bound of the deployments at full capacity (gateway included). */
    budget: { monthlyAmountUsd: number; dailySpendLimitUsd: number; worstCaseDailySpendUsd: number };
    /** What the gateway admits: USD and tokens per day and month, tokens per request and per minute; null without a gateway. */
    gateway: null | {
        usd: { perDay: number; perMonth: number };
        tokens: { perMinute: number; perDay: number; perMonth: number; perRequest: number };
        perCaller: { percent: number; perMinute: number; perDay: number; perMonth: number };
        pricedAt: { model: string; deployment: string; usdPer1kTokens: number };
        dailyCostUsd: number;
    };
}

export function stackCostLimits(s: StackSettings): StackCostLimits {
    const g = s.effectiveGateway;
    return {
        enforcedBy: g ? "gateway" : "budget-alerts-only",
        budget: {
            monthlyAmountUsd: s.monthlyBudget,
            dailySpendLimitUsd: s.dailySpendLimit,
            worstCaseDailySpendUsd: s.worstCaseDailySpend,
        },
        gateway: g
            ? {
                  usd: { perDay: g.limits.usd.daily, perMonth: g.limits.usd.monthly },
                  tokens: {
                      perMinute: g.limits.tokens.perMinute,
                      perDay: g.limits.tokens.daily,
                      perMonth: g.limits.tokens.monthly,
                      perRequest: g.limits.tokens.perRequest,
                  },
                  perCaller: {
                      percent: g.usdLimits.perCallerPercent,
                      perMinute: g.limits.perCaller.perMinute,
                      perDay: g.limits.perCaller.daily,
                      perMonth: g.limits.perCaller.monthly,
                  },
                  pricedAt: g.limits.pricedAt,
                  dailyCostUsd: g.dailyCostUsd,
              }
            : null,
    };
}
