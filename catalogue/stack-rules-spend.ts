/** The rules of a stack's spend: the daily limit within the profile's, the worst case within the limit, the budget's start. */
import { latestBudgetStart } from "./budget-period";
import { componentGatewayTier, gatewayDailyCostUsd } from "./gateway";
import { approvedModels, totalWorstCaseDailySpend } from "./models";
import { ComplianceProfile } from "./profiles";
import { asArray, ConfigProblem, isObject, problemList, Raw } from "./stack-problems";

/** The daily spend limit within the profile's, and the worst-case daily spend (models and gateway) within the limit. */
export function spendProblems(raw: Raw, profile: ComplianceProfile): ConfigProblem[] {
    const { problems, add } = problemList();
    const budget = isObject(raw.budget) ? raw.budget : {};
    const limit = typeof budget.dailySpendLimit === "number" ? budget.dailySpendLimit : profile.budget.dailySpendLimit;
    if (typeof budget.dailySpendLimit === "number" && budget.dailySpendLimit > profile.budget.dailySpendLimit) {
        add(
            "budget.dailySpendLimit",
            `${budget.dailySpendLimit} exceeds profile ${profile.id}'s limit of ${profile.budget.dailySpendLimit} USD/day: expected at most that`,
        );
    }
    const spendable = asArray(raw.deployments).filter(
        (d): d is { model: string; sku: string; capacity: number } =>
            isObject(d) &&
            typeof d.model === "string" &&
            typeof d.sku === "string" &&
            typeof d.capacity === "number" &&
            d.capacity > 0,
    );
    const prices = isObject(raw.prices)
        ? (Object.fromEntries(Object.entries(raw.prices).filter(([, v]) => typeof v === "number" && v > 0)) as Record<
              string,
              number
          >)
        : {};
    const priced = spendable.filter(
        (d) => d.sku.includes("Provisioned") || prices[d.model] !== undefined || approvedModels[d.model] !== undefined,
    );
    const gateway = isObject(raw.gateway) ? raw.gateway : undefined;
    const gatewayDaily = gateway ? gatewayCostOf(gateway) : 0;
    const spend = totalWorstCaseDailySpend(priced, prices, gatewayDaily);
    if (spend > limit) {
        const gatewayPart = gateway ? ` (the AI gateway's ${gatewayDaily.toFixed(2)} USD/day included)` : "";
        add(
            "deployments",
            `worst-case daily spend at full capacity is ${spend.toFixed(2)} USD${gatewayPart}, over the daily limit of ${limit} USD: ${limit < profile.budget.dailySpendLimit ? `lower deployments[].capacity, or raise budget.dailySpendLimit up to profile ${profile.id}'s ${profile.budget.dailySpendLimit} USD/day` : `lower deployments[].capacity (budget.dailySpendLimit is already profile ${profile.id}'s maximum; only the profile's owner can raise it, in catalogue/profiles.ts)`}`,
        );
    }
    return problems;
}

/** A budget start Azure accepts: at most twelve months ahead. */
export function budgetStartProblems(raw: Raw, today: string): ConfigProblem[] {
    const { problems, add } = problemList();
    const budget = isObject(raw.budget) ? raw.budget : {};
    if (
        typeof budget.startDate === "string" &&
        /^\d{4}-\d{2}-01$/.test(budget.startDate) &&
        budget.startDate > latestBudgetStart(today)
    ) {
        add(
            "budget.startDate",
            `'${budget.startDate}' is more than twelve months ahead (Azure refuses it): expected ${latestBudgetStart(today)} or earlier, or no value (the first of the month of the first deployment)`,
        );
    }
    return problems;
}

/** The gateway's own worst-case cost per day, from a raw `gateway` block (defaults where its values are unusable). */
function gatewayCostOf(gateway: Raw): number {
    const units =
        typeof gateway.units === "number" && Number.isInteger(gateway.units) && gateway.units > 0 ? gateway.units : 1;
    return gatewayDailyCostUsd(componentGatewayTier, units);
}
