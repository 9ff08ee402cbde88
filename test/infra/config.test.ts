import { StackConfigError, validateStackConfig, projectConfigFromFlat } from "../../infra/config";
import { flatConfig, rawStackConfig, stackNames } from "../support/stacks";
import { componentGatewayTier, gatewayDailyCostUsd } from "../../catalogue/gateway";

/** The problems a config is rejected with, as "path: message" lines. */
function problemsOf(raw: unknown): string[] {
    try {
        validateStackConfig("test", raw);
    } catch (e) {
        if (e instanceof StackConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
        throw e;
    }
    throw new Error("expected the config to be rejected");
}

function euProd(): Record<string, unknown> {
    return structuredClone(rawStackConfig("eu-prod"));
}

describe("stack config validation", () => {
    it("finds the four stacks of the issue", () => {
        expect(stackNames()).toEqual(expect.arrayContaining(["eu-prod", "eu-dev", "us-prod", "au-prod"]));
    });

    it.each(stackNames())("accepts the committed stack %s and resolves its profile", (stack) => {
        const settings = validateStackConfig(stack, rawStackConfig(stack));
        expect(settings.resolvedProfile.id).toBe(settings.profile);
        expect(settings.resolvedProfile.allowedRegions).toContain(settings.location);
        expect(settings.worstCaseDailySpend).toBeLessThanOrEqual(settings.dailySpendLimit);
        expect(settings.allTags["compliance-profile"]).toBe(settings.profile);
        expect(settings.protect).toBe(settings.environment === "prod");
    });

    it("resolves defaults from the profile", () => {
        const au = validateStackConfig("au-prod", rawStackConfig("au-prod"));
        expect(au.retention).toEqual({ interactiveDays: 365, totalDays: 2557 });
        expect(au.customerManagedKeyEnabled).toBe(true);
        expect(au.monthlyBudget).toBe(3000);
        expect(au.deployments.every((d) => d.versionUpgradeOption === "NoAutoUpgrade")).toBe(true);
        const eu = validateStackConfig("eu-prod", rawStackConfig("eu-prod"));
        expect(eu.customerManagedKeyEnabled).toBe(false);
        expect(eu.contentFilter).toEqual({
            blockingThreshold: "Medium",
            dlpPatterns: ["creditCard", "email", "phone", "apiKey"],
        });
    });

    it("round-trips through Pulumi's flat config map", () => {
        const raw = rawStackConfig("us-prod");
        expect(projectConfigFromFlat(flatConfig(raw))).toEqual(raw);
    });

    it("rejects a region unknown to the profile and lists the allowed ones", () => {
        const raw = { ...euProd(), location: "eastus" };
        expect(problemsOf(raw)).toEqual([
            "location: 'eastus' is not allowed by profile eu-gdpr: expected one of westeurope, swedencentral, francecentral, germanywestcentral, italynorth, polandcentral, spaincentral",
        ]);
    });

    it("rejects a malformed region name", () => {
        expect(problemsOf({ ...euProd(), location: "West Europe" })).toContain(
            "location: expected an Azure region name such as westeurope",
        );
    });

    it("rejects a Global SKU under eu-gdpr", () => {
        const raw = euProd();
        (raw.deployments as { sku: string }[])[0].sku = "GlobalStandard";
        expect(problemsOf(raw)).toEqual([
            "deployments[0].sku: 'GlobalStandard' processes prompts in any Azure region and is not allowed by profile eu-gdpr: expected one of Standard, ProvisionedManaged, DataZoneStandard, DataZoneProvisionedManaged",
        ]);
    });

    it("rejects an unknown key (a typo) by its path", () => {
        const raw: Record<string, unknown> = { ...euProd(), deploymnets: [] };
        (raw.budget as Record<string, unknown>).contactEmail = "x@contoso.com";
        expect(problemsOf(raw)).toEqual([
            "budget.contactEmail: unknown key (a typo?): remove it or use a documented key",
            "deploymnets: unknown key (a typo?): remove it or use a documented key",
        ]);
    });

    it("rejects a wrong type", () => {
        const raw = euProd();
        (raw.deployments as { capacity: unknown }[])[1].capacity = "50";
        expect(problemsOf(raw)).toEqual(["deployments[1].capacity: expected number, received string"]);
    });

    it("rejects a missing required value", () => {
        const raw = euProd();
        delete raw.network;
        delete raw.environment;
        expect(problemsOf(raw)).toEqual([
            'environment: missing required value: expected one of "prod"|"nonprod"',
            "network: missing required value: expected object",
        ]);
    });

    it("lists every problem at once", () => {
        const raw: Record<string, unknown> = { ...euProd(), location: "eastus", extra: 1 };
        (raw.deployments as { sku: string }[])[0].sku = "GlobalStandard";
        (raw.budget as { contactEmails: string[] }).contactEmails = ["not-an-email"];
        const problems = problemsOf(raw);
        expect(problems.map((p) => p.split(":")[0]).sort()).toEqual([
            "budget.contactEmails[0]",
            "deployments[0].sku",
            "extra",
            "location",
        ]);
        expect(() => validateStackConfig("eu-prod", raw)).toThrow(
            /Invalid configuration for stack 'eu-prod' \(4 problems\)/,
        );
    });

    it("rejects deployments whose worst-case daily spend exceeds the limit", () => {
        const raw = euProd();
        (raw.deployments as { capacity: number }[])[0].capacity = 100;
        // eu-prod runs the AI gateway: its units' daily price counts in the worst case too.
        const gateway = gatewayDailyCostUsd(componentGatewayTier, 1);
        expect(problemsOf(raw)).toEqual([
            `deployments: worst-case daily spend at full capacity is ${(1530.72 + gateway).toFixed(2)} USD (the AI gateway's ${gateway.toFixed(2)} USD/day included), over the daily limit of 250 USD: lower deployments[].capacity (budget.dailySpendLimit is already profile eu-gdpr's maximum; only the profile's owner can raise it, in catalogue/profiles.ts)`,
        ]);
    });

    it("rejects a persona granted to a user principal name", () => {
        const raw = euProd();
        (raw.access as { developers: Record<string, unknown> }).developers = {
            groupDisplayNames: ["jane.doe@contoso.com"],
        };
        expect(problemsOf(raw)).toEqual([
            "access.developers.groupDisplayNames[0]: 'jane.doe@contoso.com' looks like a user principal name: roles are granted to Entra ID groups only, expected a group display name",
        ]);
    });

    it("requires the hub's Azure Monitor Private Link Scope where the profile requires private monitoring and the stack uses hub zones", () => {
        const us = structuredClone(rawStackConfig("us-prod")) as Record<string, Record<string, unknown>>;
        delete us.network.azureMonitorPrivateLinkScopeId;
        expect(problemsOf(us)).toEqual([
            "network.azureMonitorPrivateLinkScopeId: profile us-hipaa requires private access to the audit workspace and the stack uses hub DNS zones: expected the hub's Azure Monitor Private Link Scope id",
        ]);
        // Stack-created zones: the stack creates its own AMPLS; eu-gdpr does not require one.
        expect(() => validateStackConfig("au-prod", rawStackConfig("au-prod"))).not.toThrow();
        expect(() => validateStackConfig("eu-prod", rawStackConfig("eu-prod"))).not.toThrow();
        (us.network as Record<string, unknown>).azureMonitorPrivateLinkScopeId =
            "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z";
        expect(problemsOf(us)[0]).toMatch(
            /^network\.azureMonitorPrivateLinkScopeId: expected a resource id of type Microsoft\.Insights\/privateLinkScopes/,
        );
    });

    it("rejects retention below the profile and CMK switched off where required", () => {
        const raw = {
            ...structuredClone(rawStackConfig("us-prod")),
            logging: { interactiveRetentionDays: 30, totalRetentionDays: 365 },
            customerManagedKey: false,
        };
        expect(problemsOf(raw)).toEqual([
            "logging.interactiveRetentionDays: 30 days is below profile us-hipaa's minimum: expected at least 365",
            "logging.totalRetentionDays: 365 days is below profile us-hipaa's minimum: expected at least 2192",
            "customerManagedKey: profile us-hipaa requires customer-managed key encryption: expected true or no value",
        ]);
    });

    it("refuses a model version past its retirement, naming the date and a current replacement", () => {
        const raw = euProd();
        Object.assign((raw.deployments as Record<string, unknown>[])[0], { model: "gpt-4o", version: "2024-11-20" });
        const problems = problemsOfOn(raw, "2026-11-27");
        expect(problems).toEqual([
            expect.stringMatching(
                /^deployments\[0\]\.version: gpt-4o 2024-11-20 retired on 2026-10-01 \(57 days ago; Azure answers every call to a retired model with an error, https:\/\/learn\.microsoft\.com\/azure\/ai-foundry\/openai\/concepts\/model-retirements\): expected a current model, e\.g\. gpt-5\.1 2025-11-13$/,
            ),
        ]);
        // The day before its retirement it is still valid (the advisory pack rule warns by then).
        expect(() => validateStackConfig("eu-prod", raw, { today: "2026-09-30" })).not.toThrow();
    });

    it("follows the replacement chain to a model that has not retired", () => {
        const raw = structuredClone(rawStackConfig("us-prod"));
        Object.assign((raw.deployments as Record<string, unknown>[])[0], {
            model: "gpt-4o-mini",
            version: "2024-07-18",
            sku: "DataZoneStandard",
        });
        // The docs name gpt-4.1-mini, itself retired on 2026-10-14: the next current one is gpt-5-mini.
        expect(problemsOfOn(raw, "2026-11-27")[0]).toMatch(
            /retired on 2026-10-01 .*: expected a current model, e\.g\. gpt-5-mini 2025-08-07$/,
        );
    });

    it("refuses a SKU that does not offer the model in the stack's region, naming the SKUs that do", () => {
        const raw = euProd();
        // francecentral offers gpt-5.1 as DataZoneStandard only (Azure's availability tables, catalogue/model-catalogue.ts).
        (raw.deployments as Record<string, unknown>[])[0].sku = "Standard";
        expect(problemsOf(raw)).toEqual([
            "deployments[0].sku: gpt-5.1 2025-11-13 is not offered as Standard in francecentral (Azure's availability tables, read 2026-11-27): expected one of DataZoneStandard",
        ]);
    });

    it("refuses a budget start more than twelve months ahead, and accepts none (the month of the first deployment)", () => {
        const raw = euProd();
        (raw.budget as Record<string, unknown>).startDate = "2027-12-01";
        expect(problemsOfOn(raw, "2026-11-27")).toEqual([
            "budget.startDate: '2027-12-01' is more than twelve months ahead (Azure refuses it): expected 2027-11-01 or earlier, or no value (the first of the month of the first deployment)",
        ]);
        (raw.budget as Record<string, unknown>).startDate = "2027-11-01";
        expect(() => validateStackConfig("eu-prod", raw, { today: "2026-11-27" })).not.toThrow();
        (raw.budget as Record<string, unknown>).startDate = "2027-11-15";
        expect(problemsOf(raw)).toEqual(["budget.startDate: expected the first of a month, YYYY-MM-01"]);
    });

    it("takes the customer-managed key's rollout phase and the deletion lock mode, defaulting to the secure values", () => {
        const us = validateStackConfig("us-prod", rawStackConfig("us-prod"));
        expect(us.customerManagedKeyPhase).toBe("encrypt");
        expect(us.deletionLocks).toBe("enforced");
        const granting = validateStackConfig("us-prod", {
            ...structuredClone(rawStackConfig("us-prod")),
            customerManagedKey: { phase: "grant" },
            deletionLocks: "suspended",
        });
        expect(granting).toMatchObject({
            customerManagedKeyEnabled: true,
            customerManagedKeyPhase: "grant",
            deletionLocks: "suspended",
        });
        expect(
            problemsOf({
                ...structuredClone(rawStackConfig("us-prod")),
                customerManagedKey: { enabled: false, phase: "grant" },
            }),
        ).toContain(
            "customerManagedKey: profile us-hipaa requires customer-managed key encryption: expected true or no value",
        );
        expect(problemsOf({ ...euProd(), customerManagedKey: { phase: "grant" } })).toEqual([
            "customerManagedKey.phase: is set but profile eu-gdpr does not require a customer-managed key and customerManagedKey.enabled is not true: expected enabled: true with the phase, or no phase",
        ]);
        expect(
            validateStackConfig("eu-prod", { ...euProd(), customerManagedKey: { enabled: true, phase: "grant" } })
                .customerManagedKeyEnabled,
        ).toBe(true);
        expect(problemsOf({ ...euProd(), deletionLocks: "off" })[0]).toMatch(/^deletionLocks: /);
    });

    it("defaults the outbound allow-list to empty: outbound restricted with no host allowed", () => {
        const raw = structuredClone(rawStackConfig("us-prod")) as { network: Record<string, unknown> };
        delete raw.network.allowedOutboundFqdns;
        expect(validateStackConfig("us-prod", raw).network.allowedOutboundFqdns).toEqual([]);
    });
});

function problemsOfOn(raw: unknown, today: string): string[] {
    try {
        validateStackConfig("test", raw, { today });
    } catch (e) {
        if (e instanceof StackConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
        throw e;
    }
    throw new Error("expected the config to be rejected");
}
