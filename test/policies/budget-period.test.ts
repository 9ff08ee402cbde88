/**
 * A budget's period as Azure accepts it: the first of a month, at most twelve months ahead, and for a budget being
 * created (its id not yet known) not before the current time grain period. "Today" from the policy config.
 */
import { budgetGrainStart, latestBudgetStart } from "../../catalogue/budget-period";
import { types } from "../../catalogue/azure";
import { budgetPeriod } from "../../policies/budget";
import { buildStack, runStack, UNKNOWN } from "./harness";

const budget = (startDate: unknown, id: unknown = UNKNOWN, timeGrain = "Monthly") =>
    buildStack("eu-prod", [
        { type: "pulumi:pulumi:Stack", name: "azure-openai-landing-zone-eu-prod", props: {} },
        {
            type: types.budget,
            name: "budget",
            props: {
                budgetName: "budget-x",
                amount: 5000,
                timeGrain,
                id,
                ...(startDate === undefined ? {} : { timePeriod: { startDate } }),
            },
        },
    ]);
const today = { today: "2026-11-27" };

describe("azure-openai-budget-configure-valid-period", () => {
    it("passes a new budget starting this month, and an existing one that started long ago", async () => {
        expect(await runStack(budgetPeriod, budget("2026-11-01T00:00:00Z"), today)).toEqual({ violations: [] });
        expect(
            await runStack(
                budgetPeriod,
                budget(
                    "2025-03-01T00:00:00Z",
                    "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Consumption/budgets/budget-x",
                ),
                today,
            ),
        ).toEqual({ violations: [] });
        expect(await runStack(budgetPeriod, budget("2027-11-01T00:00:00Z"), today)).toEqual({ violations: [] });
    });

    it.each([
        [
            "a start in the middle of a month",
            "2026-11-15T00:00:00Z",
            'timePeriod.startDate is "2026-11-15T00:00:00Z", not the first of a month: set 2026-11-01 (the first of that month)',
        ],
        [
            "a start more than twelve months ahead",
            "2027-12-01T00:00:00Z",
            "timePeriod.startDate is 2027-12-01, more than twelve months ahead of 2026-11-27: set 2027-11-01 or earlier",
        ],
        [
            "a new budget starting before the current month",
            "2026-10-01T00:00:00Z",
            "timePeriod.startDate is 2026-10-01, before the current Monthly period (from 2026-11-01), which a new budget cannot start in: set 2026-11-01 or later",
        ],
        ["no start date", undefined, "timePeriod.startDate is not set (Azure requires a start date)"],
    ])("refuses %s, naming the stack key and the component argument", async (_label, start, expected) => {
        const out = await runStack(budgetPeriod, budget(start), today);
        expect(out.violations.map((v) => v.message)).toEqual([expect.stringContaining(`Budget 'budget': ${expected}`)]);
        expect(out.violations[0].message).toContain("stack config: budget.startDate");
        expect(out.violations[0].message).toContain("component: CostGovernance startDate");
    });

    it("measures the past against the budget's own time grain", async () => {
        expect(await runStack(budgetPeriod, budget("2026-10-01T00:00:00Z", UNKNOWN, "Quarterly"), today)).toEqual({
            violations: [],
        });
        expect(
            (await runStack(budgetPeriod, budget("2026-09-01T00:00:00Z", UNKNOWN, "Quarterly"), today)).violations,
        ).toHaveLength(1);
        expect(await runStack(budgetPeriod, budget("2026-01-01T00:00:00Z", UNKNOWN, "Annually"), today)).toEqual({
            violations: [],
        });
    });

    it("derives the limits from the day", () => {
        expect(latestBudgetStart("2026-11-27")).toBe("2027-11-01");
        expect(latestBudgetStart("2026-12-31")).toBe("2027-12-01");
        expect(budgetGrainStart("Monthly", "2026-11-27")).toBe("2026-11-01");
        expect(budgetGrainStart("Quarterly", "2026-11-27")).toBe("2026-10-01");
        expect(budgetGrainStart("Quarterly", "2026-03-31")).toBe("2026-01-01");
        expect(budgetGrainStart("Annually", "2026-11-27")).toBe("2026-01-01");
    });

    it("cannot judge a start date unknown in preview: not-evaluated, never a pass", async () => {
        const out = await runStack(budgetPeriod, budget(UNKNOWN), today);
        expect(out.violations).toEqual([]);
        expect(out.notEvaluated).toBeDefined();
    });
});
