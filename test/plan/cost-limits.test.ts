/**
 * The cost limits section of the plan's report: the JSON schema accepts it, text and markdown show a stack's USD and
 * token limits per day, month, request and minute, and say when only budgets (alerts) bound the spend.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { stackCostLimits } from "../../catalogue/stack-settings";
import { validateStackConfig } from "../../infra/config";
import { PlanReport, StackReport } from "../../plan/report/model";
import { renderJson } from "../../plan/report/json";
import { renderStackMarkdown } from "../../plan/report/markdown";
import { renderText } from "../../plan/report/text";
import { summarize } from "../../plan/planner";
import { emptyCounts } from "../../plan/verdicts";
import { rawStackConfig, stackNames } from "../support/stacks";

const withGateway = stackNames().find((s) => rawStackConfig(s).gateway !== undefined) as string;
const withoutGateway = stackNames().find((s) => rawStackConfig(s).gateway === undefined) as string;

function stackReport(stack: string): StackReport {
    const settings = validateStackConfig(stack, rawStackConfig(stack));
    return {
        stack,
        project: "azure-openai-landing-zone",
        profile: settings.profile,
        environment: settings.environment,
        mode: "preview",
        strict: false,
        source: { kind: "stack-file", file: `stacks/Pulumi.${stack}.yaml` },
        policyPack: { name: "azure-openai", version: "0.1.0" },
        policyConfig: null,
        resources: [],
        violations: [],
        verdicts: [],
        policies: [],
        counts: emptyCounts(),
        result: {
            mandatoryViolations: 0,
            advisoryViolations: 0,
            mandatoryNotEvaluated: 0,
            confirmedWithKnownValues: 0,
            failed: false,
        },
        costLimits: stackCostLimits(settings),
    };
}

const report: PlanReport = summarize([stackReport(withGateway), stackReport(withoutGateway)], true);
const n = (v: number) => v.toLocaleString("en-US");

describe("cost limits in the plan's report", () => {
    it("validates against docs/report.schema.json, with and without a gateway", () => {
        const validate = new Ajv({ allErrors: true, strict: true }).compile(
            JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "docs", "report.schema.json"), "utf8")),
        );
        const ok = validate(JSON.parse(renderJson(report)));
        expect(validate.errors ?? []).toEqual([]);
        expect(ok).toBe(true);
    });

    it("shows the gateway's USD and token limits per day, month, request and minute, each caller's share, and the budget", () => {
        const limits = report.stacks[0].costLimits!;
        const g = limits.gateway!;
        const text = renderText(report);
        expect(text).toContain(
            `Cost limits (enforced by the gateway; tokens priced at ${g.pricedAt.model}, ${g.pricedAt.usdPer1kTokens} USD/1k tokens):`,
        );
        expect(text).toContain(`USD: ${n(g.usd.perDay)} per day, ${n(g.usd.perMonth)} per month`);
        expect(text).toContain(
            `tokens, stack: ${n(g.tokens.perDay)} per day, ${n(g.tokens.perMonth)} per month, ${n(g.tokens.perRequest)} per request, ${n(g.tokens.perMinute)} per minute`,
        );
        expect(text).toContain(`tokens, each caller (${g.perCaller.percent} %): ${n(g.perCaller.perDay)} per day`);
        expect(text).toContain(
            `worst case at full capacity ${limits.budget.worstCaseDailySpendUsd.toFixed(2)} of ${n(limits.budget.dailySpendLimitUsd)} USD/day, the gateway's own ${g.dailyCostUsd.toFixed(2)} USD/day included`,
        );
        const md = renderStackMarkdown(report.stacks[0]);
        expect(md).toContain("|  | per day | per month | per request | per minute |");
        expect(md).toContain(
            `| tokens, stack | ${n(g.tokens.perDay)} | ${n(g.tokens.perMonth)} | ${n(g.tokens.perRequest)} | ${n(g.tokens.perMinute)} |`,
        );
    });

    it("says when nothing refuses a request and only budgets alert", () => {
        expect(report.stacks[1].costLimits).toMatchObject({ enforcedBy: "budget-alerts-only", gateway: null });
        expect(renderText(report)).toContain(
            "Cost limits (no gateway: nothing refuses a request; budgets alert only):",
        );
        expect(renderStackMarkdown(report.stacks[1])).toContain(
            "#### Cost limits (no gateway: nothing refuses a request; budgets alert only)",
        );
    });
});
