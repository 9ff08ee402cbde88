import { ProgramRun, runProgram } from "../../plan/mock-runtime";
import { types } from "../../catalogue/azure";
import { DeploymentConfig } from "../../catalogue/stack-schema";
import { validateModelDeploymentsArgs } from "../../components/model-deployments";
import { ofType, one } from "../support/resources";

const deployments: DeploymentConfig[] = [
    {
        name: "chat",
        model: "gpt-5.1",
        version: "2025-11-13",
        sku: "DataZoneStandard",
        capacity: 50,
        versionUpgradeOption: "NoAutoUpgrade",
    },
    {
        name: "chat-mini",
        model: "gpt-5.2",
        version: "2025-12-11",
        sku: "DataZoneStandard",
        capacity: 100,
        versionUpgradeOption: "NoAutoUpgrade",
    },
    {
        name: "embeddings",
        model: "text-embedding-3-large",
        version: "1",
        sku: "Standard",
        capacity: 120,
        versionUpgradeOption: "OnceCurrentVersionExpired",
    },
];

/** Deployments on an account, bound to a real ContentFilter, as the composite wires them. */
async function run(preview: boolean): Promise<ProgramRun> {
    return runProgram({
        project: "p",
        stack: "s",
        config: {},
        preview,
        program: async () => {
            const cs = await import("@pulumi/azure-native/cognitiveservices");
            const { ContentFilter } = await import("../../components/content-filter");
            const { ModelDeployments } = await import("../../components/model-deployments");
            const account = new cs.Account("acct", { resourceGroupName: "rg-x", accountName: "oai-x", kind: "OpenAI" });
            const filter = new ContentFilter("filter", {
                resourceGroupName: "rg-x",
                accountName: account.name,
                tags: {},
                dlpPatterns: ["email"],
            });
            const models = new ModelDeployments("models", {
                resourceGroupName: "rg-x",
                accountName: account.name,
                tags: { owner: "team" },
                deployments,
                contentFilter: filter.binding,
            });
            return { deploymentNames: models.deploymentNames, deploymentIds: models.deploymentIds };
        },
    });
}

describe("ModelDeployments", () => {
    let applied: ProgramRun;
    let preview: ProgramRun;
    beforeAll(async () => {
        applied = await run(false);
        preview = await run(true);
    });

    it("creates one deployment per entry with model, version, SKU, capacity, upgrade option and the content filter", () => {
        for (const r of [applied, preview]) {
            const created = ofType(r, types.deployment);
            expect(created).toHaveLength(3);
            created.forEach((dep, i) => {
                const d = deployments[i];
                expect(dep.inputs).toMatchObject({
                    deploymentName: d.name,
                    accountName: r.preview ? expect.any(String) : "oai-x",
                    resourceGroupName: "rg-x",
                    sku: { name: d.sku, capacity: d.capacity },
                    properties: {
                        model: { format: "OpenAI", name: d.model, version: d.version },
                        versionUpgradeOption: d.versionUpgradeOption,
                        raiPolicyName: "landing-zone-strict",
                    },
                });
            });
        }
    });

    it("chains the deployments: each waits for the previous one and for the policy", () => {
        for (const r of [applied, preview]) {
            const [first, second, third] = ofType(r, types.deployment);
            const policy = one(r, types.raiPolicy);
            expect(first.dependencies).toContain(policy.urn);
            expect(first.dependencies.some((u) => u.includes("cognitiveservices:Deployment"))).toBe(false);
            expect(second.dependencies).toEqual(expect.arrayContaining([policy.urn, first.urn]));
            expect(third.dependencies).toEqual(expect.arrayContaining([policy.urn, second.urn]));
            expect(first.propertyDependencies.accountName).toEqual([one(r, types.account).urn]);
        }
    });

    it("parents the deployments under the component", () => {
        const component = one(applied, "azure-openai-lz:ai:ModelDeployments");
        for (const dep of ofType(applied, types.deployment)) expect(dep.parent).toBe(component.urn);
    });

    it("outputs names and ids only", () => {
        expect(applied.outputs.deploymentNames).toEqual(["chat", "chat-mini", "embeddings"]);
        expect(applied.outputs.deploymentIds).toEqual(ofType(applied, types.deployment).map((d) => d.id));
        expect(one(preview, "azure-openai-lz:ai:ModelDeployments").outputs?.deploymentNames).toEqual([
            "chat",
            "chat-mini",
            "embeddings",
        ]);
    });

    it("rejects bad arguments synchronously, naming each one", () => {
        const binding = { policyName: "landing-zone-strict", readyAfter: [] };
        expect(() => validateModelDeploymentsArgs({ deployments: [], contentFilter: binding })).toThrow(
            /deployments: expected at least one model deployment/,
        );
        expect(() =>
            validateModelDeploymentsArgs({ deployments: [deployments[0], deployments[0]], contentFilter: binding }),
        ).toThrow(/deployments\[1\].name: duplicate deployment name 'chat'/);
        expect(() =>
            validateModelDeploymentsArgs({ deployments: [{ ...deployments[0], capacity: 0 }], contentFilter: binding }),
        ).toThrow(/deployments\[0\].capacity:/);
        expect(() =>
            validateModelDeploymentsArgs({
                deployments: [{ ...deployments[0], sku: "Global" as never }],
                contentFilter: binding,
            }),
        ).toThrow(/deployments\[0\].sku: expected one of/);
        expect(() =>
            validateModelDeploymentsArgs({ deployments, contentFilter: { policyName: " ", readyAfter: [] } }),
        ).toThrow(/contentFilter.policyName: expected/);
        expect(() => validateModelDeploymentsArgs({ deployments, contentFilter: binding })).not.toThrow();
    });

    it("refuses a model version past its retirement (Azure answers it with errors), naming the date and a current replacement", () => {
        const binding = { policyName: "landing-zone-strict", readyAfter: [] };
        const retired: DeploymentConfig = {
            name: "old",
            model: "gpt-4o",
            version: "2024-11-20",
            sku: "DataZoneStandard",
            capacity: 1,
            versionUpgradeOption: "NoAutoUpgrade",
        };
        expect(() =>
            validateModelDeploymentsArgs({ deployments: [retired], contentFilter: binding, today: "2026-11-27" }),
        ).toThrow(
            /deployments\[0\]\.version: gpt-4o 2024-11-20 retired on 2026-10-01: expected a current model, e\.g\. gpt-5\.1 2025-11-13/,
        );
        // The day before, it still works; the retirement date itself is the first day of errors.
        expect(() =>
            validateModelDeploymentsArgs({ deployments: [retired], contentFilter: binding, today: "2026-09-30" }),
        ).not.toThrow();
        expect(() =>
            validateModelDeploymentsArgs({ deployments: [retired], contentFilter: binding, today: "2026-10-01" }),
        ).toThrow(/retired on 2026-10-01/);
        // gpt-4o-mini's Standard deployments retired earlier than its other SKUs.
        const mini: DeploymentConfig = { ...retired, model: "gpt-4o-mini", version: "2024-07-18", sku: "Standard" };
        expect(() =>
            validateModelDeploymentsArgs({ deployments: [mini], contentFilter: binding, today: "2026-04-01" }),
        ).toThrow(/retired on 2026-03-31/);
        expect(() =>
            validateModelDeploymentsArgs({
                deployments: [{ ...mini, sku: "DataZoneStandard" }],
                contentFilter: binding,
                today: "2026-04-01",
            }),
        ).not.toThrow();
    });
});
