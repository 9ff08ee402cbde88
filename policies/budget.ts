/**
 * Rule 20: a budget with actual and forecasted notifications covers every stack that has an account: scoped to
 * the subscription or to the account's resource group.
 */
import { PolicyResource } from "@pulumi/policy";
import { types } from "../catalogue/azure";
import { asArray, isObject, known, peek, unknown } from "./core";
import { accountTypes, StackIndex } from "./stack-index";
import { stackRule } from "./stack-rule";

const subscriptionScope = /^\/subscriptions\/[^/]+\/?$/i;
const resourceGroupScope = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/?$/i;

/** The resource groups a budget covers (by lower-cased name), or "subscription". */
function coverage(index: StackIndex, budget: PolicyResource): Set<string> | "subscription" {
    const link = index.link(budget, "scope", [types.resourceGroup]);
    if (link.kind === "resources") return new Set(link.resources.map((rg) => (index.azureName(rg) ?? rg.name).toLowerCase()));
    if (link.kind === "external") {
        if (subscriptionScope.test(link.id)) return "subscription";
        const m = resourceGroupScope.exec(link.id);
        if (m) return new Set([m[1].toLowerCase()]);
    }
    return new Set();
}

/** The account's resource group name, through the URN of the group it was created in or its known name. */
function resourceGroupOf(index: StackIndex, account: PolicyResource): string | typeof unknown | undefined {
    const viaUrn = (account.propertyDependencies.resourceGroupName ?? []).find((d) => d.type === types.resourceGroup);
    if (viaUrn) return (index.azureName(viaUrn) ?? viaUrn.name).toLowerCase();
    const name = peek(account.props, "resourceGroupName");
    return typeof name === "string" ? name.toLowerCase() : name === unknown ? unknown : undefined;
}

export function notificationTypes(budget: PolicyResource): Set<string> {
    const notifications = known(budget.props, "notifications");
    const list = isObject(notifications) ? Object.values(notifications) : asArray(notifications);
    return new Set(list.filter((n) => isObject(n) && n.enabled !== false).map((n) => String((n as Record<string, unknown>).thresholdType ?? "Actual")));
}

export const budgetCoverage = stackRule({
    name: "azure-openai-budget-require-notifications",
    description: "Every stack with an Azure OpenAI account must have a budget covering the account's resource group that notifies on both actual and forecasted spend.",
    severity: "medium",
    concerns: [...accountTypes, types.budget],
    anchors: {},
    remediationSteps: "Create a consumption.Budget scoped to the stack's resource group (the CostGovernance component) with at least one Actual and one Forecasted notification.",
    check: (index, _c, problem) => {
        const budgets = index.of(types.budget);
        const complete: PolicyResource[] = [];
        for (const b of budgets) {
            const kinds = notificationTypes(b);
            const missing = ["Actual", "Forecasted"].filter((k) => !kinds.has(k));
            if (missing.length > 0) problem(b, "notifications", `have no enabled ${missing.join(" or ")} notification`, `add a ${missing.join(" and a ")} notification with contact emails or an action group`);
            else complete.push(b);
        }
        const covered = complete.map((b) => coverage(index, b));
        for (const account of index.of(...accountTypes)) {
            if (covered.includes("subscription")) continue;
            const rg = resourceGroupOf(index, account);
            const ok = covered.some((c) => c !== "subscription" && (rg === unknown || rg === undefined ? c.size > 0 : c.has(rg)));
            if (!ok) problem(account, "budget", budgets.length === 0 ? "is missing for this stack" : "does not cover the account's resource group with actual and forecasted notifications", "create a budget on the account's resource group with Actual and Forecasted notifications");
        }
    },
});
