/** JSON report: the report model as is (schema: docs/report.schema.json), compact, in stable key order. */
import { PlanReport } from "./model";

export function renderJson(report: PlanReport): string {
    return `${JSON.stringify(report)}\n`;
}
