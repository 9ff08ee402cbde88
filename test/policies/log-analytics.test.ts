/**
 * The Log Analytics family: replication residency, local auth and (per profile) public access of the workspace on the
 * azure-native, classic and generic routes; the AMPLS's private-only mode; and, per profile, the workspace's private
 * link scope with its private endpoint, in update and in preview.
 */
import { types } from "../../catalogue/azure";
import { PackPolicy } from "../../policies/core";
import {
    appInsightsLocalAuth,
    privateLinkScopeAccessMode,
    workspaceLocalAuth,
    workspacePrivateLinkScope,
    workspacePublicNetworkAccess,
    workspaceReplication,
} from "../../policies/log-analytics";
import { buildStack, ResourceFixture, runResource, runStack, StackFixture, UNKNOWN, urnOf } from "./harness";
import { classicWorkspace, compliantStack, mutate, privateLinkScope, vault, workspace, workspaceId } from "./fixtures";

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const fixture =
    (type: string, name: string, base: () => Props) =>
    (change: (p: Props) => void = () => undefined): ResourceFixture => {
        const p = clone(base());
        change(p);
        return { type, name, props: p };
    };
const native = fixture(types.workspace, "law", workspace);
const classic = fixture(types.classicWorkspace, "law-classic", classicWorkspace);
const generic = fixture(types.genericResource, "law-generic", () => {
    const { workspaceName: _n, resourceGroupName, location, tags, ...properties } = workspace();
    return {
        resourceProviderNamespace: "Microsoft.OperationalInsights",
        resourceType: "workspaces",
        parentResourcePath: "",
        resourceName: "law-generic",
        apiVersion: "2025-02-01",
        resourceGroupName,
        location,
        tags,
        properties,
    };
});
/** A workspace of the 2025-02-01 API (a local SDK package), the one that has `replication`. */
const versioned = (change: (p: Props) => void = () => undefined): ResourceFixture => ({
    ...native(change),
    type: "azure-native:operationalinsights/v20250201:Workspace",
});
const ampls = fixture(types.privateLinkScope, "ampls", privateLinkScope);
const classicAmpls = fixture(types.classicPrivateLinkScope, "ampls-classic", () => ({
    name: "ampls-classic",
    resourceGroupName: "rg",
    ingestionAccessMode: "PrivateOnly",
    queryAccessMode: "PrivateOnly",
}));
const genericAmpls = fixture(types.genericResource, "ampls-generic", () => ({
    resourceProviderNamespace: "microsoft.insights",
    resourceType: "privateLinkScopes",
    location: "global",
    properties: { accessModeSettings: privateLinkScope().accessModeSettings },
}));
const insights = fixture("azure-native:applicationinsights:Component", "appi", () => ({
    resourceName: "appi-gw",
    kind: "web",
    applicationType: "web",
    location: "westeurope",
    ingestionMode: "LogAnalytics",
    disableLocalAuth: true,
}));
const classicInsights = fixture("azure:appinsights/insights:Insights", "appi-classic", () => ({
    name: "appi-classic",
    applicationType: "web",
    location: "westeurope",
    localAuthenticationEnabled: false,
}));
const genericInsights = fixture(types.genericResource, "appi-generic", () => ({
    resourceProviderNamespace: "Microsoft.Insights",
    resourceType: "components",
    location: "westeurope",
    properties: { Application_Type: "web", DisableLocalAuth: true },
}));
const eu = { allowedRegions: ["westeurope", "swedencentral"] };
const privately = { requirePrivateAccess: true };

type Case = [string, PackPolicy, ResourceFixture, string, string, Record<string, unknown>];
const broken: Case[] = [
    [
        "replica outside the profile's regions",
        workspaceReplication,
        versioned((p) => (p.replication = { enabled: true, location: "eastus" })),
        'replication.location is "eastus", outside the allowed regions',
        "replicate to one of westeurope, swedencentral",
        eu,
    ],
    [
        "replication enabled with no replica region",
        workspaceReplication,
        versioned((p) => (p.replication = { enabled: true })),
        "replication.location is not set",
        "replicate to one of",
        eu,
    ],
    [
        "generic: replica outside the profile's regions",
        workspaceReplication,
        generic((p) => (p.properties.replication = { enabled: true, location: "East US" })),
        'properties.replication.location is "East US"',
        "westeurope",
        eu,
    ],
    [
        "local auth left on",
        workspaceLocalAuth,
        native((p) => (p.features.disableLocalAuth = false)),
        "features.disableLocalAuth is false, so the workspace keys stay usable",
        "set it to true",
        {},
    ],
    [
        "local auth left to Azure's default",
        workspaceLocalAuth,
        native((p) => delete p.features),
        "features.disableLocalAuth is not set",
        "set it to true",
        {},
    ],
    [
        "classic: local auth on",
        workspaceLocalAuth,
        classic((p) => (p.localAuthenticationEnabled = true)),
        "localAuthenticationEnabled is true",
        "localAuthenticationEnabled = false",
        {},
    ],
    [
        "generic: local auth on",
        workspaceLocalAuth,
        generic((p) => delete p.properties.features.disableLocalAuth),
        "properties.features.disableLocalAuth is not set",
        "set it to true",
        {},
    ],
    [
        "public ingestion",
        workspacePublicNetworkAccess,
        native((p) => (p.publicNetworkAccessForIngestion = "Enabled")),
        'publicNetworkAccessForIngestion is "Enabled"',
        '"Disabled"',
        privately,
    ],
    [
        "public queries left to Azure's default",
        workspacePublicNetworkAccess,
        native((p) => delete p.publicNetworkAccessForQuery),
        "publicNetworkAccessForQuery is not set (Azure defaults to Enabled)",
        '"Disabled"',
        privately,
    ],
    [
        "classic: internet queries",
        workspacePublicNetworkAccess,
        classic((p) => delete p.internetQueryEnabled),
        "internetQueryEnabled is not set (the classic provider defaults to true)",
        "internetQueryEnabled = false",
        privately,
    ],
    [
        "generic: public ingestion",
        workspacePublicNetworkAccess,
        generic((p) => (p.properties.publicNetworkAccessForIngestion = "Enabled")),
        'properties.publicNetworkAccessForIngestion is "Enabled"',
        '"Disabled"',
        privately,
    ],
    [
        "AMPLS open for queries",
        privateLinkScopeAccessMode,
        ampls((p) => (p.accessModeSettings.queryAccessMode = "Open")),
        'accessModeSettings.queryAccessMode is "Open"',
        '"PrivateOnly"',
        {},
    ],
    [
        "classic: AMPLS open by default",
        privateLinkScopeAccessMode,
        classicAmpls((p) => delete p.ingestionAccessMode),
        "ingestionAccessMode is not set (Azure's default is Open)",
        '"PrivateOnly"',
        {},
    ],
    [
        "generic: AMPLS open for ingestion",
        privateLinkScopeAccessMode,
        genericAmpls((p) => (p.properties.accessModeSettings.ingestionAccessMode = "Open")),
        'properties.accessModeSettings.ingestionAccessMode is "Open"',
        '"PrivateOnly"',
        {},
    ],
    [
        "Application Insights ingesting with the instrumentation key",
        appInsightsLocalAuth,
        insights((p) => delete p.disableLocalAuth),
        "disableLocalAuth is not set, so the instrumentation key alone can ingest",
        "set it to true",
        {},
    ],
    [
        "classic: Application Insights with local auth",
        appInsightsLocalAuth,
        classicInsights((p) => (p.localAuthenticationEnabled = true)),
        "localAuthenticationEnabled is true",
        "localAuthenticationEnabled = false",
        {},
    ],
    [
        "generic: Application Insights with local auth",
        appInsightsLocalAuth,
        genericInsights((p) => (p.properties.DisableLocalAuth = false)),
        "properties.DisableLocalAuth is false",
        "set it to true",
        {},
    ],
];

describe("Log Analytics resource rules", () => {
    it.each(broken)(
        "%s: a violation naming the resource, the property and the fix",
        async (_label, policy, resource, property, fix, config) => {
            const out = await runResource(policy, resource, config);
            expect(out.notEvaluated).toBeUndefined();
            const message =
                out.violations.find((v) => v.message.includes(property))?.message ??
                `no violation names ${property}: ${JSON.stringify(out)}`;
            expect(message).toContain(`'${resource.name}'`);
            expect(message).toContain(fix);
        },
    );

    const compliant: [PackPolicy, ResourceFixture[], Record<string, unknown>][] = [
        [
            workspaceReplication,
            [
                native(),
                generic(),
                versioned((p) => (p.replication = { enabled: true, location: "swedencentral" })),
                versioned((p) => (p.replication = { enabled: false, location: "eastus" })),
            ],
            eu,
        ],
        [
            workspaceLocalAuth,
            [
                native(),
                classic(),
                generic(),
                classic((p) => {
                    delete p.localAuthenticationEnabled;
                    p.localAuthenticationDisabled = true;
                }),
            ],
            {},
        ],
        [workspacePublicNetworkAccess, [native(), classic(), generic()], privately],
        [privateLinkScopeAccessMode, [ampls(), classicAmpls(), genericAmpls()], {}],
        [appInsightsLocalAuth, [insights(), classicInsights(), genericInsights()], {}],
    ];
    it.each(compliant.map(([p, rs, c]) => [p.name, p, rs, c] as const))(
        "%s: compliant native, classic and generic resources pass; other types are not-applicable",
        async (_n, policy, resources, config) => {
            for (const r of resources)
                expect({ name: r.name, ...(await runResource(policy, r, config)) }).toEqual({
                    name: r.name,
                    violations: [],
                });
            expect(
                (await runResource(policy, { type: types.vault, name: "kv", props: vault() }, config)).notApplicable,
            ).toMatch(/^applies to .* only$/);
            expect(
                (
                    await runResource(
                        policy,
                        {
                            type: types.genericResource,
                            name: "st",
                            props: { resourceProviderNamespace: "Microsoft.Storage", resourceType: "storageAccounts" },
                        },
                        config,
                    )
                ).notApplicable,
            ).toMatch(/^generic resource of "Microsoft.Storage\/storageAccounts"/);
        },
    );

    it("public access is not-applicable where the profile does not require private access (the eu-gdpr config)", async () => {
        expect(
            (
                await runResource(
                    workspacePublicNetworkAccess,
                    native((p) => (p.publicNetworkAccessForQuery = "Enabled")),
                    { requirePrivateAccess: false },
                )
            ).notApplicable,
        ).toMatch(/does not require private access/);
        // With no config the baseline is strict: the same workspace is refused.
        expect(
            (
                await runResource(
                    workspacePublicNetworkAccess,
                    native((p) => (p.publicNetworkAccessForQuery = "Enabled")),
                )
            ).violations,
        ).toHaveLength(1);
    });

    it("an unknown replica region or local-auth flag (preview) is not-evaluated", async () => {
        expect(
            (
                await runResource(
                    workspaceReplication,
                    versioned((p) => (p.replication = { enabled: true, location: UNKNOWN })),
                    eu,
                )
            ).notEvaluated,
        ).toMatch(/replication.location/);
        expect(
            (
                await runResource(
                    workspaceLocalAuth,
                    native((p) => (p.features = UNKNOWN)),
                )
            ).notEvaluated,
        ).toMatch(/features/);
    });
});

describe.each([
    ["update", false],
    ["preview", true],
] as const)("workspace private link scope, %s", (_mode, preview) => {
    const run = (fixtures: StackFixture[], config: Record<string, unknown> = privately) =>
        runStack(workspacePrivateLinkScope, buildStack("eu-prod", fixtures), config);
    const drop = (...names: string[]) => compliantStack(preview).filter((f) => !names.includes(f.name));

    it("passes a workspace scoped into an AMPLS with an azuremonitor private endpoint, or into the hub's AMPLS", async () => {
        expect(await run(compliantStack(preview))).toEqual({ violations: [] });
        const hub = mutate(drop("ampls", "ampls-pe", "ampls-pe-dns"), "ampls-law", (f) => {
            delete f.parent;
            delete f.deps!.scopeName;
            (f.props as Props).scopeName = "ampls-hub";
            (f.props as Props).resourceGroupName = "rg-hub";
        });
        expect(await run(hub)).toEqual({ violations: [] });
    });

    it("is not-applicable where the profile does not require private access", async () => {
        expect((await run(drop("ampls-law"), { requirePrivateAccess: false })).notApplicable).toMatch(
            /does not require private access/,
        );
    });

    it.each([
        ["no scoped resource", () => drop("ampls-law"), "private link scope is missing"],
        [
            "an AMPLS without a private endpoint",
            () => drop("ampls-pe", "ampls-pe-dns"),
            'is scoped into ampls, which has no private endpoint with group id "azuremonitor"',
        ],
        [
            "an endpoint for another group id",
            () =>
                mutate(compliantStack(preview), "ampls-pe", (f) => {
                    (f.props as Props).privateLinkServiceConnections[0].groupIds = ["blob"];
                }),
            'no private endpoint with group id "azuremonitor"',
        ],
    ])("refuses a workspace with %s", async (_l, fixtures, message) => {
        const out = await run(fixtures());
        expect(out.violations).toHaveLength(1);
        expect(out.violations[0]).toMatchObject({ urn: urnOf("eu-prod", types.workspace, "law") });
        expect(out.violations[0].message).toContain(message);
    });

    it("follows the workspace link by id when known", async () => {
        if (preview) return;
        const byId = mutate(compliantStack(false), "ampls-law", (f) => {
            delete f.deps!.linkedResourceId;
            (f.props as Props).linkedResourceId = workspaceId;
        });
        expect(await run(byId)).toEqual({ violations: [] });
    });
});
