/** JSON report: the report model as is (schema: docs/report.schema.json). Stable key order, two-space indent. */
import { PlanReport } from "./model";

export function renderJson(report: PlanReport): string {
    return `${JSON.stringify(report, null, 2)}\n`;
}
