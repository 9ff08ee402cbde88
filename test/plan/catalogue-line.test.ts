/** The plan's reports say how old the model catalogue behind them is. */
import { modelCatalogueReadOn, pricesAsOf } from "../../catalogue/models";
import { catalogueLine } from "../../plan/report/common";
import { PlanReport } from "../../plan/report/model";
import { renderStackMarkdown } from "../../plan/report/markdown";
import { renderText } from "../../plan/report/text";

const counts = { passed: 0, violated: 0, "not-applicable": 0, "not-evaluated": 0, exempted: 0 };
const stack: PlanReport["stacks"][number] = {
    stack: "demo",
    project: "p",
    profile: null,
    environment: null,
    mode: "preview",
    strict: false,
    source: { kind: "stack-file", file: "stacks/Pulumi.demo.yaml" },
    policyPack: { name: "azure-openai", version: "0.1.0" },
    policyConfig: null,
    resources: [],
    violations: [],
    verdicts: [],
    policies: [],
    counts,
    result: {
        mandatoryViolations: 0,
        advisoryViolations: 0,
        mandatoryNotEvaluated: 0,
        confirmedWithKnownValues: 0,
        failed: false,
    },
    costLimits: null,
};
const report: PlanReport = {
    schemaVersion: 1,
    tool: "test",
    mode: "preview",
    stacks: [stack],
    summary: {
        stacks: 1,
        resources: 0,
        counts,
        mandatoryViolations: 0,
        advisoryViolations: 0,
        mandatoryNotEvaluated: 0,
        confirmedWithKnownValues: 0,
        failedStacks: [],
        exitCode: 0,
    },
};

it("names the day the catalogue was read and the prices' date, in the text and markdown reports", () => {
    expect(catalogueLine()).toContain(`Model catalogue read ${modelCatalogueReadOn}`);
    expect(catalogueLine()).toContain(`prices as of ${pricesAsOf}`);
    expect(renderText(report)).toContain(catalogueLine());
    expect(renderStackMarkdown(stack)).toContain(catalogueLine());
});
