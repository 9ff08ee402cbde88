import { ProgramRun, runProgram, unknownSentinel } from "../../plan/mock-runtime";
import { placeholderClient } from "../../plan/placeholders";
import { types } from "../../catalogue/azure";
import {
    AuditLoggingArgs,
    unexpectedCallerQuery,
    usageQuery,
    validateAuditLoggingArgs,
} from "../../components/audit-logging";
import { ofType, one } from "../support/resources";

const actionGroupId =
    "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-x/providers/Microsoft.Insights/actionGroups/ag-x";

function args(overrides: Partial<AuditLoggingArgs> = {}): AuditLoggingArgs {
    return {
        resourceGroupName: "rg-x",
        location: "australiaeast",
        tags: { owner: "team" },
        workspaceName: "log-x-openai",
        retention: { interactiveDays: 365, totalDays: 2557 },
        clientAddressPrefixes: ["10.80.0.0/16", "10.81.0.0/16"],
        alertActionGroupIds: [actionGroupId],
        protect: true,
        lock: { kind: "CanNotDelete" },
        ...overrides,
    };
}

async function run(a: AuditLoggingArgs, preview = false): Promise<ProgramRun> {
    return runProgram({
        project: "p",
        stack: "s",
        config: {},
        preview,
        program: async () => {
            const { AuditLogging } = await import("../../components/audit-logging");
            const logs = new AuditLogging("audit", a);
            return {
                workspaceId: logs.workspaceId,
                alertRuleIds: logs.alertRuleIds,
                savedSearchIds: logs.savedSearchIds,
            };
        },
    });
}

type Rule = {
    criteria: { allOf: { query: string; operator: string; threshold: number; timeAggregation: string }[] };
    scopes: string[];
    actions: { actionGroups: string[] };
    severity: number;
    skipQueryValidation: boolean;
};

describe("AuditLogging", () => {
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        applied = await run(args());
        preview = await run(args(), true);
    });

    it("creates exactly a workspace, two tables, two saved searches, three alert rules and a lock", () => {
        const counts: Record<string, number> = {};
        for (const r of applied.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
        expect(counts).toEqual({
            "pulumi:pulumi:Stack": 1,
            "azure-openai-lz:logging:AuditLogging": 1,
            [types.workspace]: 1,
            [types.workspaceTable]: 2,
            [types.savedSearch]: 2,
            [types.scheduledQueryRule]: 3,
            [types.managementLock]: 1,
        });
    });

    it("keeps logs in the region, keyless, with interactive retention on the workspace", () => {
        const ws = one(applied, types.workspace);
        expect(ws.inputs).toMatchObject({
            location: "australiaeast",
            sku: { name: "PerGU2018" },
            retentionInDays: 365,
            features: { disableLocalAuth: true },
        });
        expect(ws.protect).toBe(true);
    });

    it("sets interactive and total retention on AzureDiagnostics and AzureMetrics", () => {
        const tables = ofType(applied, types.workspaceTable);
        expect(tables.map((t) => t.inputs.tableName).sort()).toEqual(["AzureDiagnostics", "AzureMetrics"]);
        for (const t of tables)
            expect(t.inputs).toMatchObject({
                retentionInDays: 365,
                totalRetentionInDays: 2557,
                workspaceName: "log-x-openai",
            });
    });

    it("saves the design's usage query verbatim and its per-field equivalent", () => {
        const searches = ofType(applied, types.savedSearch);
        expect(searches.map((s) => s.inputs.query)).toContain(usageQuery);
        expect(usageQuery).toMatch(
            /AzureDiagnostics\n\| where ResourceProvider == "MICROSOFT.COGNITIVESERVICES"\n\| where Category == "RequestResponse"/,
        );
        expect(searches.map((s) => s.inputs.savedSearchId).sort()).toEqual([
            "openai-usage",
            "openai-usage-resource-specific",
        ]);
        expect(searches.find((s) => s.inputs.savedSearchId === "openai-usage-resource-specific")!.inputs.query).toMatch(
            /parse_json\(properties_s\)/,
        );
    });

    it("alerts on 401/403 spikes, unexpected caller IPs and throttling, to the action group, over the workspace", () => {
        const ws = one(applied, types.workspace);
        const rules = Object.fromEntries(
            ofType(applied, types.scheduledQueryRule).map((r) => [
                r.inputs.ruleName as string,
                r.inputs as unknown as Rule,
            ]),
        );
        expect(Object.keys(rules).sort()).toEqual([
            "log-x-openai-auth-failures",
            "log-x-openai-throttling",
            "log-x-openai-unexpected-callers",
        ]);
        for (const rule of Object.values(rules)) {
            expect(rule.scopes).toEqual([ws.id]);
            expect(rule.actions.actionGroups).toEqual([actionGroupId]);
            expect(rule.skipQueryValidation).toBe(true);
            expect(rule.criteria.allOf[0]).toMatchObject({ timeAggregation: "Count", operator: "GreaterThanOrEqual" });
        }
        expect(rules["log-x-openai-auth-failures"].criteria.allOf[0]).toMatchObject({
            threshold: 10,
            query: expect.stringContaining('ResultSignature in ("401", "403")'),
        });
        expect(rules["log-x-openai-throttling"].criteria.allOf[0]).toMatchObject({
            threshold: 50,
            query: expect.stringContaining('ResultSignature == "429"'),
        });
        expect(rules["log-x-openai-unexpected-callers"].criteria.allOf[0]).toMatchObject({
            threshold: 1,
            query: expect.stringContaining('dynamic(["10.80.0.0/16","10.81.0.0/16"])'),
        });
    });

    it("locks the workspace against deletion and parents children to the component or the workspace", () => {
        const ws = one(applied, types.workspace);
        const lock = one(applied, types.managementLock);
        expect(lock.inputs).toMatchObject({ scope: ws.id, level: "CanNotDelete" });
        const component = one(applied, "azure-openai-lz:logging:AuditLogging");
        for (const r of [ws, lock, ...ofType(applied, types.scheduledQueryRule)]) expect(r.parent).toBe(component.urn);
        for (const r of [...ofType(applied, types.workspaceTable), ...ofType(applied, types.savedSearch)])
            expect(r.parent).toBe(ws.urn);
    });

    it("creates alert rules only after the tables they query", () => {
        const tables = ofType(applied, types.workspaceTable).map((t) => t.urn);
        for (const rule of ofType(applied, types.scheduledQueryRule))
            expect(rule.dependencies).toEqual(expect.arrayContaining(tables));
    });

    it("in preview, alert scopes and the lock wait for the workspace id", () => {
        for (const rule of ofType(preview, types.scheduledQueryRule))
            expect(rule.inputs.scopes).toEqual([unknownSentinel]);
        expect(one(preview, types.managementLock).inputs.scope).toBe(unknownSentinel);
        expect(one(preview, types.workspace).id).toBeUndefined();
    });

    it("without lock or protect (non-production) creates no lock and leaves the workspace unprotected", async () => {
        const dev = await run(
            args({
                protect: false,
                lock: undefined,
                roleAssignments: [
                    {
                        key: "auditors",
                        principalId: "2c4e6a8b-0d1f-4e3a-9b5c-7d9e1f3a5b7c",
                        principalType: "Group",
                        role: "logAnalyticsReader",
                    },
                ],
                subscriptionId: placeholderClient.subscriptionId,
            }),
        );
        expect(ofType(dev, types.managementLock)).toHaveLength(0);
        expect(one(dev, types.workspace).protect).toBe(false);
        expect(one(dev, types.roleAssignment).inputs).toMatchObject({
            scope: one(dev, types.workspace).id,
            principalType: "Group",
        });
    });
});

describe("unexpectedCallerQuery", () => {
    it("reads Azure's masked last octet as .0 before the range check", () => {
        expect(unexpectedCallerQuery(["10.0.0.0/8"])).toContain('replace_string(CallerIPAddress, "***", "0")');
        expect(unexpectedCallerQuery(["10.0.0.0/8"])).toContain(
            'not(ipv4_is_in_any_range(CallerIp, dynamic(["10.0.0.0/8"])))',
        );
    });
});

describe("validateAuditLoggingArgs", () => {
    it.each([
        [
            { retention: { interactiveDays: 7, totalDays: 365 } },
            /retention\.interactiveDays: 7 expected a whole number of days from 30 to 730/,
        ],
        [
            { retention: { interactiveDays: 90, totalDays: 30 } },
            /retention\.totalDays: 30 expected .* from retention\.interactiveDays \(90\) to 4383/,
        ],
        [{ retention: { interactiveDays: 90, totalDays: 5000 } }, /retention\.totalDays: 5000/],
        [{ clientAddressPrefixes: [] }, /clientAddressPrefixes: expected at least one CIDR/],
        [
            { clientAddressPrefixes: ["10.0.0.300/8"] },
            /clientAddressPrefixes\[0\]: '10\.0\.0\.300\/8' expected an IPv4 CIDR/,
        ],
        [{ alertThresholds: { authFailures: 0 } }, /alertThresholds\.authFailures: 0 expected/],
        [
            {
                roleAssignments: [
                    { key: "k", principalId: "x", principalType: "Group" as const, role: "reader" as const },
                ],
            },
            /subscriptionId: expected with roleAssignments/,
        ],
    ])("rejects %j naming the argument", (bad, message) => {
        expect(() => validateAuditLoggingArgs({ ...args(), ...bad })).toThrow(message);
    });

    it("accepts every profile's retention", async () => {
        const { profiles } = await import("../../catalogue/profiles");
        for (const p of Object.values(profiles))
            expect(() => validateAuditLoggingArgs({ ...args(), retention: p.minimumLogRetention })).not.toThrow();
    });
});

describe("AuditLogging with a private link (profiles that require private monitoring)", () => {
    const subnetId =
        "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe";
    const vnetId =
        "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet";
    const hubScope =
        "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-hub/providers/Microsoft.Insights/privateLinkScopes/ampls-hub";
    let own: ProgramRun;
    let hub: ProgramRun;
    beforeAll(async () => {
        own = await run(args({ privateLink: { subnetId, vnetId } }));
        hub = await run(args({ privateLink: { existingScopeId: hubScope } }));
    });

    it("refuses public ingestion and queries on the workspace; without privateLink they are left to Azure", async () => {
        for (const r of [own, hub])
            expect(one(r, types.workspace).inputs).toMatchObject({
                publicNetworkAccessForIngestion: "Disabled",
                publicNetworkAccessForQuery: "Disabled",
            });
        const open = one(await run(args()), types.workspace).inputs;
        expect(open.publicNetworkAccessForIngestion).toBeUndefined();
    });

    it("creates a private-only, global AMPLS, scopes the workspace into it, then a private endpoint registering in the five Azure Monitor zones linked to the VNet", async () => {
        const { azureMonitorPrivateDnsZones } = await import("../../catalogue/azure");
        const scope = one(own, types.privateLinkScope);
        expect(scope.inputs).toMatchObject({
            location: "global",
            accessModeSettings: { ingestionAccessMode: "PrivateOnly", queryAccessMode: "PrivateOnly" },
        });
        const scoped = one(own, types.privateLinkScopedResource);
        expect(scoped.inputs.linkedResourceId).toBe(one(own, types.workspace).id);
        expect(scoped.parent).toBe(scope.urn);
        const pe = one(own, types.privateEndpoint);
        expect(pe.inputs).toMatchObject({
            location: "australiaeast",
            subnet: { id: subnetId },
            privateLinkServiceConnections: [{ privateLinkServiceId: scope.id, groupIds: ["azuremonitor"] }],
        });
        expect(pe.dependencies).toContain(scoped.urn);
        expect(
            ofType(own, types.privateZone)
                .map((z) => z.inputs.privateZoneName)
                .sort(),
        ).toEqual(Object.values(azureMonitorPrivateDnsZones).sort());
        for (const link of ofType(own, types.virtualNetworkLink))
            expect(link.inputs).toMatchObject({
                virtualNetwork: { id: vnetId },
                registrationEnabled: false,
                location: "global",
            });
        const zoneIds = (
            one(own, types.privateDnsZoneGroup).inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]
        )
            .map((z) => z.privateDnsZoneId)
            .sort();
        expect(zoneIds).toEqual(
            ofType(own, types.privateZone)
                .map((z) => z.id)
                .sort(),
        );
    });

    it("joins the hub's AMPLS instead, creating only the scoped resource there", () => {
        expect(ofType(hub, types.privateLinkScope)).toEqual([]);
        expect(ofType(hub, types.privateEndpoint)).toEqual([]);
        expect(one(hub, types.privateLinkScopedResource).inputs).toMatchObject({
            scopeName: "ampls-hub",
            resourceGroupName: "rg-hub",
            linkedResourceId: one(hub, types.workspace).id,
        });
    });

    it.each([
        [
            {
                privateLink: {
                    existingScopeId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z",
                },
            },
            /privateLink\.existingScopeId: .* expected \/subscriptions\/<guid>\/resourceGroups\/<rg>\/providers\/Microsoft\.Insights\/privateLinkScopes\/<name>/,
        ],
        [
            { privateLink: { subnetId, privateDnsZoneIds: ["/z1"] } },
            /privateLink\.privateDnsZoneIds: 1 zone id\(s\), expected the 5 Azure Monitor zones/,
        ],
    ])("rejects %j naming the argument", (bad, message) => {
        expect(() => validateAuditLoggingArgs({ ...args(), ...bad })).toThrow(message);
    });
});
