/**
 * A budget with actual and forecasted notifications covers every stack that has an account: scoped to
 * the subscription or to the account's resource group. And every budget has a period Azure accepts
 * (docs/azure-constraints.md, "Budget start date").
 */
import { PolicyResource } from "@pulumi/policy";
import { types } from "../catalogue/azure";
import { asArray, cannotKnow, describe, isObject, known, peek, show, unknown } from "./core";
import { fixFor } from "./fix";
import { budgetGrainStart, latestBudgetStart } from "../catalogue/budget-period";
import { utcToday } from "../catalogue/models";
import { accountTypes, StackIndex } from "./stack-index";
import { judgeEach, stackRule } from "./stack-rule";

const subscriptionScope = /^\/subscriptions\/[^/]+\/?$/i;
const resourceGroupScope = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/?$/i;

/** How a resource group is recognised: its URN, and its Azure name when the outputs know it. */
function groupKeys(index: StackIndex, rg: PolicyResource): string[] {
    const name = index.azureName(rg);
    return [`urn:${rg.urn}`, ...(typeof name === "string" ? [`name:${name.toLowerCase()}`] : [])];
}

/** A resource group by name: the name, and the stack's group of that name when there is one. */
function namedGroupKeys(index: StackIndex, name: string): string[] {
    return [`name:${name.toLowerCase()}`, ...index.named(types.resourceGroup, name).map((rg) => `urn:${rg.urn}`)];
}

/** The resource groups a budget covers, or "subscription". Its scope is a URL path parameter: by URN or from its id. */
function coverage(index: StackIndex, budget: PolicyResource): Set<string> | "subscription" {
    const link = index.scopeOf(budget, "scope", [types.resourceGroup]);
    if (link.kind === "resources") return new Set(link.resources.flatMap((rg) => groupKeys(index, rg)));
    if (link.kind === "external") {
        if (subscriptionScope.test(link.id)) return "subscription";
        const m = resourceGroupScope.exec(link.id);
        if (m) return new Set(namedGroupKeys(index, m[1]));
    }
    return new Set();
}

/** The account's resource group: the group it depends on by URN, its name where the resource carries it, or its id's. */
function resourceGroupOf(index: StackIndex, account: PolicyResource): string[] | typeof unknown | undefined {
    const viaUrn = (account.propertyDependencies.resourceGroupName ?? []).filter((d) => d.type === types.resourceGroup);
    if (viaUrn.length > 0) return viaUrn.flatMap((rg) => groupKeys(index, rg));
    const name = peek(account.props, "resourceGroupName");
    if (typeof name === "string") return namedGroupKeys(index, name);
    if (name === unknown) return unknown;
    const id = index.idOf(account);
    if (id === unknown) return unknown;
    const m = id ? /\/resourcegroups\/([^/]+)/i.exec(id) : null;
    return m ? namedGroupKeys(index, m[1]) : undefined;
}

export function notificationTypes(budget: PolicyResource): Set<string> {
    const notifications = known(budget.props, "notifications");
    const list = isObject(notifications) ? Object.values(notifications) : asArray(notifications);
    return new Set(
        list
            .filter((n) => isObject(n) && n.enabled !== false)
            .map((n) => String((n as Record<string, unknown>).thresholdType ?? "Actual")),
    );
}

export const budgetCoverage = stackRule({
    name: "azure-openai-budget-require-notifications",
    description:
        "Every stack with an Azure OpenAI account must have a budget covering the account's resource group that notifies on both actual and forecasted spend.",
    severity: "medium",
    concerns: [...accountTypes, types.budget],
    anchors: {},
    remediationSteps:
        "Create a consumption.Budget scoped to the stack's resource group (the CostGovernance component) with at least one Actual and one Forecasted notification.",
    check: (index, _c, problem) => {
        const budgets = index.of(types.budget);
        const complete: PolicyResource[] = [];
        for (const b of budgets) {
            const kinds = notificationTypes(b);
            const missing = ["Actual", "Forecasted"].filter((k) => !kinds.has(k));
            if (missing.length > 0)
                problem(
                    b,
                    "notifications",
                    `have no enabled ${missing.join(" or ")} notification`,
                    fixFor(`add a ${missing.join(" and a ")} notification with contact emails or an action group`, {
                        stackKey:
                            "budget.contactEmails and budget.actionGroupId (the thresholds come from the profile)",
                        componentArg: "CostGovernance actualThresholds and forecastedThresholds",
                    }),
                );
            else complete.push(b);
        }
        const covered = complete.map((b) => coverage(index, b));
        judgeEach(index.of(...accountTypes), (account) => {
            if (covered.includes("subscription")) return;
            const rg = resourceGroupOf(index, account);
            const groups = covered.filter((c): c is Set<string> => c !== "subscription");
            if (rg !== unknown && rg !== undefined && groups.some((c) => rg.some((k) => c.has(k)))) return;
            if (rg === unknown && groups.some((c) => c.size > 0))
                cannotKnow(`${describe(account)}: its resource group`);
            problem(
                account,
                "budget",
                budgets.length === 0
                    ? "is missing for this stack"
                    : "does not cover the account's resource group with actual and forecasted notifications",
                fixFor("create a budget on the account's resource group with Actual and Forecasted notifications", {
                    stackKey: "budget (RegionalOpenAi always creates it)",
                    componentArg: "CostGovernance resourceGroupId",
                }),
            );
        });
    },
});

interface PeriodConfig {
    today?: string;
}
const budgetFix = {
    stackKey: "budget.startDate (YYYY-MM-01; leave it out to start in the month of the first deployment)",
    componentArg: "CostGovernance startDate",
};

export const budgetPeriod = stackRule<PeriodConfig>({
    name: "azure-openai-budget-configure-valid-period",
    description:
        "Budgets must start on the first of a month, at most twelve months ahead, and a new budget not before the current time grain period, or Azure refuses to create them.",
    severity: "medium",
    concerns: [types.budget],
    anchors: {},
    configSchema: {
        properties: {
            today: {
                type: "string",
                pattern: "^\\d{4}-\\d{2}-\\d{2}$",
                description: "The day dates are judged against (YYYY-MM-DD); default: the day of the run (UTC).",
            },
        },
    },
    remediationSteps:
        "Set timePeriod.startDate to the first of a month no more than twelve months ahead; for a new budget, not before the first day of the current time grain period (the current month for a monthly budget). The CostGovernance component starts a new budget on the first of the current month and keeps that date on later updates.",
    check: (index, config, problem) => {
        const today = config.today ?? utcToday();
        for (const b of index.of(types.budget)) {
            const raw = known(b.props, "timePeriod", "startDate");
            if (typeof raw !== "string" || raw === "") {
                problem(
                    b,
                    "timePeriod.startDate",
                    `is ${show(raw)} (Azure requires a start date)`,
                    fixFor("set the first of the current month", budgetFix),
                );
                continue;
            }
            const start = raw.slice(0, 10);
            if (!/^\d{4}-\d{2}-01$/.test(start)) {
                problem(
                    b,
                    "timePeriod.startDate",
                    `is ${show(raw)}, not the first of a month`,
                    fixFor(`set ${start.slice(0, 7)}-01 (the first of that month)`, budgetFix),
                );
                continue;
            }
            if (start > latestBudgetStart(today)) {
                problem(
                    b,
                    "timePeriod.startDate",
                    `is ${start}, more than twelve months ahead of ${today}`,
                    fixFor(`set ${latestBudgetStart(today)} or earlier`, budgetFix),
                );
            }
            // A past start date is refused only when the budget is created: a known id means it exists (and keeps its date).
            const id = peek(b.props, "id");
            const exists = typeof id === "string" && id !== "";
            const grain = String(peek(b.props, "timeGrain") ?? "Monthly");
            if (!exists && start < budgetGrainStart(grain, today)) {
                problem(
                    b,
                    "timePeriod.startDate",
                    `is ${start}, before the current ${grain} period (from ${budgetGrainStart(grain, today)}), which a new budget cannot start in`,
                    fixFor(`set ${budgetGrainStart(grain, today)} or later`, budgetFix),
                );
            }
        }
    },
});
