/**
 * Every committed stack, planned through the real program file (infra/index.ts, built) under mocks, with
 * cloud-computed values known (an update) and unknown (a preview). One run per stack and mode, shared by the tests.
 * The program and the SDK are the built modules from dist/ (test/support/dist.ts): loaded once per jest worker, the
 * program file re-evaluated per run.
 */
import type { PlannedResource, ProgramRun } from "../../plan/mock-runtime";
import { unknownSentinel } from "../../plan/sentinel";
import { placeholderClient } from "../../plan/placeholders";
import {
    allowedAccountRoles,
    azureMonitorPrivateDnsZones,
    builtInRoles,
    forbiddenRoles,
    openAiDiagnostics,
    privateDnsZones,
    types,
} from "../../catalogue/azure";
import { gatewayTypes } from "../../catalogue/gateway";
import { stackCostLimits } from "../../catalogue/stack-settings";
import { StackSettings, validateStackConfig } from "../../infra/config";
import type * as RegionalOpenAiModule from "../../components/regional-openai";
import { blocklistItemsFor } from "../../components/dlp-patterns";
import { rawStackConfig, stackNames } from "../support/stacks";
import { ofType, one } from "../support/resources";
import { assertBuilt, freshProgram, requireDist, runStack as runBuilt } from "../support/dist";

const component = {
    landingZone: "azure-openai-lz:landingzone:RegionalOpenAi",
    account: "azure-openai-lz:ai:OpenAiAccount",
    access: "azure-openai-lz:access:AccessControl",
    audit: "azure-openai-lz:logging:AuditLogging",
    cost: "azure-openai-lz:cost:CostGovernance",
    cmk: "azure-openai-lz:security:CustomerManagedKey",
    dns: "azure-openai-lz:network:PrivateAccess",
    filter: "azure-openai-lz:ai:ContentFilter",
    models: "azure-openai-lz:ai:ModelDeployments",
};
const gatewayComponent = "azure-openai-lz:gateway:AiGateway";
/** Pulumi's wire signature of a secret value. */
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

beforeAll(() => assertBuilt());

function runStack(
    stack: string,
    preview: boolean,
    raw: Record<string, unknown> = rawStackConfig(stack),
): Promise<ProgramRun> {
    return runBuilt(stack, raw, preview);
}

const byUrn = (r: ProgramRun) => new Map(r.resources.map((x) => [x.urn, x]));
function ancestors(r: ProgramRun, res: PlannedResource): string[] {
    const index = byUrn(r);
    const out: string[] = [];
    for (let p = res.parent; p; p = index.get(p)?.parent) out.push(index.get(p)?.type ?? p);
    return out;
}
/** The account's private endpoint (group id `account`), as opposed to the Key Vault's. */
function accountEndpoint(r: ProgramRun): PlannedResource {
    const found = ofType(r, types.privateEndpoint).filter(
        (pe) => (pe.inputs.privateLinkServiceConnections as { groupIds: string[] }[])[0].groupIds[0] === "account",
    );
    expect(found).toHaveLength(1);
    return found[0];
}
function zoneGroupOf(r: ProgramRun, endpoint: PlannedResource): PlannedResource {
    const found = ofType(r, types.privateDnsZoneGroup).filter((z) => z.parent === endpoint.urn);
    expect(found).toHaveLength(1);
    return found[0];
}
function diagnosticsOf(r: ProgramRun, target: PlannedResource): PlannedResource {
    const found = ofType(r, types.diagnosticSetting).filter((d) => d.inputs.resourceUri === target.id);
    expect(found).toHaveLength(1);
    return found[0];
}
const stackOutputs = (r: ProgramRun) => r.resources.find((x) => x.type === "pulumi:pulumi:Stack")!.outputs ?? {};
const groupCount = (s: StackSettings, persona: "developers" | "dataScientists" | "securityAuditors") =>
    s.access[persona].groupObjectIds.length + s.access[persona].groupDisplayNames.length;

/** What a stack must create, derived from its settings the way the docs state it (docs/components.md, "What a stack creates"). */
function expectedCounts(s: StackSettings): Record<string, number> {
    const apps = s.access.applications.length;
    const personaGroups =
        groupCount(s, "developers") + groupCount(s, "dataScientists") + groupCount(s, "securityAuditors");
    const counts: Record<string, number> = {
        "pulumi:pulumi:Stack": 1,
        [component.landingZone]: 1,
        [component.account]: 1,
        [component.access]: 1,
        [component.audit]: 1,
        [component.cost]: 1,
        [component.dns]: 1,
        [component.filter]: 1,
        // While a new stack's key is only granted, no model is deployed (docs/components-core.md, CustomerManagedKey).
        [component.models]: s.customerManagedKeyPhase === "grant" ? 0 : 1,
        [types.resourceGroup]: 1,
        [types.account]: 1,
        [types.privateEndpoint]: 1,
        [types.privateDnsZoneGroup]: 1,
        [types.diagnosticSetting]: 1,
        [types.workspace]: 1,
        [types.workspaceTable]: 2,
        [types.savedSearch]: 2,
        [types.scheduledQueryRule]: 3,
        [types.budget]: 1,
        [types.raiPolicy]: 1,
        // one blocklist holding one item per DLP regex of the stack's patterns
        [types.raiBlocklist]: 1,
        [types.raiBlocklistItem]: blocklistItemsFor(s.contentFilter.dlpPatterns ?? []).length,
        [types.deployment]: s.customerManagedKeyPhase === "grant" ? 0 : s.deployments.length,
        // zones created in the stack (openai, cognitiveservices, + vault with a CMK), each linked to the VNet; none with hub zones
        [types.privateZone]: s.network.privateDnsZoneIds ? 0 : 2 + (s.customerManagedKeyEnabled ? 1 : 0),
        [types.virtualNetworkLink]: s.network.privateDnsZoneIds ? 0 : 2 + (s.customerManagedKeyEnabled ? 1 : 0),
        [types.userAssignedIdentity]: apps,
        // one per persona group, auditors once more on the workspace, one per application
        [types.roleAssignment]: personaGroups + groupCount(s, "securityAuditors") + apps,
    };
    if (!s.budget.actionGroupId) counts[types.actionGroup] = 1;
    // Stateful resources locked in production while locks are enforced: account, workspace (and the Key Vault below).
    const locked = s.protect && s.deletionLocks === "enforced";
    if (locked) counts[types.managementLock] = 2;
    if (s.customerManagedKeyEnabled) {
        // Vault, key, the account identity's access policy on the vault, the vault's diagnostics, endpoint and lock.
        const vaultEndpoint = 1;
        counts[component.cmk] = 1;
        counts[types.vault] = 1;
        counts[types.vaultKey] = 1;
        counts[types.vaultAccessPolicy] = 1;
        counts[types.diagnosticSetting] += 1;
        counts[types.privateEndpoint] += vaultEndpoint;
        counts[types.privateDnsZoneGroup] += vaultEndpoint;
        if (locked) counts[types.managementLock] += 1;
    }
    const g = s.effectiveGateway;
    if (g) {
        // The AI gateway (docs/gateway.md): service, API with its three operations and policy, one backend per account,
        // two loggers and diagnostics, named values for the tenant and each caller, Application Insights, its private
        // endpoint and diagnostics (no lock: it holds no data); OpenAI User for the gateway replaces the applications' own.
        const add = (type: string, n: number) => (counts[type] = (counts[type] ?? 0) + n);
        add(gatewayComponent, 1);
        add(gatewayTypes.service, 1);
        add(gatewayTypes.api, 1);
        add(gatewayTypes.apiOperation, 3);
        add(gatewayTypes.apiPolicy, 1);
        add(gatewayTypes.backend, 1);
        add(gatewayTypes.logger, 2);
        add(gatewayTypes.diagnostic, 2);
        add(gatewayTypes.namedValue, 1 + g.callers.length);
        add(gatewayTypes.appInsights, 1);
        add(types.privateEndpoint, 1);
        add(types.privateDnsZoneGroup, 1);
        add(types.diagnosticSetting, 1);
        add(types.roleAssignment, 2 - apps);
        if (!s.gateway?.privateDnsZoneId) {
            add(types.privateZone, 1);
            add(types.virtualNetworkLink, 1);
        }
    }
    if (s.resolvedProfile.monitorPrivateLinkRequired) {
        // The workspace joins the hub's AMPLS, or the stack's own: scope, endpoint and zone group, and with created zones the five Azure Monitor zones and links.
        counts[types.privateLinkScopedResource] = 1;
        if (!s.network.azureMonitorPrivateLinkScopeId) {
            counts[types.privateLinkScope] = 1;
            counts[types.privateEndpoint] += 1;
            counts[types.privateDnsZoneGroup] += 1;
            if (!s.network.privateDnsZoneIds) {
                counts[types.privateZone] += Object.keys(azureMonitorPrivateDnsZones).length;
                counts[types.virtualNetworkLink] += Object.keys(azureMonitorPrivateDnsZones).length;
            }
        }
    }
    return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

function countTypes(r: ProgramRun): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const x of r.resources) counts[x.type] = (counts[x.type] ?? 0) + 1;
    return counts;
}

describe.each(stackNames())("stack %s", (stack) => {
    let settings: StackSettings;
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        settings = validateStackConfig(stack, rawStackConfig(stack));
        applied = await runStack(stack, false);
        preview = await runStack(stack, true);
    });

    it("creates exactly the expected resource types and counts, in an update and in a preview", () => {
        expect(countTypes(applied)).toEqual(expectedCounts(settings));
        expect(countTypes(preview)).toEqual(expectedCounts(settings));
        expect(preview.resources.map((r) => r.urn).sort()).toEqual(applied.resources.map((r) => r.urn).sort());
    });

    it("makes the account private, keyless and identity-bearing, in the stack's region", () => {
        const account = one(applied, types.account);
        expect(account.inputs).toMatchObject({
            kind: "OpenAI",
            location: settings.location,
            identity: { type: expect.stringContaining("SystemAssigned") },
            properties: {
                publicNetworkAccess: "Disabled",
                disableLocalAuth: true,
                networkAcls: { defaultAction: "Deny" },
                restrictOutboundNetworkAccess: true,
            },
        });
        // Only global-by-nature resources (DNS zones and links, action groups) sit outside the stack's region.
        const elsewhere = applied.resources.filter(
            (r) => r.custom && typeof r.inputs.location === "string" && r.inputs.location !== settings.location,
        );
        for (const r of elsewhere)
            expect([types.privateZone, types.virtualNetworkLink, types.actionGroup, types.privateLinkScope]).toContain(
                r.type,
            );
        for (const r of elsewhere) expect(String(r.inputs.location).toLowerCase()).toBe("global");
    });

    it("reaches the account only through a private endpoint registered in both OpenAI DNS zones", () => {
        const account = one(applied, types.account);
        const pe = accountEndpoint(applied);
        const zoneGroup = zoneGroupOf(applied, pe);
        expect(pe.inputs).toMatchObject({ subnet: { id: settings.network.privateEndpointSubnetId } });
        expect(
            (pe.inputs.privateLinkServiceConnections as { privateLinkServiceId: string; groupIds: string[] }[])[0],
        ).toMatchObject({ privateLinkServiceId: account.id, groupIds: ["account"] });
        const zoneIds = (zoneGroup.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]).map(
            (z) => z.privateDnsZoneId,
        );
        expect(zoneIds.map((id) => id.split("/").pop()).sort()).toEqual(
            [privateDnsZones.cognitiveServices, privateDnsZones.openai].sort(),
        );
        if (settings.network.privateDnsZoneIds)
            expect(zoneIds.sort()).toEqual(
                [
                    settings.network.privateDnsZoneIds.openai,
                    settings.network.privateDnsZoneIds.cognitiveServices,
                ].sort(),
            );
        expect(pe.dependencies).toContain(account.urn);
    });

    it("creates the content filter after the account and the deployments one at a time after the filter", () => {
        const account = one(applied, types.account);
        const policy = one(applied, types.raiPolicy);
        const deployments = ofType(applied, types.deployment);
        expect(deployments.map((d) => d.inputs.deploymentName)).toEqual(settings.deployments.map((d) => d.name));
        expect(policy.dependencies).toContain(account.urn);
        expect(policy.dependencies).toEqual(
            expect.arrayContaining(ofType(applied, types.raiBlocklist).map((b) => b.urn)),
        );
        deployments.forEach((d, i) => {
            expect(d.dependencies).toContain(policy.urn);
            if (i > 0) expect(d.dependencies).toContain(deployments[i - 1].urn);
            expect((d.inputs.properties as { raiPolicyName: string }).raiPolicyName).toBe(policy.inputs.raiPolicyName);
            expect(d.inputs.sku).toEqual({
                name: settings.deployments[i].sku,
                capacity: settings.deployments[i].capacity,
            });
        });
        const patterns = ofType(applied, types.raiBlocklistItem).map(
            (b) => (b.inputs.properties as { isRegex: boolean }).isRegex,
        );
        expect(patterns.length).toBeGreaterThan(0);
        expect(patterns.every(Boolean)).toBe(true);
    });

    it("links created zones to the stack's VNet, or creates none and uses the hub's", () => {
        const links = ofType(applied, types.virtualNetworkLink);
        if (settings.network.privateDnsZoneIds) {
            expect(ofType(applied, types.privateZone)).toEqual([]);
        } else {
            for (const l of links)
                expect(l.inputs).toMatchObject({
                    virtualNetwork: { id: settings.network.vnetId },
                    registrationEnabled: false,
                });
            expect(
                ofType(applied, types.privateZone)
                    .map((z) => z.inputs.privateZoneName)
                    .sort(),
            ).toEqual(
                [
                    privateDnsZones.openai,
                    privateDnsZones.cognitiveServices,
                    ...(settings.customerManagedKeyEnabled ? [privateDnsZones.keyVault] : []),
                    ...(settings.resolvedProfile.monitorPrivateLinkRequired &&
                    !settings.network.azureMonitorPrivateLinkScopeId
                        ? Object.values(azureMonitorPrivateDnsZones)
                        : []),
                ].sort(),
            );
        }
    });

    it("sends the account's audit and allLogs groups and AllMetrics to the workspace, with no retention on the setting", () => {
        const account = one(applied, types.account);
        const workspace = one(applied, types.workspace);
        const diag = diagnosticsOf(applied, account);
        expect(diag.inputs).toMatchObject({ resourceUri: account.id, workspaceId: workspace.id });
        expect(diag.inputs.logs as { categoryGroup: string; enabled: boolean; retentionPolicy?: unknown }[]).toEqual(
            openAiDiagnostics.categoryGroups.map((categoryGroup) => ({ categoryGroup, enabled: true })),
        );
        expect(diag.inputs.metrics).toEqual([{ category: openAiDiagnostics.metricCategory, enabled: true }]);
    });

    it("keeps logs for the profile's retention on the workspace and its tables", () => {
        const workspace = one(applied, types.workspace);
        expect(settings.retention.interactiveDays).toBeGreaterThanOrEqual(
            settings.resolvedProfile.minimumLogRetention.interactiveDays,
        );
        expect(workspace.inputs).toMatchObject({
            location: settings.location,
            retentionInDays: settings.retention.interactiveDays,
            features: { disableLocalAuth: true },
        });
        for (const table of ofType(applied, types.workspaceTable)) {
            expect(table.inputs).toMatchObject({
                retentionInDays: settings.retention.interactiveDays,
                totalRetentionInDays: settings.retention.totalDays,
            });
        }
    });

    it("grants roles only to groups and service principals, only allowed roles, each persona its role", () => {
        const assignments = ofType(applied, types.roleAssignment);
        const roleOf = (r: PlannedResource) =>
            Object.entries(builtInRoles).find(([, id]) => String(r.inputs.roleDefinitionId).endsWith(`/${id}`))?.[0];
        const insights = ofType(applied, gatewayTypes.appInsights).map((r) => r.id);
        for (const r of assignments) {
            expect(["Group", "ServicePrincipal"]).toContain(r.inputs.principalType);
            // The gateway's identity publishes token metrics to its Application Insights, nowhere else.
            if (insights.includes(r.inputs.scope as string)) expect(roleOf(r)).toBe("monitoringMetricsPublisher");
            else expect(allowedAccountRoles).toContain(roleOf(r));
            expect(forbiddenRoles).not.toContain(roleOf(r));
            expect(String(r.inputs.roleDefinitionId)).toMatch(
                new RegExp(
                    `^/subscriptions/${placeholderClient.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/`,
                ),
            );
        }
        const account = one(applied, types.account);
        const workspace = one(applied, types.workspace);
        const count = (role: string, scope: string, principalType = "Group") =>
            assignments.filter(
                (r) => roleOf(r) === role && r.inputs.scope === scope && r.inputs.principalType === principalType,
            ).length;
        expect(count("cognitiveServicesOpenAiUser", account.id!)).toBe(groupCount(settings, "developers"));
        expect(count("cognitiveServicesOpenAiContributor", account.id!)).toBe(groupCount(settings, "dataScientists"));
        expect(count("reader", account.id!)).toBe(groupCount(settings, "securityAuditors"));
        expect(count("logAnalyticsReader", workspace.id!)).toBe(groupCount(settings, "securityAuditors"));
        // Behind a gateway only the gateway's identity calls the account; without one, each application's.
        expect(count("cognitiveServicesOpenAiUser", account.id!, "ServicePrincipal")).toBe(
            settings.effectiveGateway ? 1 : settings.access.applications.length,
        );
        const ids = settings.access.developers.groupObjectIds;
        for (const id of ids) expect(assignments.some((r) => r.inputs.principalId === id)).toBe(true);
    });

    it("budgets the resource group monthly with actual 50/80/100 % and forecasted 100 % notifications", () => {
        const rg = one(applied, types.resourceGroup);
        const budget = one(applied, types.budget);
        expect(budget.inputs).toMatchObject({
            scope: rg.id,
            amount: settings.monthlyBudget,
            timeGrain: "Monthly",
            timePeriod: { startDate: expect.stringMatching(/^\d{4}-\d{2}-01T00:00:00Z$/) },
        });
        const notifications = budget.inputs.notifications as Record<
            string,
            { thresholdType: string; threshold: number; contactEmails: string[]; contactGroups: string[] }
        >;
        expect(Object.keys(notifications).sort()).toEqual(["actual-100", "actual-50", "actual-80", "forecasted-100"]);
        const group = settings.budget.actionGroupId ?? one(applied, types.actionGroup).id;
        for (const n of Object.values(notifications)) {
            expect(n.contactEmails).toEqual(settings.budget.contactEmails);
            expect(n.contactGroups).toEqual([group]);
        }
    });

    it("protects and locks the account and workspace in production, and neither elsewhere", () => {
        const account = one(applied, types.account);
        const workspace = one(applied, types.workspace);
        const locks = ofType(applied, types.managementLock);
        const vaults = ofType(applied, types.vault);
        expect(vaults).toHaveLength(settings.customerManagedKeyEnabled ? 1 : 0);
        if (settings.protect) {
            for (const r of [account, workspace, one(applied, types.resourceGroup), ...vaults])
                expect(r.protect).toBe(true);
            expect(locks.map((l) => l.inputs.scope).sort()).toEqual(
                [account.id, workspace.id, ...vaults.map((v) => v.id)].sort(),
            );
            for (const l of locks) expect(l.inputs.level).toBe("CanNotDelete");
        } else {
            expect(applied.resources.filter((r) => r.protect)).toEqual([]);
            expect(locks).toEqual([]);
        }
    });

    it("parents everything under the landing zone and tags every taggable resource", () => {
        for (const r of applied.resources.filter(
            (x) => x.type !== "pulumi:pulumi:Stack" && x.type !== component.landingZone,
        )) {
            expect(ancestors(applied, r)).toContain(component.landingZone);
        }
        const taggable = applied.resources.filter(
            (r) => r.custom && "tags" in r.inputs && !Array.isArray(r.inputs.tags),
        );
        expect(taggable.length).toBeGreaterThan(5);
        for (const r of taggable) expect(r.inputs.tags).toEqual(settings.allTags);
        for (const type of [
            types.resourceGroup,
            types.account,
            types.workspace,
            types.privateEndpoint,
            types.scheduledQueryRule,
        ]) {
            for (const r of ofType(applied, type)) expect(r.inputs.tags).toEqual(settings.allTags);
        }
    });

    it("exports identifiers only, no secrets, and calls no invoke beyond client config and group lookups", () => {
        const outputs = stackOutputs(applied);
        expect(Object.keys(outputs).sort()).toEqual([
            "accountId",
            "accountName",
            "appIdentityClientIds",
            "costLimits",
            "deploymentNames",
            "endpoint",
            "gatewayUrl",
            "resourceGroupName",
            "workspaceId",
            "worstCaseDailySpendUsd",
        ]);
        expect(outputs.costLimits).toEqual(stackCostLimits(settings));
        expect(outputs.gatewayUrl === null).toBe(settings.effectiveGateway === undefined);
        expect(JSON.stringify(outputs)).not.toContain(secretSignature);
        expect(outputs.endpoint).toMatch(/^https:\/\/[a-z0-9-]+\.openai\.azure\.com\/$/);
        expect(outputs.deploymentNames).toEqual(settings.deployments.map((d) => d.name));
        expect(Object.keys(outputs.appIdentityClientIds as object).sort()).toEqual(
            settings.access.applications.map((a) => a.name).sort(),
        );
        expect(outputs.worstCaseDailySpendUsd).toBe(settings.worstCaseDailySpend);
        expect(outputs.worstCaseDailySpendUsd as number).toBeLessThanOrEqual(settings.dailySpendLimit);
        expect(new Set(applied.invokes.map((i) => i.token))).toEqual(
            new Set([
                "azure-native:authorization:getClientConfig",
                ...((["developers", "dataScientists", "securityAuditors"] as const).some(
                    (p) => settings.access[p].groupDisplayNames.length > 0,
                )
                    ? ["azuread:index/getGroup:getGroup"]
                    : []),
            ]),
        );
    });

    it("in preview, knows what config decides and leaves cloud-computed values unknown", () => {
        const outputs = stackOutputs(preview);
        expect(outputs.deploymentNames).toEqual(settings.deployments.map((d) => d.name));
        expect(outputs.worstCaseDailySpendUsd).toBe(settings.worstCaseDailySpend);
        expect(outputs.accountId).toBe(unknownSentinel);
        const pe = accountEndpoint(preview);
        expect(
            (pe.inputs.privateLinkServiceConnections as { privateLinkServiceId: string }[])[0].privateLinkServiceId,
        ).toBe(unknownSentinel);
        for (const d of ofType(preview, types.diagnosticSetting)) expect(d.inputs.workspaceId).toBe(unknownSentinel);
    });
});

describe("a bad stack configuration", () => {
    it("fails with StackConfigError naming every problem, before any resource is registered", async () => {
        const raw = structuredClone(rawStackConfig("eu-prod"));
        raw.location = "eastus";
        (raw.deployments as { sku: string }[])[0].sku = "GlobalStandard";
        let caught: unknown;
        const run = await runBuilt("eu-prod", raw, false, () => {
            try {
                return freshProgram();
            } catch (e) {
                caught = e;
                return {};
            }
        });
        expect(caught).toMatchObject({ name: "StackConfigError", stack: "eu-prod" });
        const problems = (caught as { problems: { path: string }[] }).problems.map((p) => p.path);
        expect(problems).toEqual(expect.arrayContaining(["location", "deployments[0].sku"]));
        expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
        expect(run.invokes).toEqual([]);
    });
});

describe("validateRegionalOpenAiSettings", () => {
    it("refuses hub DNS zones without the Key Vault zone when the account uses a customer-managed key", async () => {
        const { validateRegionalOpenAiSettings } = requireDist<typeof RegionalOpenAiModule>(
            "components/regional-openai.js",
        );
        const raw = structuredClone(rawStackConfig("us-prod")) as {
            network: { privateDnsZoneIds: Record<string, string> };
        };
        delete raw.network.privateDnsZoneIds.keyVault;
        const settings = validateStackConfig("us-prod", raw);
        expect(() => validateRegionalOpenAiSettings(settings)).toThrow(
            /network\.privateDnsZoneIds\.keyVault: .* expected the hub's privatelink\.vaultcore\.azure\.net zone id/,
        );
        expect(() =>
            validateRegionalOpenAiSettings(validateStackConfig("us-prod", rawStackConfig("us-prod"))),
        ).not.toThrow();
    });
});
