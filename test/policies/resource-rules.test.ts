/** Resource rules beyond the account: deployment SKU and models, locations, tags, and the bypass routes. */
import { types } from "../../catalogue/azure";
import { genericBypass } from "../../policies/bypass";
import { approvedModel, deploymentSku } from "../../policies/deployments";
import { allowedLocations } from "../../policies/location";
import { requiredTags } from "../../policies/tags";
import { runResource, UNKNOWN } from "./harness";
import { account, classicDeployment, deployment, tags } from "./fixtures";

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const nativeDeployment = (fn: (p: Props) => void = () => undefined) => {
    const p: Props = deployment();
    fn(p);
    return { type: types.deployment, name: "chat-gpt4o", props: p };
};
const classic = (fn: (p: Props) => void = () => undefined) => {
    const p: Props = classicDeployment();
    fn(p);
    return { type: types.classicDeployment, name: "chat-classic", props: p };
};

describe("deployment SKU residency", () => {
    it("refuses a Global SKU, naming where it processes prompts", async () => {
        const out = await runResource(
            deploymentSku,
            nativeDeployment((p) => (p.sku.name = "GlobalStandard")),
        );
        expect(out.violations[0].message).toMatch(
            /^Deployment 'chat-gpt4o': sku.name is "GlobalStandard", which processes prompts in any Azure region: use one of /,
        );
    });
    it("refuses a data-zone SKU under a profile without a data zone (au-irap config)", async () => {
        const out = await runResource(deploymentSku, classic(), { allowedSkus: ["Standard", "ProvisionedManaged"] });
        expect(out.violations[0].message).toContain("processes prompts anywhere in its data zone");
    });
    it("passes the allowed SKUs; an unknown SKU is not-evaluated", async () => {
        expect((await runResource(deploymentSku, classic())).violations).toEqual([]);
        expect(
            (
                await runResource(
                    deploymentSku,
                    nativeDeployment((p) => (p.sku.name = UNKNOWN)),
                )
            ).notEvaluated,
        ).toMatch(/sku/);
    });
    it("is not-applicable to accounts", async () => {
        expect(
            (await runResource(deploymentSku, { type: types.account, name: "a", props: account() })).notApplicable,
        ).toContain("Deployment only");
    });
});

describe("approved models", () => {
    it.each([
        [
            "an unapproved model",
            (p: Props) => (p.properties.model.name = "gpt-3.5-turbo"),
            'properties.model.name is "gpt-3.5-turbo", not an approved model',
            "use one of gpt-4o",
        ],
        [
            "an unapproved version",
            (p: Props) => (p.properties.model.version = "2024-05-13"),
            'properties.model.version is "2024-05-13"',
            "pin one of 2025-12-11",
        ],
        [
            "no version",
            (p: Props) => delete p.properties.model.version,
            "properties.model.version is not set",
            "pin one of",
        ],
    ])("refuses %s", async (_l, fn, property, fix) => {
        const out = await runResource(approvedModel, nativeDeployment(fn));
        expect(out.violations).toHaveLength(1);
        expect(out.violations[0].message).toContain(property);
        expect(out.violations[0].message).toContain(fix);
    });
    it("requires NoAutoUpgrade when configured", async () => {
        const out = await runResource(
            approvedModel,
            classic((p) => (p.versionUpgradeOption = "OnceNewDefaultVersionAvailable")),
            { requireNoAutoUpgrade: true },
        );
        expect(out.violations[0].message).toContain('versionUpgradeOption is "OnceNewDefaultVersionAvailable"');
    });
});

describe("allowed locations", () => {
    const ws = (location?: string) => ({
        type: types.workspace,
        name: "law",
        props: location === undefined ? { tags } : { location, tags },
    });
    it("refuses a region outside the profile, logs included", async () => {
        const out = await runResource(allowedLocations, ws("eastus"), {
            allowedRegions: ["westeurope", "swedencentral"],
        });
        expect(out.violations[0].message).toBe(
            "Workspace 'law': location is \"eastus\", outside the allowed regions: use one of westeurope, swedencentral",
        );
    });
    it("accepts display names of allowed regions", async () => {
        expect(
            (await runResource(allowedLocations, ws("West Europe"), { allowedRegions: ["westeurope"] })).violations,
        ).toEqual([]);
    });
    it("falls back to the provider's location, and refuses a resource whose region cannot be verified", async () => {
        expect(
            (await runResource(allowedLocations, { ...ws(), provider: { location: "westeurope" } })).violations,
        ).toEqual([]);
        expect((await runResource(allowedLocations, ws())).violations[0].message).toContain("location is not set");
    });
    it("lets private DNS zones be global but not accounts", async () => {
        expect(
            (await runResource(allowedLocations, { type: types.privateZone, name: "z", props: { location: "global" } }))
                .violations,
        ).toEqual([]);
        expect(
            (
                await runResource(allowedLocations, {
                    type: types.account,
                    name: "a",
                    props: { ...account(), location: "global" },
                })
            ).violations,
        ).toHaveLength(1);
    });
    it("is not-evaluated when the region is unknown and not-applicable to role assignments", async () => {
        expect((await runResource(allowedLocations, ws(UNKNOWN))).notEvaluated).toMatch(/location/);
        expect(await runResource(allowedLocations, { type: types.roleAssignment, name: "r", props: {} })).toEqual({
            violations: [],
            notApplicable: "applies to types that take a location only",
        });
    });
});

describe("required tags", () => {
    const acc = (t: Record<string, string>) => ({
        type: types.account,
        name: "openai",
        props: { ...account(), tags: t },
    });
    it("names each missing tag", async () => {
        const { owner: _o, "cost-center": _c, ...rest } = tags;
        const out = await runResource(requiredTags, acc(rest));
        expect(out.violations[0].message).toBe(
            'Account \'openai\': tags lack cost-center, owner: add tags["cost-center"], tags["owner"]',
        );
    });
    it("refuses a compliance-profile other than the one the pipeline pinned", async () => {
        const out = await runResource(requiredTags, acc(tags), { complianceProfile: "us-hipaa" });
        expect(out.violations[0].message).toContain(
            'tags["compliance-profile"] is "eu-gdpr": run under profile us-hipaa',
        );
    });
    it("without config accepts any catalogue profile but not an invented one", async () => {
        expect((await runResource(requiredTags, acc(tags))).violations).toEqual([]);
        expect(
            (await runResource(requiredTags, acc({ ...tags, "compliance-profile": "none" }))).violations,
        ).toHaveLength(1);
    });
});

describe("no route around the pack", () => {
    it("denies a generic ARM resource of Microsoft.CognitiveServices", async () => {
        const out = await runResource(genericBypass, {
            type: types.genericResource,
            name: "sneaky",
            props: {
                resourceProviderNamespace: "Microsoft.CognitiveServices",
                resourceType: "accounts",
                properties: { publicNetworkAccess: "Enabled" },
            },
        });
        expect(out.violations[0].message).toContain(
            "Resource 'sneaky': resourceProviderNamespace is \"Microsoft.CognitiveServices\": use azure-native:cognitiveservices",
        );
    });
    it("denies an ARM template deployment that creates an account, even nested", async () => {
        const template = {
            resources: [
                {
                    type: "Microsoft.Resources/deployments",
                    properties: { template: { resources: [{ type: "Microsoft.CognitiveServices/accounts" }] } },
                },
            ],
        };
        const out = await runResource(genericBypass, {
            type: "azure-native:resources:Deployment",
            name: "arm",
            props: { properties: { mode: "Incremental", template } },
        });
        expect(out.violations[0].message).toContain("properties.template creates Microsoft.CognitiveServices/accounts");
    });
    it("leaves other generic resources and templates alone (not-applicable)", async () => {
        expect(
            (
                await runResource(genericBypass, {
                    type: types.genericResource,
                    name: "kv",
                    props: { resourceProviderNamespace: "Microsoft.KeyVault" },
                })
            ).notApplicable,
        ).toContain("Microsoft.KeyVault");
        expect(
            await runResource(genericBypass, {
                type: "azure-native:resources:Deployment",
                name: "arm",
                props: { properties: { template: { resources: [{ type: "Microsoft.Storage/storageAccounts" }] } } },
            }),
        ).toEqual({ violations: [], notApplicable: "template deploys no Microsoft.CognitiveServices resource" });
    });
});
