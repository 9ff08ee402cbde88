/**
 * The start dates Azure accepts for a consumption budget (docs/azure-constraints.md, "Budget start date"): the first
 * of a month, on or after 2017-06-01, at most twelve months ahead, and, when the budget is created, not before the
 * current time grain period. One implementation for the component's default, config validation and the pack.
 */

/** Azure's earliest accepted budget start. */
export const earliestBudgetStart = "2017-06-01";

/** The first of the month of `now`, in UTC: the start a new budget always may take. */
export function firstOfMonthUtc(now: Date = new Date()): string {
    return `${now.toISOString().slice(0, 7)}-01`;
}

/** Twelve months after the first of `today`'s month (YYYY-MM-DD): the latest start Azure accepts. */
export function latestBudgetStart(today: string): string {
    const [y, m] = today.split("-").map(Number);
    return `${y + 1}-${String(m).padStart(2, "0")}-01`;
}

/** The first day of the time grain period that contains `today` (calendar month, quarter or year). */
export function budgetGrainStart(timeGrain: string, today: string): string {
    const [y, m] = today.split("-").map(Number);
    const grain = timeGrain.toLowerCase();
    if (grain === "quarterly" || grain === "billingquarter")
        return `${y}-${String(m - ((m - 1) % 3)).padStart(2, "0")}-01`;
    if (grain === "annually" || grain === "billingannual") return `${y}-01-01`;
    return `${y}-${String(m).padStart(2, "0")}-01`;
}
