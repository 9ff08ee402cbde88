/**
 * The committed stack(s) with the AI gateway, planned through the built program under mocks, in an update and in a
 * preview: no API key anywhere, the token limits, quotas and per-request cap in the policy with the values its profile
 * and the model catalogue give, and backends only on accounts in the profile's regions.
 */
import type { PlannedResource, ProgramRun } from "../../plan/mock-runtime";
import { builtInRoles, types } from "../../catalogue/azure";
import { cognitiveServicesResource, gatewayTypes, perRequestCapConvention } from "../../catalogue/gateway";
import { catalogueUsdPer1kTokens, gatewayTokenLimits } from "../../catalogue/gateway-limits";
import { StackSettings, validateStackConfig } from "../../infra/config";
import { descendants, parsePolicy, PolicyElement, section } from "../../policies/gateway-xml";
import { rawStackConfig, stackNames } from "../support/stacks";
import { ofType, one } from "../support/resources";
import { assertBuilt, runStack } from "../support/dist";

const gatewayStacks = stackNames().filter((s) => rawStackConfig(s).gateway !== undefined);
/** Property names that would hold a key, a connection secret or a subscription key. */
const keyProperty =
    /^(api-?key|primaryKey|secondaryKey|instrumentationKey|subscriptionKey|key1|key2|accessKey|sharedAccessKey)$/i;

beforeAll(() => assertBuilt());

function keyPaths(value: unknown, path = ""): string[] {
    if (Array.isArray(value)) return value.flatMap((v, i) => keyPaths(v, `${path}[${i}]`));
    if (typeof value !== "object" || value === null) return [];
    return Object.entries(value).flatMap(([k, v]) => [
        ...(keyProperty.test(k) ? [`${path}.${k}`] : []),
        ...keyPaths(v, `${path}.${k}`),
    ]);
}

it("at least one committed stack runs the gateway", () => {
    expect(gatewayStacks.length).toBeGreaterThan(0);
});

describe.each(gatewayStacks)("stack %s with the AI gateway", (stack) => {
    let settings: StackSettings;
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        settings = validateStackConfig(stack, rawStackConfig(stack));
        applied = await runStack(stack, rawStackConfig(stack), false);
        preview = await runStack(stack, rawStackConfig(stack), true);
    });
    const policy = (r: ProgramRun) => parsePolicy(one(r, gatewayTypes.apiPolicy).inputs.value as string);

    it("holds no API key anywhere: no subscription, no key property, keyless account, metrics and named values, no key in the outputs", () => {
        for (const r of [applied, preview]) {
            expect(ofType(r, gatewayTypes.subscription)).toEqual([]);
            for (const res of r.resources)
                expect({ resource: res.name, keys: keyPaths(res.inputs) }).toEqual({ resource: res.name, keys: [] });
            expect(keyPaths(r.outputs)).toEqual([]);
            expect(ofType(r, gatewayTypes.api).map((a) => a.inputs.subscriptionRequired)).toEqual([false]);
            for (const nv of ofType(r, gatewayTypes.namedValue)) expect(nv.inputs.secret).toBe(false);
            expect(one(r, gatewayTypes.appInsights).inputs.disableLocalAuth).toBe(true);
            expect((one(r, types.account).inputs.properties as { disableLocalAuth: boolean }).disableLocalAuth).toBe(
                true,
            );
        }
        // The only mention of an api-key in the policy deletes what a caller might send.
        const keyHeaders = descendants(section(policy(applied), "inbound")).filter(
            (e) => e.name === "set-header" && /api-key/i.test(e.attributes.name ?? ""),
        );
        expect(keyHeaders.map((h) => h.attributes["exists-action"])).toEqual(["delete"]);
    });

    it("is private: public network access disabled, a private endpoint in the stack's subnet, the private-endpoint guard in the policy", () => {
        const service = one(applied, gatewayTypes.service);
        expect(service.inputs).toMatchObject({
            publicNetworkAccess: "Disabled",
            virtualNetworkType: "External",
            virtualNetworkConfiguration: { subnetResourceId: settings.gateway?.integrationSubnetId },
            location: settings.location,
        });
        const pe = ofType(applied, types.privateEndpoint).find(
            (p) =>
                (p.inputs.privateLinkServiceConnections as { privateLinkServiceId: string }[])[0]
                    .privateLinkServiceId === service.id,
        );
        expect(pe?.inputs.subnet).toMatchObject({ id: settings.network.privateEndpointSubnetId });
        expect(
            descendants(section(policy(applied), "inbound")).some(
                (e) => e.attributes.condition === "@(context.Request.PrivateEndpointConnection == null)",
            ),
        ).toBe(true);
    });

    it("enforces token limits, quotas and the per-request cap with the values its profile and the catalogue's prices give", () => {
        const profile = settings.resolvedProfile.gateway.limits;
        const usd = {
            ...profile,
            ...Object.fromEntries(Object.entries(settings.gateway?.limits ?? {}).filter(([, v]) => v !== undefined)),
        };
        const expected = gatewayTokenLimits(
            usd,
            settings.deployments,
            catalogueUsdPer1kTokens(
                settings.deployments.map((d) => d.model),
                settings.prices,
            ),
        );
        for (const r of [applied, preview]) {
            const inbound = section(policy(r), "inbound");
            const limiter = (id: string): PolicyElement["attributes"] =>
                inbound.find((e) => e.name === "llm-token-limit" && e.attributes.id === id)?.attributes ?? {};
            expect(limiter("stack-tokens-per-minute")["tokens-per-minute"]).toBe(String(expected.tokens.perMinute));
            expect(limiter("stack-daily-token-quota")).toMatchObject({
                "token-quota": String(expected.tokens.daily),
                "token-quota-period": "Daily",
            });
            expect(limiter("stack-monthly-token-quota")).toMatchObject({
                "token-quota": String(expected.tokens.monthly),
                "token-quota-period": "Monthly",
            });
            expect(limiter("caller-daily-token-quota")).toMatchObject({
                "token-quota": String(expected.perCaller.daily),
                "token-quota-period": "Daily",
            });
            expect(limiter("caller-monthly-token-quota")).toMatchObject({
                "token-quota": String(expected.perCaller.monthly),
                "token-quota-period": "Monthly",
            });
            expect(limiter("caller-tokens-per-minute")["tokens-per-minute"]).toBe(String(expected.perCaller.perMinute));
            expect(
                inbound.find((e) => e.name === "set-variable" && e.attributes.name === perRequestCapConvention.variable)
                    ?.attributes.value,
            ).toBe(`@(${profile.perRequestTokens})`);
            // The quotas never buy more than the USD limits at the dearest deployed model's price.
            expect((expected.tokens.daily * expected.pricedAt.usdPer1kTokens) / 1000).toBeLessThanOrEqual(usd.dailyUsd);
            expect((expected.tokens.monthly * expected.pricedAt.usdPer1kTokens) / 1000).toBeLessThanOrEqual(
                usd.monthlyUsd,
            );
        }
        expect(one(preview, gatewayTypes.apiPolicy).inputs.value).toBe(
            one(applied, gatewayTypes.apiPolicy).inputs.value,
        );
    });

    it("forwards only to the stack's accounts, all in the profile's regions, with the gateway's own identity", () => {
        const accounts = ofType(applied, types.account);
        const hostOf = (a: PlannedResource) =>
            `https://${(a.inputs.properties as { customSubDomainName: string }).customSubDomainName}.openai.azure.com/openai`;
        for (const b of ofType(applied, gatewayTypes.backend).filter((x) => x.inputs.type !== "Pool")) {
            const account = accounts.find((a) => hostOf(a) === b.inputs.url);
            expect(account).toBeDefined();
            expect(settings.resolvedProfile.allowedRegions).toContain(account?.inputs.location);
        }
        const principal = (one(applied, gatewayTypes.service).inputs.identity as { type: string }).type;
        expect(principal).toBe("SystemAssigned");
        expect(
            section(policy(applied), "inbound").find((e) => e.name === "authentication-managed-identity")?.attributes
                .resource,
        ).toBe(cognitiveServicesResource);
        // Only the gateway's identity is a service principal with OpenAI User on the account: applications go through it.
        const userGrants = ofType(applied, types.roleAssignment).filter(
            (r) =>
                String(r.inputs.roleDefinitionId).endsWith(builtInRoles.cognitiveServicesOpenAiUser) &&
                r.inputs.principalType === "ServicePrincipal",
        );
        expect(userGrants.map((r) => r.name)).toEqual([expect.stringContaining("gateway")]);
    });

    it("admits exactly the stack's callers, each with its team, by named value", () => {
        const validate = section(policy(applied), "inbound").find((e) => e.name === "validate-azure-ad-token");
        const admitted =
            validate?.children.find((c) => c.name === "client-application-ids")?.children.map((c) => c.text) ?? [];
        const callers = settings.effectiveGateway?.callers ?? [];
        expect(admitted).toHaveLength(callers.length);
        const appIds = applied.outputs.appIdentityClientIds as Record<string, string>;
        for (const c of callers) {
            const key = "application" in c ? c.application : `client-${c.clientId.toLowerCase()}`;
            expect(admitted).toContain(`{{caller-${key}}}`);
            const value = ofType(applied, gatewayTypes.namedValue).find(
                (nv) => nv.inputs.namedValueId === `caller-${key}`,
            )?.inputs.value;
            expect(value).toBe("application" in c ? appIds[c.application] : c.clientId.toLowerCase());
        }
    });
});
