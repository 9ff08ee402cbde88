import { ProgramRun, runProgram, unknownSentinel } from "../../plan/mock-runtime";
import { types } from "../../catalogue/azure";
import { totalWorstCaseDailySpend } from "../../catalogue/models";
import {
    budgetNotifications,
    budgetStartDatePath,
    CostGovernanceArgs,
    emailReceiverName,
    firstOfMonthUtc,
    validateCostGovernanceArgs,
} from "../../components/cost-governance";
import { ofType } from "../support/resources";

const rgId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-contoso-x-openai";
const existingGroup =
    "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-mon/providers/Microsoft.Insights/actionGroups/ag-oncall";
const deployments = [
    { model: "gpt-5.1", sku: "DataZoneStandard", capacity: 10 },
    { model: "text-embedding-3-large", sku: "Standard", capacity: 100 },
];

function args(overrides: Partial<CostGovernanceArgs> = {}): CostGovernanceArgs {
    return {
        resourceGroupName: "rg-contoso-x-openai",
        resourceGroupId: rgId,
        tags: { owner: "team" },
        namePrefix: "contoso-x",
        monthlyAmount: 5000,
        actualThresholds: [50, 80, 100],
        forecastedThresholds: [100],
        contactEmails: ["finops@contoso.com", "ai-platform@contoso.com"],
        deployments,
        dailySpendLimitUsd: 250,
        ...overrides,
    };
}

async function run(a: CostGovernanceArgs, preview = false): Promise<ProgramRun> {
    return runProgram({
        project: "p",
        stack: "s",
        config: {},
        preview,
        program: async () => {
            const { CostGovernance } = await import("../../components/cost-governance");
            const cost = new CostGovernance("cost", a);
            return {
                actionGroupId: cost.actionGroupId,
                worstCaseDailySpendUsd: cost.worstCaseDailySpendUsd,
                budgetId: cost.budgetId,
            };
        },
    });
}

type Notification = {
    enabled: boolean;
    operator: string;
    threshold: number;
    thresholdType: string;
    contactEmails: string[];
    contactGroups: string[];
};

describe("CostGovernance", () => {
    let created: ProgramRun;
    let existing: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        created = await run(args());
        existing = await run(args({ actionGroupId: existingGroup }));
        preview = await run(args(), true);
    });

    it("creates a monthly budget on the resource group starting on the first of the month it is created in, kept on later updates", () => {
        const [budget] = ofType(created, types.budget);
        expect(ofType(created, types.budget)).toHaveLength(1);
        expect(budget.inputs).toMatchObject({
            scope: rgId,
            amount: 5000,
            timeGrain: "Monthly",
            category: "Cost",
            budgetName: "budget-contoso-x-openai",
            timePeriod: { startDate: `${firstOfMonthUtc()}T00:00:00Z` },
        });
        // Later updates keep the start the budget was created with instead of moving it every month.
        expect(budget.ignoreChanges).toEqual([budgetStartDatePath]);
        expect(budgetStartDatePath).toBe("timePeriod.startDate");
    });

    it("takes an explicit start date as given, and then applies changes to it", async () => {
        const r = await run(args({ startDate: "2027-03-01" }));
        const [budget] = ofType(r, types.budget);
        expect(budget.inputs.timePeriod).toEqual({ startDate: "2027-03-01T00:00:00Z" });
        expect(budget.ignoreChanges).toEqual([]);
    });

    it("derives the default start from the UTC month", () => {
        expect(firstOfMonthUtc(new Date("2027-01-31T23:30:00Z"))).toBe("2027-01-01");
        expect(firstOfMonthUtc(new Date("2026-12-01T00:00:00Z"))).toBe("2026-12-01");
    });

    it("notifies at actual 50/80/100 % and forecasted 100 %, to the emails and the created action group", () => {
        const [budget] = ofType(created, types.budget);
        const [group] = ofType(created, types.actionGroup);
        const notifications = budget.inputs.notifications as Record<string, Notification>;
        expect(Object.keys(notifications).sort()).toEqual(["actual-100", "actual-50", "actual-80", "forecasted-100"]);
        expect(notifications["forecasted-100"]).toMatchObject({
            enabled: true,
            operator: "GreaterThanOrEqualTo",
            threshold: 100,
            thresholdType: "Forecasted",
        });
        for (const n of Object.values(notifications)) {
            expect(n.contactEmails).toEqual(["finops@contoso.com", "ai-platform@contoso.com"]);
            expect(n.contactGroups).toEqual([group.id]);
        }
        expect(group.inputs).toMatchObject({
            location: "Global",
            enabled: true,
            groupShortName: "contoso-x",
            actionGroupName: "ag-contoso-x-openai",
        });
        expect((group.inputs.emailReceivers as { emailAddress: string }[]).map((e) => e.emailAddress)).toEqual([
            "finops@contoso.com",
            "ai-platform@contoso.com",
        ]);
        expect(budget.dependencies).toContain(group.urn);
        expect(created.outputs.actionGroupId).toBe(group.id);
    });

    it("uses an existing action group instead of creating one", () => {
        expect(ofType(existing, types.actionGroup)).toHaveLength(0);
        const notifications = ofType(existing, types.budget)[0].inputs.notifications as Record<string, Notification>;
        for (const n of Object.values(notifications)) expect(n.contactGroups).toEqual([existingGroup]);
        expect(existing.outputs.actionGroupId).toBe(existingGroup);
    });

    it("outputs the worst-case daily spend of the deployments", () => {
        expect(created.outputs.worstCaseDailySpendUsd).toBe(totalWorstCaseDailySpend(deployments));
        expect(created.outputs.worstCaseDailySpendUsd).toBeCloseTo(10 * 1440 * 0.01 + 100 * 1440 * 0.00013, 2);
    });

    it("parents children to the component", () => {
        const component = created.resources.find((r) => r.type === "azure-openai-lz:cost:CostGovernance")!;
        for (const r of created.resources.filter((x) => x.custom)) expect(r.parent).toBe(component.urn);
    });

    it("in preview, notifications wait for the new action group's id", () => {
        const notifications = ofType(preview, types.budget)[0].inputs.notifications as Record<string, Notification>;
        for (const n of Object.values(notifications)) expect(n.contactGroups).toEqual([unknownSentinel]);
        // run.outputs is empty in preview once any export is unknown; the stack's registered outputs keep each value.
        const stackOutputs = preview.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.outputs!;
        expect(stackOutputs).toMatchObject({
            worstCaseDailySpendUsd: totalWorstCaseDailySpend(deployments),
            actionGroupId: unknownSentinel,
        });
    });
});

describe("validateCostGovernanceArgs", () => {
    it.each([
        [
            { deployments: [{ model: "gpt-5.1", sku: "Standard", capacity: 100 }] },
            /deployments: worst-case daily spend at full capacity is 1440\.00 USD, over dailySpendLimitUsd 250/,
        ],
        [
            { deployments: [{ model: "unpriced", sku: "Standard", capacity: 1 }] },
            /deployments: No price for model 'unpriced'/,
        ],
        [{ startDate: "2026-12-15" }, /startDate: '2026-12-15' expected the first of a month/],
        [{ startDate: "2016-01-01" }, /startDate: '2016-01-01' expected/],
        [{ actualThresholds: [50, 80, 100, 120, 150] }, /6 notifications, expected 1 to 5/],
        [{ actualThresholds: [0] }, /actualThresholds\[0\]: 0 expected a percentage/],
        [{ forecastedThresholds: [100, 100] }, /forecastedThresholds: duplicate thresholds/],
        [{ contactEmails: [] }, /contactEmails: expected at least one email address/],
        [{ contactEmails: ["not-an-email"] }, /contactEmails\[0\]: 'not-an-email' expected an email address/],
        [
            { actionGroupId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/virtualNetworks/z" },
            /actionGroupId: .* expected a resource id of type Microsoft\.Insights\/actionGroups/,
        ],
        [{ monthlyAmount: 0 }, /monthlyAmount: 0 expected a positive amount/],
    ])("rejects %j naming the argument", (bad, message) => {
        expect(() => validateCostGovernanceArgs({ ...args(), ...bad })).toThrow(message);
    });

    it("honours price overrides and provisioned capacity", () => {
        expect(
            validateCostGovernanceArgs(
                args({
                    deployments: [{ model: "gpt-4o", sku: "Standard", capacity: 100 }],
                    prices: { "gpt-4o": 0.001 },
                }),
            ),
        ).toBeCloseTo(144, 2);
        expect(
            validateCostGovernanceArgs(
                args({ deployments: [{ model: "gpt-4o", sku: "ProvisionedManaged", capacity: 2 }] }),
            ),
        ).toBe(96);
    });
});

describe("helpers", () => {
    it("budgetNotifications keys by type and threshold", () => {
        expect(
            Object.keys(
                budgetNotifications(
                    { actualThresholds: [90], forecastedThresholds: [110], contactEmails: ["a@b.co"] },
                    existingGroup,
                ),
            ),
        ).toEqual(["actual-90", "forecasted-110"]);
    });

    it("emailReceiverName is stable, distinct per address and free of '@'", () => {
        expect(emailReceiverName("finops@contoso.com")).toBe(emailReceiverName("finops@contoso.com"));
        expect(emailReceiverName("finops@contoso.com")).not.toBe(emailReceiverName("finops@fabrikam.com"));
        expect(emailReceiverName("first.last@contoso.com")).toMatch(/^first-last-[0-9a-f]{4}$/);
    });
});
