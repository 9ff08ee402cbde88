import { ProgramRun, runProgram, unknownSentinel } from "../../plan/mock-runtime";
import { placeholderClient } from "../../plan/placeholders";
import { builtInRoles, types } from "../../catalogue/azure";
import { cognitiveServicesResource, gatewayPrivateLink, gatewayTypes } from "../../catalogue/gateway";
import { gatewayTokenLimits } from "../../catalogue/gateway-limits";
import { profiles } from "../../catalogue/profiles";
import {
    AiGatewayArgs,
    AiGatewayResidency,
    gatewayServiceName,
    validateAiGatewayArgs,
} from "../../components/ai-gateway";
import { descendants, parsePolicy, section } from "../../policies/gateway-xml";
import { ofType, one } from "../support/resources";

const sub = placeholderClient.subscriptionId;
const net = `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-x`;
const hubZone = `/subscriptions/${sub}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${gatewayPrivateLink.zone}`;
const workspaceId = `/subscriptions/${sub}/resourceGroups/rg-x/providers/Microsoft.OperationalInsights/workspaces/log-x`;
const accountId = (name: string) =>
    `/subscriptions/${sub}/resourceGroups/rg-x/providers/Microsoft.CognitiveServices/accounts/${name}`;
const eu = profiles["eu-gdpr"];
const residency: AiGatewayResidency = {
    profile: eu.id,
    allowedRegions: eu.allowedRegions,
    allowedDeploymentSkus: eu.allowedDeploymentSkus,
    publicInboundAllowed: false,
    bodyLoggingAllowed: false,
};
const deployments = [
    { name: "chat", sku: "DataZoneStandard" },
    { name: "embeddings", sku: "Standard" },
];
const limits = gatewayTokenLimits(
    eu.gateway.limits,
    [{ name: "chat", model: "m", sku: "DataZoneStandard", capacity: 100 }],
    { m: 0.01 },
);
const clientId = "3c1e5a7b-9d2f-4b6a-8e0c-4f3a2b1c0d9e";

function args(overrides: Partial<AiGatewayArgs> = {}): AiGatewayArgs {
    return {
        resourceGroupName: "rg-x",
        location: "westeurope",
        tags: { owner: "team" },
        namePrefix: "contoso-eu",
        uniquenessSeed: `${sub}/eu-prod`,
        subscriptionId: sub,
        tenantId: placeholderClient.tenantId,
        residency,
        integrationSubnetId: `${net}/subnets/apim`,
        publisherEmail: "ai@contoso.com",
        backends: [
            {
                key: "primary",
                accountId: accountId("oai-weu"),
                customSubDomainName: "oai-weu",
                location: "westeurope",
                deployments,
            },
        ],
        callers: [{ key: "chat-api", clientId, team: "customer-care" }],
        limits,
        privateEndpoint: { subnetId: `${net}/subnets/pe`, privateDnsZoneIds: [hubZone] },
        workspaceId,
        diagnosticSettings: { workspaceId, categories: ["GatewayLogs", "GatewayLlmLogs"] },
        lock: { kind: "CanNotDelete" },
        ...overrides,
    };
}

async function run(a: AiGatewayArgs, preview = false): Promise<ProgramRun> {
    return runProgram({
        project: "p",
        stack: "s",
        config: {},
        preview,
        program: async () => {
            const { AiGateway } = await import("../../components/ai-gateway");
            const g = new AiGateway("gw", a);
            return { gatewayUrl: g.gatewayUrl, serviceName: g.serviceName };
        },
    });
}

const policyOf = (r: ProgramRun) => parsePolicy(one(r, gatewayTypes.apiPolicy).inputs.value as string);

describe("AiGateway", () => {
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        // One after the other: the mock runtime is process-wide.
        applied = await run(args());
        preview = await run(args(), true);
    });

    it("creates the service, its private endpoint, metrics, logs, the API with three operations and its policy, and no subscription", () => {
        for (const r of [applied, preview]) {
            const counts: Record<string, number> = {};
            for (const x of r.resources) counts[x.type] = (counts[x.type] ?? 0) + 1;
            expect(counts).toEqual({
                "pulumi:pulumi:Stack": 1,
                "azure-openai-lz:gateway:AiGateway": 1,
                [gatewayTypes.service]: 1,
                [types.privateEndpoint]: 1,
                [types.privateDnsZoneGroup]: 1,
                [gatewayTypes.appInsights]: 1,
                [types.roleAssignment]: 2,
                [gatewayTypes.backend]: 1,
                [gatewayTypes.logger]: 2,
                [gatewayTypes.diagnostic]: 2,
                [gatewayTypes.namedValue]: 2,
                [gatewayTypes.api]: 1,
                [gatewayTypes.apiOperation]: 3,
                [gatewayTypes.apiPolicy]: 1,
                [types.diagnosticSetting]: 1,
                [types.managementLock]: 1,
            });
            expect(ofType(r, gatewayTypes.subscription)).toEqual([]);
        }
    });

    it("is a Standard v2 gateway with no public inbound, outbound VNet integration and a system identity", () => {
        const service = one(applied, gatewayTypes.service);
        expect(service.inputs).toMatchObject({
            serviceName: gatewayServiceName("contoso-eu", `${sub}/eu-prod`),
            location: "westeurope",
            sku: { name: "StandardV2", capacity: 1 },
            identity: { type: "SystemAssigned" },
            publicNetworkAccess: "Disabled",
            virtualNetworkType: "External",
            virtualNetworkConfiguration: { subnetResourceId: `${net}/subnets/apim` },
            apiVersionConstraint: { minApiVersion: "2021-08-01" },
            developerPortalStatus: "Disabled",
        });
        const pe = one(applied, types.privateEndpoint);
        expect(
            (pe.inputs.privateLinkServiceConnections as { groupIds: string[]; privateLinkServiceId: string }[])[0],
        ).toEqual(
            expect.objectContaining({ groupIds: [gatewayPrivateLink.groupId], privateLinkServiceId: service.id }),
        );
        expect(
            (
                one(applied, types.privateDnsZoneGroup).inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]
            ).map((z) => z.privateDnsZoneId),
        ).toEqual([hubZone]);
        expect(applied.outputs.gatewayUrl).toBe(
            `https://${gatewayServiceName("contoso-eu", `${sub}/eu-prod`)}.azure-api.net`,
        );
    });

    it("holds no API key anywhere: no subscription required, ids in plain named values, keyless metrics and backends", () => {
        expect(one(applied, gatewayTypes.api).inputs).toMatchObject({
            subscriptionRequired: false,
            protocols: ["https"],
            path: "openai",
        });
        for (const nv of ofType(applied, gatewayTypes.namedValue)) {
            expect(nv.inputs.secret).toBe(false);
            expect(nv.inputs.value).toMatch(/^[0-9a-f-]{36}$/);
        }
        const insightsLogger = ofType(applied, gatewayTypes.logger).find(
            (l) => l.inputs.loggerType === "applicationInsights",
        )!;
        expect(Object.keys(insightsLogger.inputs.credentials as object).sort()).toEqual([
            "connectionString",
            "identityClientId",
        ]);
        expect((insightsLogger.inputs.credentials as Record<string, string>).identityClientId).toBe("SystemAssigned");
        expect(one(applied, gatewayTypes.appInsights).inputs).toMatchObject({
            disableLocalAuth: true,
            workspaceResourceId: workspaceId,
            ingestionMode: "LogAnalytics",
        });
        for (const b of ofType(applied, gatewayTypes.backend)) expect(b.inputs.credentials).toBeUndefined();
        const keyHeaders = descendants(section(policyOf(applied), "inbound")).filter(
            (e) => e.name === "set-header" && e.attributes.name === "api-key",
        );
        expect(keyHeaders.map((h) => h.attributes["exists-action"])).toEqual(["delete"]);
    });

    it("grants its identity OpenAI User on the account and Monitoring Metrics Publisher on its Application Insights, nothing else", () => {
        const service = one(applied, gatewayTypes.service);
        const principal =
            (service.inputs.identity as { principalId?: string }).principalId ??
            ofType(applied, types.roleAssignment)[0].inputs.principalId;
        const grants = ofType(applied, types.roleAssignment).map((r) => ({
            scope: r.inputs.scope,
            role: String(r.inputs.roleDefinitionId).split("/").pop(),
            principalType: r.inputs.principalType,
            principalId: r.inputs.principalId,
        }));
        expect(grants).toEqual(
            expect.arrayContaining([
                {
                    scope: accountId("oai-weu"),
                    role: builtInRoles.cognitiveServicesOpenAiUser,
                    principalType: "ServicePrincipal",
                    principalId: principal,
                },
                {
                    scope: one(applied, gatewayTypes.appInsights).id,
                    role: builtInRoles.monitoringMetricsPublisher,
                    principalType: "ServicePrincipal",
                    principalId: principal,
                },
            ]),
        );
        expect(grants).toHaveLength(2);
    });

    it("logs gateway requests and token usage to the workspace, never a body, and emits metrics through Application Insights", () => {
        const setting = one(applied, types.diagnosticSetting);
        expect(setting.inputs).toMatchObject({
            resourceUri: one(applied, gatewayTypes.service).id,
            workspaceId,
            logs: [
                { category: "GatewayLogs", enabled: true },
                { category: "GatewayLlmLogs", enabled: true },
            ],
        });
        for (const d of ofType(applied, gatewayTypes.diagnostic)) {
            for (const side of ["frontend", "backend"])
                for (const dir of ["request", "response"])
                    expect((d.inputs[side] as Record<string, { body: { bytes: number } }>)[dir].body.bytes).toBe(0);
        }
        expect(
            ofType(applied, gatewayTypes.diagnostic).find((d) => d.inputs.diagnosticId === "applicationinsights")
                ?.inputs.metrics,
        ).toBe(true);
    });

    it("forwards to the account's private endpoint host with its managed identity, the policy and operations linked to the API by URN", () => {
        const backend = one(applied, gatewayTypes.backend);
        expect(backend.inputs).toMatchObject({
            backendId: "openai-primary",
            url: "https://oai-weu.openai.azure.com/openai",
            protocol: "http",
            tls: { validateCertificateChain: true, validateCertificateName: true },
        });
        const inbound = section(policyOf(applied), "inbound");
        expect(inbound.find((e) => e.name === "authentication-managed-identity")?.attributes.resource).toBe(
            cognitiveServicesResource,
        );
        expect(inbound.find((e) => e.name === "set-backend-service")?.attributes["backend-id"]).toBe("openai-primary");
        const api = one(preview, gatewayTypes.api);
        for (const r of [one(preview, gatewayTypes.apiPolicy), ...ofType(preview, gatewayTypes.apiOperation)]) {
            expect(r.propertyDependencies.apiId).toEqual([api.urn]);
            expect(r.propertyDependencies.serviceName).toEqual([one(preview, gatewayTypes.service).urn]);
        }
    });

    it("has the same policy text in a preview: the ids that are not known yet live in named values", () => {
        expect(one(preview, gatewayTypes.apiPolicy).inputs.value).toBe(
            one(applied, gatewayTypes.apiPolicy).inputs.value,
        );
        expect(one(preview, gatewayTypes.apiPolicy).inputs.value).not.toContain(unknownSentinel);
        const nv = ofType(applied, gatewayTypes.namedValue).find((v) => v.inputs.namedValueId === "caller-chat-api");
        expect(nv?.inputs.value).toBe(clientId);
        expect(
            ofType(applied, gatewayTypes.namedValue).find((v) => v.inputs.namedValueId === "gateway-tenant-id")?.inputs
                .value,
        ).toBe(placeholderClient.tenantId);
    });

    it("is created with public network access enabled on its first deployment only, the private-endpoint guard in force", async () => {
        const first = await run(args({ firstDeployment: true }));
        expect(one(first, gatewayTypes.service).inputs.publicNetworkAccess).toBe("Enabled");
        expect(
            descendants(section(policyOf(first), "inbound")).some(
                (e) => e.attributes.condition === "@(context.Request.PrivateEndpointConnection == null)",
            ),
        ).toBe(true);
    });

    it("pools accounts inside the profile's boundary, by priority, and creates its own DNS zone where no hub zone is given", async () => {
        const pooled = await run(
            args({
                backends: [
                    {
                        key: "weu",
                        accountId: accountId("oai-weu"),
                        customSubDomainName: "oai-weu",
                        location: "westeurope",
                        deployments,
                        priority: 1,
                    },
                    {
                        key: "sdc",
                        accountId: accountId("oai-sdc"),
                        customSubDomainName: "oai-sdc",
                        location: "swedencentral",
                        deployments,
                        priority: 2,
                    },
                ],
                privateEndpoint: { subnetId: `${net}/subnets/pe`, privateDnsZoneIds: [] },
                dnsZoneVnetId: net,
            }),
        );
        const pool = ofType(pooled, gatewayTypes.backend).find((b) => b.inputs.type === "Pool")!;
        expect((pool.inputs.pool as { services: unknown[] }).services).toEqual([
            { id: "/backends/openai-weu", priority: 1 },
            { id: "/backends/openai-sdc", priority: 2 },
        ]);
        expect(
            section(policyOf(pooled), "inbound").find((e) => e.name === "set-backend-service")?.attributes[
                "backend-id"
            ],
        ).toBe("openai-pool");
        expect(
            ofType(pooled, types.roleAssignment)
                .filter((r) => String(r.inputs.roleDefinitionId).endsWith(builtInRoles.cognitiveServicesOpenAiUser))
                .map((r) => r.inputs.scope)
                .sort(),
        ).toEqual([accountId("oai-sdc"), accountId("oai-weu")]);
        expect(one(pooled, types.privateZone).inputs.privateZoneName).toBe(gatewayPrivateLink.zone);
        expect(one(pooled, types.virtualNetworkLink).inputs).toMatchObject({
            virtualNetwork: { id: net },
            registrationEnabled: false,
        });
        expect(
            (one(pooled, types.privateDnsZoneGroup).inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[])[0]
                .privateDnsZoneId,
        ).toBe(one(pooled, types.privateZone).id);
    });
});

describe("validateAiGatewayArgs: data stays where the profile says", () => {
    const us = {
        key: "us",
        accountId: accountId("oai-eus"),
        customSubDomainName: "oai-eus",
        location: "eastus",
        deployments,
    };
    it("never pools an EU stack's account with a US account", () => {
        expect(() => validateAiGatewayArgs(args({ backends: [args().backends[0], us] }))).toThrow(
            "backends[1].location: 'eastus' is outside profile eu-gdpr's regions, so prompts would leave its boundary",
        );
    });

    it("refuses a backend whose deployments process prompts outside the boundary, and pools whose accounts serve different deployments", () => {
        const global = { ...args().backends[0], deployments: [{ name: "chat", sku: "GlobalStandard" }] };
        expect(() => validateAiGatewayArgs(args({ backends: [global] }))).toThrow(
            "backends[0].deployments[0].sku: 'GlobalStandard' processes prompts in any Azure region",
        );
        const other = {
            ...args().backends[0],
            key: "sdc",
            location: "swedencentral",
            deployments: [{ name: "chat", sku: "Standard" }],
        };
        expect(() => validateAiGatewayArgs(args({ backends: [args().backends[0], other] }))).toThrow(
            "backends[1].deployments: serves [chat], backends[0] serves [chat, embeddings]",
        );
    });

    it("refuses a gateway without a private endpoint, a zone, or a caller, body logging the profile forbids, and a region outside the profile", () => {
        expect(() => validateAiGatewayArgs(args({ privateEndpoint: undefined }))).toThrow(
            "privateEndpoint: profile eu-gdpr forbids public inbound access",
        );
        expect(() =>
            validateAiGatewayArgs(args({ privateEndpoint: { subnetId: "s", privateDnsZoneIds: [] } })),
        ).toThrow(
            `privateEndpoint.privateDnsZoneIds: expected the ${gatewayPrivateLink.zone} zone id, or dnsZoneVnetId`,
        );
        expect(() => validateAiGatewayArgs(args({ callers: [] }))).toThrow("callers: expected at least one caller");
        expect(() => validateAiGatewayArgs(args({ logBodies: true }))).toThrow(
            "logBodies: profile eu-gdpr keeps request and response bodies",
        );
        expect(() => validateAiGatewayArgs(args({ location: "eastus" }))).toThrow(
            "location: 'eastus' is outside profile eu-gdpr's regions",
        );
        expect(() => validateAiGatewayArgs(args({ units: 11 }))).toThrow("units: 11 expected 1 to 10");
        expect(() =>
            validateAiGatewayArgs(args({ callers: [{ key: "x", clientId: "not-a-guid", team: "t" }] })),
        ).toThrow("callers[0].clientId: 'not-a-guid' expected a GUID");
    });

    it("logs bodies only where the profile allows it", async () => {
        const allowed = await run(args({ residency: { ...residency, bodyLoggingAllowed: true }, logBodies: true }));
        for (const d of ofType(allowed, gatewayTypes.diagnostic))
            expect((d.inputs.frontend as { request: { body: { bytes: number } } }).request.body.bytes).toBeGreaterThan(
                0,
            );
    });
});
