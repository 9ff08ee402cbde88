import { parse } from "yaml";
import { fleetChartSvg } from "../../bench/chart";
import { cloneZones, fleetStackConfigs, FleetResource } from "../../bench/fleet";
import { flattenStackConfig, listStacks, stackFilePath } from "../../bench/stack-config";
import { median, repeat } from "../../bench/stats";
import { getProfile } from "../../catalogue/profiles";
import { projectName, validateStackConfig } from "../../infra/config";
import * as fs from "fs";
import * as path from "path";

const stacksDir = path.join(__dirname, "..", "..", "stacks");
const readStackFiles = () =>
    listStacks(stacksDir).map((stack) => ({ stack, text: fs.readFileSync(stackFilePath(stacksDir, stack), "utf8") }));

describe("median", () => {
    it("takes the middle of an odd sample and the mean of the two middles of an even one, whatever the order", () => {
        expect(median([5, 1, 3])).toBe(3);
        expect(median([4, 1, 3, 2])).toBe(2.5);
        expect(median([7])).toBe(7);
    });
    it("refuses an empty sample", () => {
        expect(() => median([])).toThrow(/at least one sample/);
    });
});

describe("repeat", () => {
    it("runs the warm-ups first and keeps only the measured runs", async () => {
        const seen: number[] = [];
        const kept = await repeat(2, 3, async (i) => (seen.push(i), i));
        expect(seen).toEqual([-1, -2, 0, 1, 2]);
        expect(kept).toEqual([0, 1, 2]);
    });
    it("rejects a run count below one, naming it", async () => {
        await expect(repeat(0, 0, async () => 1)).rejects.toThrow(/runs: expected an integer >= 1/);
    });
});

const stackUrn = "urn:pulumi:eu-prod::p::pulumi:pulumi:Stack::p-eu-prod";
const accountUrn = "urn:pulumi:eu-prod::p::lz:index:Zone$azure-native:cognitiveservices:Account::acct";
const zoneUrn = "urn:pulumi:eu-prod::p::lz:index:Zone::contoso-weu";
const peUrn = "urn:pulumi:eu-prod::p::lz:index:Zone$azure-native:network:PrivateEndpoint::pe";
const resources: FleetResource[] = [
    { urn: stackUrn, type: "pulumi:pulumi:Stack", dependencies: [], propertyDependencies: {}, inputs: {} },
    { urn: zoneUrn, type: "lz:index:Zone", parent: stackUrn, dependencies: [], propertyDependencies: {}, inputs: {} },
    {
        urn: accountUrn,
        type: "azure-native:cognitiveservices:Account",
        parent: zoneUrn,
        dependencies: [],
        propertyDependencies: {},
        inputs: { accountName: "contoso-weu-oai", resourceGroupName: "rg-contoso-weu" },
    },
    {
        urn: peUrn,
        type: "azure-native:network:PrivateEndpoint",
        parent: zoneUrn,
        dependencies: [accountUrn],
        propertyDependencies: { privateLinkServiceConnections: [accountUrn] },
        inputs: {
            privateLinkServiceConnections: [
                {
                    privateLinkServiceId:
                        "/subscriptions/s/resourceGroups/rg-contoso-weu/providers/Microsoft.CognitiveServices/accounts/contoso-weu-oai",
                },
            ],
        },
    },
];

describe("cloneZones", () => {
    const fleet = cloneZones(resources, "contoso-weu", 3);

    it("keeps one stack resource and repeats every other resource once per zone, with unique URNs", () => {
        expect(fleet).toHaveLength(1 + 3 * 3);
        expect(fleet.filter((r) => r.type === "pulumi:pulumi:Stack").map((r) => r.urn)).toEqual([stackUrn]);
        expect(new Set(fleet.map((r) => r.urn)).size).toBe(fleet.length);
    });

    it("renames parents, dependencies, property dependencies and ids consistently within a zone", () => {
        const pe = fleet.find((r) => r.urn === `${peUrn}-z0002`)!;
        expect(pe.parent).toBe(`${zoneUrn}-z0002`);
        expect(pe.dependencies).toEqual([`${accountUrn}-z0002`]);
        expect(pe.propertyDependencies).toEqual({ privateLinkServiceConnections: [`${accountUrn}-z0002`] });
        const account = fleet.find((r) => r.urn === `${accountUrn}-z0002`)!;
        expect(account.inputs).toEqual({
            accountName: "contoso-weu-z0002-oai",
            resourceGroupName: "rg-contoso-weu-z0002",
        });
        expect(
            (pe.inputs.privateLinkServiceConnections as { privateLinkServiceId: string }[])[0].privateLinkServiceId,
        ).toContain(
            "/resourceGroups/rg-contoso-weu-z0002/providers/Microsoft.CognitiveServices/accounts/contoso-weu-z0002-oai",
        );
        expect(fleet.find((r) => r.urn === `${zoneUrn}-z0000`)!.parent).toBe(stackUrn);
    });

    it("does not touch the resources it was given", () => {
        expect(resources[2].inputs.accountName).toBe("contoso-weu-oai");
    });

    it("refuses a zone count below one and an empty name prefix", () => {
        expect(() => cloneZones(resources, "contoso-weu", 0)).toThrow(/zones: expected an integer >= 1/);
        expect(() => cloneZones(resources, "", 1)).toThrow(/namePrefix/);
    });
});

describe("fleetStackConfigs", () => {
    const bases = readStackFiles();
    const fleet = fleetStackConfigs(bases, 50);
    const key = (k: string) => `${projectName}:${k}`;

    it("derives 50 uniquely named stacks, each in a region its profile allows, with a schema-valid unique name prefix", () => {
        expect(fleet).toHaveLength(50);
        expect(new Set(fleet.map((s) => s.stack)).size).toBe(50);
        const prefixes = new Set<string>();
        for (const s of fleet) {
            const config = flattenStackConfig(s.text);
            expect(getProfile(config[key("profile")]).allowedRegions).toContain(config[key("location")]);
            expect(config[key("namePrefix")]).toMatch(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/);
            prefixes.add(config[key("namePrefix")]);
            const raw = Object.fromEntries(
                Object.entries(parse(s.text).config as Record<string, unknown>).map(([k, v]) => [
                    k.slice(projectName.length + 1),
                    v,
                ]),
            );
            expect(() => validateStackConfig(s.stack, raw)).not.toThrow();
        }
        expect(prefixes.size).toBe(50);
    });

    it("keeps everything else of its base stack", () => {
        const base = parse(bases[0].text).config;
        const derived = parse(fleet[0].text).config;
        expect({ ...derived, [key("location")]: undefined, [key("namePrefix")]: undefined }).toEqual({
            ...base,
            [key("location")]: undefined,
            [key("namePrefix")]: undefined,
        });
    });
});

describe("fleetChartSvg", () => {
    const svg = fleetChartSvg([
        { zones: 1, resources: 40, ms: 20 },
        { zones: 10, resources: 400, ms: 100 },
        { zones: 100, resources: 4000, ms: 900 },
        { zones: 500, resources: 20000, ms: 4600 },
    ]);

    it("draws one marker per measured fleet and the linear reference, as a standalone SVG", () => {
        expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
        expect(svg.match(/<circle /g)).toHaveLength(4);
        expect(svg).toContain('class="ref"');
        expect(svg).toContain("500 zones, 20000 resources: 4600 ms");
        expect(svg).toMatch(/<\/svg>\n$/);
    });

    it("refuses an empty or non-positive series", () => {
        expect(() => fleetChartSvg([])).toThrow(/at least one/);
        expect(() => fleetChartSvg([{ zones: 0, resources: 0, ms: 1 }])).toThrow(/positive/);
    });
});
