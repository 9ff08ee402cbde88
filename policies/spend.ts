/**
 * The worst-case daily spend of all deployments at full capacity, plus the API Management gateways' units
 * (which cost the same whatever the traffic), stays within the stack's daily limit.
 * The limit is the profile's (pack config); a CostGovernance component of the program may only lower it.
 */
import { gatewayDailyCostUsd, gatewayTypes } from "../catalogue/gateway";
import { approvedModels, worstCaseDailySpend } from "../catalogue/models";
import { profiles } from "../catalogue/profiles";
import { known, peek } from "./core";
import { deploymentFields } from "./deployments";
import { canonicalType, deploymentTypes } from "./stack-index";
import { stackRule } from "./stack-rule";

/** The type token of the program's CostGovernance component, whose `dailySpendLimitUsd` output may lower the limit. */
export const costGovernanceType = "azure-openai-lz:cost:CostGovernance";

const maxProfileLimit = Math.max(...Object.values(profiles).map((p) => p.budget.dailySpendLimit));
const cataloguePrices = Object.fromEntries(Object.entries(approvedModels).map(([m, p]) => [m, p.usdPer1kTokens]));

interface SpendConfig {
    dailySpendLimitUsd: number;
    pricesUsdPer1kTokens: Record<string, number>;
}
export const worstCaseSpend = stackRule<SpendConfig>({
    name: "azure-openai-deployment-limit-worst-case-spend",
    description:
        "The worst-case daily spend of the stack's deployments at full capacity, plus its API Management gateways' units, must stay within the stack's daily spend limit.",
    severity: "medium",
    concerns: deploymentTypes,
    anchors: {},
    configSchema: {
        properties: {
            dailySpendLimitUsd: { type: "number", exclusiveMinimum: 0, default: maxProfileLimit },
            pricesUsdPer1kTokens: {
                type: "object",
                additionalProperties: { type: "number", exclusiveMinimum: 0 },
                default: cataloguePrices,
            },
        },
    },
    remediationSteps:
        "Lower the deployments' capacity (thousands of tokens per minute) in the stack config, or have the budget owner raise the profile's daily limit.",
    check: (index, config, problem) => {
        let limit = config.dailySpendLimitUsd;
        for (const c of index.of(costGovernanceType)) {
            const declared = peek(c.props, "dailySpendLimitUsd");
            if (typeof declared === "number" && declared > 0) limit = Math.min(limit, declared);
        }
        const deployments = index.of(...deploymentTypes).map((d) => {
            const f = deploymentFields(canonicalType(d.type));
            const model = String(known(d.props, ...f.model));
            const sku = String(known(d.props, ...f.sku));
            const capacity = Number(known(d.props, ...f.capacity) ?? 1);
            const price = config.pricesUsdPer1kTokens[model];
            // An unpriced model is refused by the approved-models rule; count it at the dearest known price here.
            const usd = worstCaseDailySpend(
                { model, sku, capacity },
                price === undefined
                    ? { [model]: Math.max(...Object.values(config.pricesUsdPer1kTokens)) }
                    : config.pricesUsdPer1kTokens,
            );
            return { d, usd, capacity };
        });
        // A gateway costs its units' price every day, whatever the traffic (catalogue/gateway.ts, dated prices).
        const gatewayUsd = index.of(gatewayTypes.service).reduce((sum, svc) => {
            const capacity = known(svc.props, "sku", "capacity");
            return (
                sum +
                gatewayDailyCostUsd(
                    String(known(svc.props, "sku", "name")),
                    typeof capacity === "number" && capacity > 0 ? capacity : 1,
                )
            );
        }, 0);
        const total = Math.round((deployments.reduce((s, x) => s + x.usd, 0) + gatewayUsd) * 100) / 100;
        if (total <= limit) return;
        const gatewayPart =
            gatewayUsd > 0 ? ` (API Management gateways ${gatewayUsd.toFixed(2)} USD/day included)` : "";
        for (const { d, usd, capacity } of deployments) {
            problem(
                d,
                "sku.capacity",
                `is ${capacity}, costing up to ${usd.toFixed(2)} USD/day; all deployments together reach ${total.toFixed(2)} USD/day${gatewayPart}, over the daily limit of ${limit} USD`,
                "lower the capacities or raise the limit through its owner",
            );
        }
    },
});
