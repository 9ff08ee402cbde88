/**
 * The `gateway` block of a stack: required where the profile says, limits never above the profile's, callers that
 * exist, a network wiring that can work, and the effective limits and worst-case spend it resolves to.
 */
import { componentGatewayTier, gatewayDailyCostUsd, gatewayPrivateLink } from "../../catalogue/gateway";
import { catalogueUsdPer1kTokens, gatewayTokenLimits } from "../../catalogue/gateway-limits";
import { totalWorstCaseDailySpend } from "../../catalogue/models";
import { ComplianceProfile, profiles } from "../../catalogue/profiles";
import { stackCostLimits } from "../../catalogue/stack-settings";
import { StackConfigError, validateStackConfig } from "../../infra/config";
import { rawStackConfig, stackNames } from "../support/stacks";

type Raw = Record<string, unknown> & { gateway?: Record<string, unknown> };

function problemsOf(raw: unknown): string[] {
    try {
        validateStackConfig("test", raw);
    } catch (e) {
        if (e instanceof StackConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
        throw e;
    }
    throw new Error("expected the config to be rejected");
}

/** The committed stack that runs the gateway (eu-prod, a production stack of eu-gdpr). */
const gatewayStack = () => stackNames().find((s) => rawStackConfig(s).gateway !== undefined) as string;
const withGateway = (): Raw => structuredClone(rawStackConfig(gatewayStack())) as Raw;
const gateway = (raw: Raw) => raw.gateway as Record<string, unknown>;

describe("gateway config", () => {
    it("is used by the production stacks of at least one profile that requires it, and by every stack whose profile requires it", () => {
        const required = stackNames().filter((s) => {
            const raw = rawStackConfig(s);
            const rule: string = (profiles as Record<string, ComplianceProfile>)[raw.profile as string].gateway
                .requiredFor;
            return rule === "all" || (rule === "production" && raw.environment === "prod");
        });
        expect(required.length).toBeGreaterThan(0);
        for (const s of required) expect(rawStackConfig(s).gateway).toBeDefined();
    });

    it("resolves the effective limits from the profile, the catalogue's prices and the stack's deployments", () => {
        const s = validateStackConfig(gatewayStack(), withGateway());
        const profile = s.resolvedProfile.gateway;
        expect(s.effectiveGateway?.usdLimits).toEqual(profile.limits);
        expect(s.effectiveGateway?.limits).toEqual(
            gatewayTokenLimits(
                profile.limits,
                s.deployments,
                catalogueUsdPer1kTokens(
                    s.deployments.map((d) => d.model),
                    s.prices,
                ),
            ),
        );
        expect(s.effectiveGateway?.dailyCostUsd).toBe(gatewayDailyCostUsd(componentGatewayTier, s.gateway?.units ?? 1));
        // The worst case counts the gateway's units beside the deployments at full capacity.
        expect(s.worstCaseDailySpend).toBe(
            totalWorstCaseDailySpend(s.deployments, s.prices, s.effectiveGateway?.dailyCostUsd),
        );
        expect(s.worstCaseDailySpend).toBeLessThanOrEqual(s.dailySpendLimit);
        expect(stackCostLimits(s)).toMatchObject({
            enforcedBy: "gateway",
            gateway: {
                usd: { perDay: profile.limits.dailyUsd, perMonth: profile.limits.monthlyUsd },
                tokens: { perRequest: profile.limits.perRequestTokens },
            },
        });
    });

    it("admits every application of the stack, each charged to a team named after it, when no caller is listed", () => {
        const raw = withGateway();
        delete gateway(raw).callers;
        const s = validateStackConfig("test", raw);
        expect(s.effectiveGateway?.callers).toEqual(
            s.access.applications.map((a) => ({ application: a.name, team: a.name })),
        );
        expect(s.effectiveGateway?.publisherEmail).toBe(s.budget.contactEmails[0]);
    });

    it("is required for production stacks of a profile that says so, and optional elsewhere", () => {
        const raw = withGateway();
        delete raw.gateway;
        expect(problemsOf(raw)).toEqual([
            `gateway: profile ${raw.profile} requires the governed AI gateway for production stack: expected a gateway block with integrationSubnetId (docs/gateway.md)`,
        ]);
        expect(() => validateStackConfig("test", { ...raw, environment: "nonprod" })).not.toThrow();
        const optional = stackNames()
            .map(rawStackConfig)
            .find((r) => profiles[r.profile as keyof typeof profiles].gateway.requiredFor === "none");
        if (optional) expect(validateStackConfig("test", optional).effectiveGateway).toBeUndefined();
    });

    it("lets a stack only lower the profile's limits", () => {
        const raw = withGateway();
        const p = profiles[raw.profile as keyof typeof profiles].gateway.limits;
        gateway(raw).limits = {
            dailyUsd: p.dailyUsd + 1,
            monthlyUsd: p.monthlyUsd + 1,
            perRequestTokens: p.perRequestTokens + 1,
            perCallerPercent: 100,
        };
        const problems = problemsOf(raw);
        expect(problems).toEqual(
            expect.arrayContaining([
                `gateway.limits.dailyUsd: ${p.dailyUsd + 1} exceeds profile ${raw.profile}'s ${p.dailyUsd}: expected at most that (a stack may only lower the profile's limits)`,
                `gateway.limits.monthlyUsd: ${p.monthlyUsd + 1} exceeds profile ${raw.profile}'s ${p.monthlyUsd}: expected at most that (a stack may only lower the profile's limits)`,
                `gateway.limits.perRequestTokens: ${p.perRequestTokens + 1} exceeds profile ${raw.profile}'s ${p.perRequestTokens}: expected at most that (a stack may only lower the profile's limits)`,
            ]),
        );
    });

    it("refuses limits the gateway could not enforce as stated, with the arithmetic's reason", () => {
        const raw = withGateway();
        gateway(raw).limits = { perCallerPercent: 1 };
        const [problem] = problemsOf(raw);
        expect(problem).toMatch(/^gateway\.limits: perRequestTokens: \d+ is more than a caller's share admits/);
    });

    it("admits only callers that exist, each once, by application or client id", () => {
        const raw = withGateway();
        gateway(raw).callers = [
            { application: "no-such-app", team: "x" },
            { application: "chat-api", clientId: "6b1f0d4e-2c3a-4f5b-9e8d-7a6c5b4e3d21", team: "x" },
            { clientId: "6b1f0d4e-2c3a-4f5b-9e8d-7a6c5b4e3d21", team: "x" },
            { clientId: "6b1f0d4e-2c3a-4f5b-9e8d-7a6c5b4e3d21", team: "y" },
            { application: "chat-api", team: "Bad Team" },
        ];
        const problems = problemsOf(raw);
        expect(problems).toEqual(
            expect.arrayContaining([
                expect.stringMatching(
                    /^gateway\.callers\[0\]\.application: 'no-such-app' is not in access\.applications: expected one of /,
                ),
                "gateway.callers[1]: expected exactly one of application (a name of access.applications) or clientId",
                "gateway.callers[3]: duplicate caller '6b1f0d4e-2c3a-4f5b-9e8d-7a6c5b4e3d21': expected each caller once",
                "gateway.callers[4].team: expected 2-41 lower-case letters, digits or '-', starting with a letter",
            ]),
        );
    });

    it("needs a dedicated integration subnet in the stack's VNet and the hub's API Management zone when hub zones are used", () => {
        const raw = withGateway();
        const network = raw.network as Record<string, string>;
        gateway(raw).integrationSubnetId = network.privateEndpointSubnetId;
        delete gateway(raw).privateDnsZoneId;
        const problems = problemsOf(raw);
        expect(problems).toContain(
            "gateway.integrationSubnetId: is the private endpoint subnet: expected a dedicated subnet delegated to Microsoft.Web/serverFarms (outbound VNet integration takes the subnet for itself)",
        );
        expect(problems).toContain(
            `gateway.privateDnsZoneId: the stack uses hub DNS zones (network.privateDnsZoneIds): expected the hub's ${gatewayPrivateLink.zone} zone id too`,
        );
        const elsewhere = withGateway();
        gateway(elsewhere).integrationSubnetId =
            "/subscriptions/3f2a1c9e-7b4d-4e8a-9c61-2d5e8f0a4b17/resourceGroups/rg-other/providers/Microsoft.Network/virtualNetworks/vnet-other/subnets/apim";
        gateway(elsewhere).privateDnsZoneId =
            "/subscriptions/3f2a1c9e-7b4d-4e8a-9c61-2d5e8f0a4b17/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.openai.azure.com";
        expect(problemsOf(elsewhere)).toEqual([
            "gateway.integrationSubnetId: is not a subnet of network.vnetId, so the gateway could not resolve the accounts' private DNS records: expected <vnetId>/subnets/<name>",
            `gateway.privateDnsZoneId: points to the wrong zone: expected a privateDnsZones id ending in /${gatewayPrivateLink.zone}`,
        ]);
    });

    it("names unknown keys and bad values of the block", () => {
        const raw = withGateway();
        gateway(raw).publicNetworkAccess = "Enabled";
        gateway(raw).units = 11;
        expect(problemsOf(raw)).toEqual(
            expect.arrayContaining([
                "gateway.publicNetworkAccess: unknown key (a typo?): remove it or use a documented key",
                expect.stringMatching(/^gateway\.units: /),
            ]),
        );
    });

    it("counts the gateway's units in the worst-case daily spend check", () => {
        const raw = withGateway();
        const s = validateStackConfig("test", raw);
        (raw.budget as Record<string, unknown>).dailySpendLimit = Math.floor(s.worstCaseDailySpend - 1);
        expect(problemsOf(raw).find((p) => p.startsWith("deployments:"))).toContain(
            `(the AI gateway's ${gatewayDailyCostUsd(componentGatewayTier, 1).toFixed(2)} USD/day included)`,
        );
    });
});
