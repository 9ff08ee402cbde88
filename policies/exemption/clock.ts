/**
 * The exemption register's notion of today. The only clock the pack reads: the UTC date of the run. A policy's
 * `today` config may move the date forward (to see which exemptions a later run will find expired), never back:
 * an earlier date is ignored here and reported by the invalid-exemption policy, so no config and no environment
 * variable brings an expired exemption back.
 */

export const datePattern = "^\\d{4}-\\d{2}-\\d{2}$";

/** `YYYY-MM-DD` of a moment, in UTC (whatever the process's time zone). */
export const utcDate = (moment: Date): string => moment.toISOString().slice(0, 10);

/** The UTC date the pack process started: the default of every `today` config. */
export const runDate = utcDate(new Date());

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return utcDate(d);
}

/** The date exemptions are judged against: the configured `today`, but never earlier than the current UTC date. */
export function effectiveToday(configured: string | undefined): string {
    const now = utcDate(new Date());
    return configured !== undefined && configured > now ? configured : now;
}

/** Whether a configured `today` tries to wind the clock back (before the date the run started). */
export const windsClockBack = (configured: string | undefined): boolean =>
    configured !== undefined && configured < runDate;

/** The `today` property every policy that judges exemptions carries in its config schema. */
export const todayProperty = {
    type: "string",
    pattern: datePattern,
    description:
        "The date (UTC, YYYY-MM-DD) exemptions are judged against. Default: the date the run started. A later date shows what will expire; an earlier one is ignored and reported.",
    default: runDate,
} as const;
