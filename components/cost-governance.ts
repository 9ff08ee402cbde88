/**
 * Cost guard rails of a regional Azure OpenAI stack: a monthly budget on its resource group that notifies on actual
 * and forecasted spend, an action group for those notifications, and the worst-case daily spend of the deployments,
 * checked against the daily limit before anything is created.
 */
import * as pulumi from "@pulumi/pulumi";
import * as consumption from "@pulumi/azure-native/consumption";
import * as monitor from "@pulumi/azure-native/monitor";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { earliestBudgetStart, firstOfMonthUtc } from "../catalogue/budget-period";
import { SpendInput, totalWorstCaseDailySpend } from "../catalogue/models";
import { stableSuffix } from "../catalogue/naming";
import { Tags } from "./shared";

export { firstOfMonthUtc };

/**
 * The budget's own input path of its start date. With no `startDate` given, the budget starts on the first of the
 * month it is created in and ignores this property afterwards, so later updates keep the original start instead of
 * moving it (or replacing the budget) every month.
 */
export const budgetStartDatePath = "timePeriod.startDate";

/** Azure accepts at most five notifications per budget. */
export const maxBudgetNotifications = 5;

export interface CostGovernanceArgs {
    /** Resource group the action group is created in. */
    resourceGroupName: pulumi.Input<string>;
    /** Budget scope: the stack's resource group id, so the budget covers everything the stack creates. */
    resourceGroupId: pulumi.Input<string>;
    tags: Tags;
    /** Prefix of the budget's and action group's names. */
    namePrefix: string;
    /** Monthly amount in the billing currency. */
    monthlyAmount: number;
    /** Percentages of the monthly amount that notify on actual spend (e.g. 50, 80, 100). */
    actualThresholds: number[];
    /** Percentages of the monthly amount that notify on forecasted spend (e.g. 100). */
    forecastedThresholds: number[];
    /** Who is emailed by the budget and by the action group created here. */
    contactEmails: string[];
    /** An existing action group (e.g. the platform on-call's) to notify; when absent one is created with the contact emails. */
    actionGroupId?: pulumi.Input<string>;
    /**
     * First month tracked, `YYYY-MM-01`, at most twelve months ahead. Default: the first of the month the budget is
     * created in (UTC), kept on later updates.
     */
    startDate?: string;
    /** The deployments whose full-capacity spend is bounded. */
    deployments: SpendInput[];
    /** Price overrides, USD per 1,000 tokens by model. */
    prices?: Record<string, number>;
    /** Worst-case daily spend the deployments may reach, USD. */
    dailySpendLimitUsd: number;
    /** Costs per day that run whatever the traffic (the AI gateway's units), USD; counted in the worst case. */
    fixedDailyCostsUsd?: number;
}

const emailPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const startDatePattern = /^(\d{4})-(0[1-9]|1[0-2])-01$/;

/** Synchronous checks of the arguments; every problem names the argument and what was expected. Returns the worst-case daily spend. */
export function validateCostGovernanceArgs(args: CostGovernanceArgs): number {
    const problems: string[] = [];
    if (!(args.monthlyAmount > 0)) problems.push(`monthlyAmount: ${args.monthlyAmount} expected a positive amount`);
    for (const key of ["actualThresholds", "forecastedThresholds"] as const) {
        args[key].forEach((t, i) => {
            if (!(t > 0 && t <= 1000))
                problems.push(`${key}[${i}]: ${t} expected a percentage above 0 and at most 1000`);
        });
        if (new Set(args[key]).size !== args[key].length)
            problems.push(`${key}: duplicate thresholds: expected each percentage once`);
    }
    const count = args.actualThresholds.length + args.forecastedThresholds.length;
    if (count === 0 || count > maxBudgetNotifications)
        problems.push(
            `actualThresholds + forecastedThresholds: ${count} notifications, expected 1 to ${maxBudgetNotifications} (Azure's limit per budget)`,
        );
    if (args.contactEmails.length === 0) problems.push("contactEmails: expected at least one email address");
    args.contactEmails.forEach((e, i) => {
        if (!emailPattern.test(e)) problems.push(`contactEmails[${i}]: '${e}' expected an email address`);
    });
    if (
        typeof args.actionGroupId === "string" &&
        !/\/providers\/Microsoft\.Insights\/actionGroups\/[^/]+$/i.test(args.actionGroupId)
    ) {
        problems.push(
            `actionGroupId: '${args.actionGroupId}' expected a resource id of type Microsoft.Insights/actionGroups`,
        );
    }
    if (args.startDate !== undefined) {
        const start = args.startDate;
        const m = startDatePattern.exec(start);
        if (!m || start < earliestBudgetStart)
            problems.push(
                `startDate: '${start}' expected the first of a month, YYYY-MM-01, from ${earliestBudgetStart} on`,
            );
    }
    if (!(args.dailySpendLimitUsd > 0))
        problems.push(`dailySpendLimitUsd: ${args.dailySpendLimitUsd} expected a positive amount`);
    let spend = 0;
    try {
        spend = totalWorstCaseDailySpend(args.deployments, args.prices ?? {}, args.fixedDailyCostsUsd ?? 0);
    } catch (e) {
        problems.push(`deployments: ${(e as Error).message}`);
    }
    if (spend > args.dailySpendLimitUsd) {
        problems.push(
            `deployments: worst-case daily spend at full capacity is ${spend.toFixed(2)} USD, over dailySpendLimitUsd ${args.dailySpendLimitUsd}: expected lower capacities or a higher limit`,
        );
    }
    if (problems.length > 0) throw new Error(`CostGovernance: invalid arguments:\n  - ${problems.join("\n  - ")}`);
    return spend;
}

/** The budget's notifications, keyed by a stable name (`actual-80`, `forecasted-100`). */
export function budgetNotifications(
    args: Pick<CostGovernanceArgs, "actualThresholds" | "forecastedThresholds" | "contactEmails">,
    actionGroupId: pulumi.Input<string>,
): Record<string, azureInputs.consumption.NotificationArgs> {
    const notification = (
        thresholdType: "Actual" | "Forecasted",
        threshold: number,
    ): [string, azureInputs.consumption.NotificationArgs] => [
        `${thresholdType.toLowerCase()}-${threshold}`,
        {
            enabled: true,
            operator: "GreaterThanOrEqualTo",
            threshold,
            thresholdType,
            contactEmails: args.contactEmails,
            contactGroups: [actionGroupId],
            locale: "en-us",
        },
    ];
    return Object.fromEntries([
        ...args.actualThresholds.map((t) => notification("Actual", t)),
        ...args.forecastedThresholds.map((t) => notification("Forecasted", t)),
    ]);
}

/** A receiver name unique in the group and stable under reordering: the address's local part plus a short hash. */
export function emailReceiverName(emailAddress: string): string {
    const local = emailAddress
        .split("@")[0]
        .replace(/[^A-Za-z0-9-]+/g, "-")
        .slice(0, 40);
    return `${local}-${stableSuffix(emailAddress.toLowerCase(), 4)}`;
}

export class CostGovernance extends pulumi.ComponentResource {
    public readonly budgetId: pulumi.Output<string>;
    public readonly budgetName: pulumi.Output<string>;
    /** The action group budget (and audit) notifications go to: the given one or the one created here. */
    public readonly actionGroupId: pulumi.Output<string>;
    /** Worst-case USD per day of the deployments at full capacity (what the daily limit is checked against). */
    public readonly worstCaseDailySpendUsd: pulumi.Output<number>;
    public readonly dailySpendLimitUsd: pulumi.Output<number>;

    constructor(name: string, args: CostGovernanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("azure-openai-lz:cost:CostGovernance", name, {}, opts);
        const spend = validateCostGovernanceArgs(args);

        const actionGroupId =
            args.actionGroupId !== undefined
                ? pulumi.output(args.actionGroupId)
                : new monitor.ActionGroup(
                      `${name}-action-group`,
                      {
                          actionGroupName: `ag-${args.namePrefix}-openai`,
                          // Short names appear in SMS and email subjects; Azure allows 12 characters.
                          groupShortName: args.namePrefix.slice(0, 12),
                          resourceGroupName: args.resourceGroupName,
                          location: "Global",
                          enabled: true,
                          emailReceivers: args.contactEmails.map((emailAddress) => ({
                              name: emailReceiverName(emailAddress),
                              emailAddress,
                              useCommonAlertSchema: true,
                          })),
                          tags: args.tags,
                      },
                      { parent: this },
                  ).id;

        const budget = new consumption.Budget(
            `${name}-budget`,
            {
                budgetName: `budget-${args.namePrefix}-openai`,
                scope: args.resourceGroupId,
                amount: args.monthlyAmount,
                category: "Cost",
                timeGrain: "Monthly",
                timePeriod: { startDate: `${args.startDate ?? firstOfMonthUtc()}T00:00:00Z` },
                notifications: budgetNotifications(args, actionGroupId),
            },
            { parent: this, ignoreChanges: args.startDate === undefined ? [budgetStartDatePath] : [] },
        );

        this.budgetId = budget.id;
        this.budgetName = budget.name;
        this.actionGroupId = actionGroupId;
        this.worstCaseDailySpendUsd = pulumi.output(spend);
        this.dailySpendLimitUsd = pulumi.output(args.dailySpendLimitUsd);
        this.registerOutputs({
            budgetId: this.budgetId,
            budgetName: this.budgetName,
            actionGroupId: this.actionGroupId,
            worstCaseDailySpendUsd: this.worstCaseDailySpendUsd,
            dailySpendLimitUsd: this.dailySpendLimitUsd,
        });
    }
}
