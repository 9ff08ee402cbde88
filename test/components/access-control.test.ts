import { PlannedResource, ProgramRun, runProgram, unknownSentinel } from "../../plan/mock-runtime";
import { placeholderClient, placeholderGuid } from "../../plan/placeholders";
import { builtInRoles, types } from "../../catalogue/azure";
import type { AccessControlArgs } from "../../components/access-control";
import { ofType } from "../support/resources";

const accountId =
    "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-x/providers/Microsoft.CognitiveServices/accounts/oai-x";
const workspaceId =
    "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-x/providers/Microsoft.OperationalInsights/workspaces/log-x";
const devA = "6b1f0d4e-2c3a-4f5b-9e8d-7a6c5b4e3d21";
const devB = "4d6f8a0b-2c4e-4f6a-8b0d-2e4f6a8b0c1d";
const ds = "8e2d4c6b-1a3f-4e5d-b7c9-0f1e2d3c4b5a";

function args(overrides: Partial<AccessControlArgs> = {}): AccessControlArgs {
    return {
        resourceGroupName: "rg-x",
        location: "westeurope",
        tags: { owner: "team" },
        subscriptionId: placeholderClient.subscriptionId,
        accountId,
        workspaceId,
        namePrefix: "contoso-x",
        developers: { groupObjectIds: [devA, devB], groupDisplayNames: ["sg-ai-developers"] },
        dataScientists: { groupObjectIds: [ds] },
        securityAuditors: { groupDisplayNames: ["SG Security Ops"] },
        applications: [{ name: "chat-api" }, { name: "indexer" }],
        ...overrides,
    };
}

async function run(a: AccessControlArgs, preview = false): Promise<ProgramRun> {
    return runProgram({
        project: "p",
        stack: "s",
        config: {},
        preview,
        program: async () => {
            const { AccessControl } = await import("../../components/access-control");
            const ac = new AccessControl("ac", a);
            return {
                clientIds: ac.appIdentityClientIds,
                principalIds: ac.appIdentityPrincipalIds,
                roleAssignmentIds: ac.roleAssignmentIds,
            };
        },
    });
}

const input = <T = string>(r: PlannedResource, key: string) => r.inputs[key] as T;

describe("AccessControl", () => {
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        applied = await run(args());
        preview = await run(args(), true);
    });

    it("creates one identity per application and one assignment per persona group, auditors twice, apps once", () => {
        expect(
            ofType(applied, types.userAssignedIdentity)
                .map((r) => input(r, "resourceName"))
                .sort(),
        ).toEqual(["id-contoso-x-chat-api", "id-contoso-x-indexer"]);
        const assignments = ofType(applied, types.roleAssignment);
        expect(assignments).toHaveLength(3 + 1 + 2 + 2);
        expect(applied.resources.map((r) => r.type).sort()).toEqual(
            [
                "azure-openai-lz:access:AccessControl",
                ...Array(8).fill(types.roleAssignment),
                ...Array(2).fill(types.userAssignedIdentity),
                "pulumi:pulumi:Stack",
            ].sort(),
        );
    });

    it("grants each persona its role of the design, on the right scope, only to groups or service principals", () => {
        const byRole = (role: keyof typeof builtInRoles, scope: string) =>
            ofType(applied, types.roleAssignment).filter(
                (r) =>
                    input(r, "roleDefinitionId") ===
                        `/subscriptions/${placeholderClient.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles[role]}` &&
                    input(r, "scope") === scope,
            );
        const devNameId = placeholderGuid("azuread-group/sg-ai-developers");
        const auditorId = placeholderGuid("azuread-group/SG Security Ops");
        expect(
            byRole("cognitiveServicesOpenAiUser", accountId)
                .filter((r) => input(r, "principalType") === "Group")
                .map((r) => input(r, "principalId"))
                .sort(),
        ).toEqual([devA, devB, devNameId].sort());
        expect(byRole("cognitiveServicesOpenAiContributor", accountId).map((r) => input(r, "principalId"))).toEqual([
            ds,
        ]);
        expect(byRole("reader", accountId).map((r) => input(r, "principalId"))).toEqual([auditorId]);
        expect(byRole("logAnalyticsReader", workspaceId).map((r) => input(r, "principalId"))).toEqual([auditorId]);
        const apps = byRole("cognitiveServicesOpenAiUser", accountId).filter(
            (r) => input(r, "principalType") === "ServicePrincipal",
        );
        const identityPrincipals = ofType(applied, types.userAssignedIdentity).map((r) =>
            placeholderGuid(`${types.userAssignedIdentity}/${r.name}/principalId`),
        );
        expect(apps.map((r) => input(r, "principalId")).sort()).toEqual(identityPrincipals.sort());
        for (const r of ofType(applied, types.roleAssignment))
            expect(["Group", "ServicePrincipal"]).toContain(input(r, "principalType"));
    });

    it("looks display names up as security-enabled groups", () => {
        const lookups = applied.invokes.filter((i) => i.token === "azuread:index/getGroup:getGroup").map((i) => i.args);
        expect(lookups).toEqual(
            expect.arrayContaining([
                expect.objectContaining({ displayName: "sg-ai-developers", securityEnabled: true }),
                expect.objectContaining({ displayName: "SG Security Ops", securityEnabled: true }),
            ]),
        );
        expect(lookups).toHaveLength(2);
        expect(applied.invokes.every((i) => i.token === "azuread:index/getGroup:getGroup")).toBe(true);
    });

    it("names assignments from persona and group, so reordering the config changes nothing", async () => {
        const reordered = await run(
            args({
                developers: { groupObjectIds: [devB, devA], groupDisplayNames: ["sg-ai-developers"] },
                applications: [{ name: "indexer" }, { name: "chat-api" }],
            }),
        );
        const names = (r: ProgramRun) =>
            Object.fromEntries(ofType(r, types.roleAssignment).map((x) => [x.name, input(x, "roleAssignmentName")]));
        expect(names(reordered)).toEqual(names(applied));
        expect(Object.keys(names(applied))).toEqual(
            expect.arrayContaining([
                `ac-role-developers-${devA}`,
                "ac-role-developers-sg-ai-developers",
                "ac-role-securityAuditors-sg-security-ops-logs",
                "ac-role-app-chat-api",
            ]),
        );
        for (const guid of Object.values(names(applied)))
            expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(new Set(Object.values(names(applied))).size).toBe(8);
    });

    it("parents every child to the component", () => {
        const component = applied.resources.find((r) => r.type === "azure-openai-lz:access:AccessControl")!;
        for (const r of applied.resources.filter((x) => x.custom)) expect(r.parent).toBe(component.urn);
        expect(
            ofType(applied, types.userAssignedIdentity).every(
                (r) => (r.inputs.tags as Record<string, string>).owner === "team",
            ),
        ).toBe(true);
    });

    it("outputs the client id of each application's identity (what ManagedIdentityCredential needs)", () => {
        const identity = (n: string) => placeholderGuid(`${types.userAssignedIdentity}/ac-app-${n}/clientId`);
        expect(applied.outputs.clientIds).toEqual({ "chat-api": identity("chat-api"), indexer: identity("indexer") });
        expect(applied.outputs.roleAssignmentIds).toHaveLength(8);
    });

    it("in preview, application grants wait for the identity's principal id", () => {
        const apps = ofType(preview, types.roleAssignment).filter(
            (r) => input(r, "principalType") === "ServicePrincipal",
        );
        expect(apps).toHaveLength(2);
        for (const r of apps) expect(input(r, "principalId")).toBe(unknownSentinel);
        const groups = ofType(preview, types.roleAssignment).filter((r) => input(r, "principalType") === "Group");
        for (const r of groups) expect(input(r, "principalId")).toMatch(/^[0-9a-f-]{36}$/);
        const stackOutputs = preview.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.outputs!;
        expect(stackOutputs.clientIds).toBe(unknownSentinel);
    });
});

describe("validateAccessControlArgs", () => {
    let validate: typeof import("../../components/access-control").validateAccessControlArgs;
    beforeAll(async () => {
        validate = (await import("../../components/access-control")).validateAccessControlArgs;
    });

    it.each([
        [
            { developers: { groupDisplayNames: ["alice@contoso.com"] } },
            /developers\.groupDisplayNames\[0\]: 'alice@contoso\.com' looks like a user principal name/,
        ],
        [
            { dataScientists: { groupObjectIds: ["not-a-guid"] } },
            /dataScientists\.groupObjectIds\[0\]: 'not-a-guid' is not an object id: expected a GUID/,
        ],
        [
            { securityAuditors: { groupObjectIds: [devA] }, workspaceId: undefined },
            /workspaceId: security auditors .* expected the workspace id/,
        ],
        [{ applications: [{ name: "api" }, { name: "api" }] }, /applications\[1\]\.name: duplicate application 'api'/],
        [{ applications: [{ name: "Bad_Name" }] }, /applications\[0\]\.name: 'Bad_Name' expected/],
        [{ developers: { groupObjectIds: [devA, devA.toUpperCase()] } }, /developers: '.*' is listed twice/],
    ])("rejects %j naming the argument", (bad, message) => {
        expect(() => validate({ ...args(), ...bad } as AccessControlArgs)).toThrow(message);
    });

    it("accepts the reference arguments", () => {
        expect(() => validate(args())).not.toThrow();
    });
});
