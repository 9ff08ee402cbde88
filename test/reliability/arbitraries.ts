/**
 * fast-check arbitraries over the stack config schema: valid configs within a profile's rules, and single-field
 * corruptions of them. The rules are read from the profile catalogue and model list, never restated.
 */
import * as fc from "fast-check";
import { deploymentSkuNames, privateDnsZones } from "../../catalogue/azure";
import { isRetired, modelCatalogue, totalWorstCaseDailySpend, utcToday } from "../../catalogue/models";
import { baseRequiredTags, ComplianceProfile, dlpPatternNames, getProfile, profileIds } from "../../catalogue/profiles";
import { componentGatewayTier, gatewayDailyCostUsd, gatewayPrivateLink } from "../../catalogue/gateway";

type Raw = Record<string, unknown>;

/** Random valid configs planned through the pack per profile (valid-config-plans.test.ts); every profile's seed reaches every branch with them (the test checks). */
export const plannedConfigsPerProfile = 12;
/** The fixed fast-check seed of a profile's planned configs (a failure names it, with the config's index). */
export const plannedConfigSeed = (profile: string) => 20261127 + (profileIds as readonly string[]).indexOf(profile);

const guid = fc.uuid({ version: 4 });
const lower = (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"), minLength: min, maxLength: max });
const segment = lower(1, 12).map((s) => `x${s}`);
const email = fc.tuple(segment, segment).map(([user, domain]) => `${user}@${domain}.example.com`);
const cidr = fc
    .tuple(fc.nat(255), fc.nat(255), fc.integer({ min: 8, max: 30 }))
    .map(([a, b, len]) => `10.${a}.${b}.0/${len}`);
const uniqueNames = (name: fc.Arbitrary<string>, min: number, max: number) =>
    fc.uniqueArray(name, { minLength: min, maxLength: max });

/** A persona's groups; one with no group at all (where the schema allows it) is a branch of its own. */
const persona = (atLeastOne: boolean) => {
    const members = fc
        .record({
            groupObjectIds: fc.uniqueArray(guid, { maxLength: 2 }),
            groupDisplayNames: uniqueNames(
                segment.map((s) => `sg-${s}`),
                0,
                2,
            ),
        })
        .filter((p) => p.groupObjectIds.length + p.groupDisplayNames.length > 0);
    return atLeastOne
        ? members
        : fc.oneof(members, fc.constant({ groupObjectIds: [] as string[], groupDisplayNames: [] as string[] }));
};

/** Whether the profile makes a stack of this environment put the AI gateway in front of its accounts. */
const gatewayRequired = (profile: ComplianceProfile, prod: boolean) =>
    profile.gateway.requiredFor === "all" || (profile.gateway.requiredFor === "production" && prod);

/** Model versions and SKUs a stack in `location` may deploy today: not retired, and offered there where the catalogue records it. */
function deployable(profile: ComplianceProfile, location: string) {
    const today = utcToday();
    return modelCatalogue.flatMap((m) =>
        profile.allowedDeploymentSkus
            .filter(
                (sku) =>
                    !isRetired(m, sku, today) &&
                    (m.offeredIn[sku] === undefined || m.offeredIn[sku]!.includes(location)),
            )
            .map((sku) => ({ model: m.model, version: m.version, sku })),
    );
}

function deployments(profile: ComplianceProfile, prod: boolean, location: string) {
    // Behind the gateway: pay-as-you-go SKUs only (tokens per minute per PTU are model-specific), and the gateway's
    // units count in the worst-case daily spend beside the deployments.
    const gateway = gatewayRequired(profile, prod);
    const fixed = gateway ? gatewayDailyCostUsd(componentGatewayTier, 1) : 0;
    const one = fc.record({
        choice: fc.constantFrom(
            ...deployable(profile, location).filter((c) => !gateway || !c.sku.includes("Provisioned")),
        ),
        versionUpgradeOption: prod
            ? fc.constantFrom(undefined, "NoAutoUpgrade")
            : fc.constantFrom(
                  undefined,
                  "NoAutoUpgrade",
                  "OnceNewDefaultVersionAvailable",
                  "OnceCurrentVersionExpired",
              ),
        capacityFraction: fc.double({ min: 0.05, max: 1, noNaN: true }),
    });
    return fc
        .tuple(
            uniqueNames(
                segment.map((s) => `dep-${s}`),
                1,
                3,
            ),
            fc.array(one, { minLength: 3, maxLength: 3 }),
        )
        .map(([names, specs]) =>
            names.map((name, i) => {
                const s = { ...specs[i], ...specs[i].choice };
                // Capacity is scaled so that each deployment stays within its share of the profile's daily limit.
                const share = (profile.budget.dailySpendLimit - fixed) / names.length;
                const perUnit = totalWorstCaseDailySpend([{ model: s.model, sku: s.sku, capacity: 1 }]);
                const capacity = Math.max(1, Math.floor((share / perUnit) * s.capacityFraction));
                const d: Raw = { name, model: s.model, version: s.version, sku: s.sku, capacity };
                if (s.versionUpgradeOption) d.versionUpgradeOption = s.versionUpgradeOption;
                return d;
            }),
        )
        .filter((ds) => totalWorstCaseDailySpend(ds as never, {}, fixed) <= profile.budget.dailySpendLimit);
}

// Half of the optional keys left to their default: each branch of a config is as likely as the other.
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const drop = (o: Raw): Raw => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A valid raw stack config of the given profile (or any profile). */
export function validConfig(profileId?: string): fc.Arbitrary<Raw> {
    return (profileId ? fc.constant(profileId) : fc.constantFrom(...profileIds)).chain((id) => {
        const profile = getProfile(id);
        return fc.boolean().chain((prod) => {
            const min = profile.minimumLogRetention;
            const fqdns = optional(
                fc.uniqueArray(
                    segment.map((s) => `srch-${s}.search.windows.net`),
                    { maxLength: 2 },
                ),
            );
            const network = fc
                .tuple(
                    guid,
                    segment,
                    segment,
                    segment,
                    fc.boolean(),
                    guid,
                    fc.uniqueArray(cidr, { minLength: 1, maxLength: 3 }),
                    fqdns,
                )
                .map(([sub, rg, vnet, snet, hub, hubSub, prefixes, allowedOutboundFqdns]) => {
                    const vnetId = `/subscriptions/${sub}/resourceGroups/rg-${rg}/providers/Microsoft.Network/virtualNetworks/vnet-${vnet}`;
                    const zone = (name: string) =>
                        `/subscriptions/${hubSub}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${name}`;
                    return drop({
                        vnetId,
                        privateEndpointSubnetId: `${vnetId}/subnets/snet-${snet}`,
                        privateDnsZoneIds: hub
                            ? {
                                  openai: zone(privateDnsZones.openai),
                                  cognitiveServices: zone(privateDnsZones.cognitiveServices),
                                  keyVault: zone(privateDnsZones.keyVault),
                              }
                            : undefined,
                        clientAddressPrefixes: prefixes,
                        allowedOutboundFqdns,
                        // With hub zones, a profile that requires private monitoring joins the hub's AMPLS (one per DNS).
                        azureMonitorPrivateLinkScopeId:
                            hub && profile.monitorPrivateLinkRequired
                                ? `/subscriptions/${sub}/resourceGroups/rg-${rg}/providers/Microsoft.Insights/privateLinkScopes/ampls-hub`
                                : undefined,
                    });
                });
            const logging = fc
                .tuple(
                    optional(fc.integer({ min: min.interactiveDays, max: 730 })),
                    optional(fc.integer({ min: min.totalDays, max: 4383 })),
                )
                .map(([interactive, total]) =>
                    drop({
                        interactiveRetentionDays: interactive,
                        totalRetentionDays: total === undefined ? undefined : Math.max(total, interactive ?? 0),
                    }),
                );
            const extraDlp = fc
                .subarray([...dlpPatternNames])
                .map((extra) => [...new Set([...profile.dlpPatterns, ...extra])]);
            return fc
                .constantFrom(...profile.allowedRegions)
                .chain((location) =>
                    fc.record({
                        location: fc.constant(location),
                        namePrefix: lower(1, 12).map((s) => `c${s}x`),
                        network,
                        deployments: deployments(profile, prod, location),
                        developers: persona(true),
                        dataScientists: persona(false),
                        securityAuditors: persona(true),
                        // The gateway admits the stack's applications: at least one where the profile requires it.
                        applications: uniqueNames(
                            segment.map((s) => `app-${s}`),
                            gatewayRequired(profile, prod) ? 1 : 0,
                            3,
                        ),
                        gatewaySubnet: segment,
                        monthlyAmount: optional(fc.integer({ min: 1, max: 100000 })),
                        dailyLimit: optional(
                            fc.integer({
                                min: Math.ceil(profile.budget.dailySpendLimit),
                                max: profile.budget.dailySpendLimit,
                            }),
                        ),
                        contactEmails: fc.uniqueArray(email, { minLength: 1, maxLength: 3 }),
                        dlpPatterns: optional(extraDlp),
                        blockingThreshold: optional(fc.constantFrom("Low", "Medium")),
                        logging,
                        customerManagedKey: profile.customerManagedKeyRequired
                            ? fc.constantFrom(undefined, true)
                            : fc.constantFrom(undefined, true, false),
                        tags: fc
                            .tuple(
                                segment,
                                email,
                                fc.constantFrom("internal", "confidential", "phi", "protected"),
                                fc.boolean(),
                            )
                            .map(([cc, owner, cls, explicit]) =>
                                drop({
                                    "cost-center": `CC-${cc}`,
                                    owner,
                                    "data-classification": cls,
                                    "compliance-profile": explicit ? id : undefined,
                                }),
                            ),
                    }),
                )
                .map((g): Raw =>
                    drop({
                        profile: id,
                        environment: prod ? "prod" : "nonprod",
                        location: g.location,
                        namePrefix: g.namePrefix,
                        network: g.network,
                        deployments: g.deployments,
                        access: {
                            developers: g.developers,
                            dataScientists: g.dataScientists,
                            securityAuditors: g.securityAuditors,
                            applications: g.applications.map((name) => ({ name })),
                        },
                        budget: drop({
                            monthlyAmount: g.monthlyAmount,
                            dailySpendLimit: g.dailyLimit,
                            contactEmails: g.contactEmails,
                        }),
                        contentFilter: drop({ dlpPatterns: g.dlpPatterns, blockingThreshold: g.blockingThreshold }),
                        logging: g.logging,
                        customerManagedKey: g.customerManagedKey,
                        tags: g.tags,
                        gateway: gatewayRequired(profile, prod)
                            ? gatewayBlock(g.network as Raw, g.gatewaySubnet)
                            : undefined,
                    }),
                );
        });
    });
}

/**
 * A gateway block for the stack's VNet: a dedicated integration subnet, the hub's zone where hub zones are used, and
 * limits a small random deployment set can honour (a 250-token cap fits a quarter of 1,000 tokens per minute).
 */
function gatewayBlock(network: Raw, subnet: string): Raw {
    const hub = network.privateDnsZoneIds as Raw | undefined;
    const zone = hub ? String(hub.openai).replace(privateDnsZones.openai, gatewayPrivateLink.zone) : undefined;
    return drop({
        integrationSubnetId: `${String(network.vnetId)}/subnets/snet-apim-${subnet}`,
        privateDnsZoneId: zone,
        limits: { perRequestTokens: 250 },
    });
}

type Path = (string | number)[];

/** Every path of the config to a value (objects, arrays and leaves), root excluded. */
export function valuePaths(value: unknown, prefix: Path = []): Path[] {
    if (typeof value !== "object" || value === null) return [];
    const entries: [string | number, unknown][] = Array.isArray(value)
        ? value.map((v, i) => [i, v])
        : Object.entries(value);
    return entries.flatMap(([k, v]) => [[...prefix, k], ...valuePaths(v, [...prefix, k])]);
}

export function getAt(raw: unknown, path: Path): unknown {
    return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], raw);
}

function setAt(raw: Raw, path: Path, value: unknown): void {
    const parent = getAt(raw, path.slice(0, -1)) as Record<string | number, unknown>;
    parent[path[path.length - 1]] = value;
}

/** A value of another JSON type than the one given. */
function otherType(v: unknown): unknown {
    if (typeof v === "string") return 42;
    if (typeof v === "number") return String(v);
    if (typeof v === "boolean") return v ? "yes" : "no";
    if (Array.isArray(v)) return "not-a-list";
    return 7;
}

/** Keys the schema requires; deleting any of them must be refused. Maps (tags, prices) take any key, so no key is unknown there. */
const requiredKeys = [
    ["profile"],
    ["environment"],
    ["location"],
    ["namePrefix"],
    ["network"],
    ["network", "vnetId"],
    ["network", "privateEndpointSubnetId"],
    ["network", "clientAddressPrefixes"],
    ["deployments"],
    ["access"],
    ["access", "developers"],
    ["access", "dataScientists"],
    ["access", "securityAuditors"],
    ["budget"],
    ["budget", "contactEmails"],
    ["tags"],
    ...baseRequiredTags.filter((t) => t !== "compliance-profile" && t !== "environment").map((t) => ["tags", t]),
];
const deploymentKeys = ["name", "model", "version", "sku", "capacity"];
const openMaps = new Set(["tags", "prices"]);

export interface Corruption {
    kind: string;
    path: string;
    apply: (raw: Raw) => void;
}

const pathText = (p: Path) =>
    p.reduce<string>((acc, s) => (typeof s === "number" ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), "");

/** Every single-field corruption of a valid config: a value of the wrong type, a required key removed, an unknown key. */
export function corruptionsOf(raw: Raw): Corruption[] {
    const out: Corruption[] = [];
    for (const p of valuePaths(raw)) {
        out.push({ kind: "wrong-type", path: pathText(p), apply: (r) => setAt(r, p, otherType(getAt(r, p))) });
        const v = getAt(raw, p);
        if (typeof v === "object" && v !== null && !Array.isArray(v) && !openMaps.has(String(p[p.length - 1]))) {
            out.push({
                kind: "unknown-key",
                path: pathText([...p, "colour"]),
                apply: (r) => setAt(r, [...p, "colour"], "blue"),
            });
        }
    }
    out.push({
        kind: "unknown-key",
        path: "colour",
        apply: (r) => {
            r.colour = "blue";
        },
    });
    const deps = (raw.deployments as unknown[]).length;
    const required = [
        ...requiredKeys,
        ...Array.from({ length: deps }, (_, i) => deploymentKeys.map((k) => ["deployments", i, k])).flat(),
    ];
    for (const p of required) {
        out.push({
            kind: "missing-required",
            path: pathText(p),
            apply: (r) => {
                delete (getAt(r, p.slice(0, -1)) as Record<string | number, unknown>)[p[p.length - 1]];
            },
        });
    }
    out.push(...profileRuleBreaks(raw));
    return out;
}

/** Values that have the right type but break a rule of the config's profile. */
function profileRuleBreaks(raw: Raw): Corruption[] {
    const profile = getProfile(String(raw.profile));
    const out: Corruption[] = [];
    const rule = (path: string, apply: (r: Raw) => void) => out.push({ kind: "profile-rule", path, apply });
    const other = profileIds.map(getProfile).find((p) => p.id !== profile.id)!;
    rule("location", (r) => {
        r.location = other.allowedRegions.find((x) => !profile.allowedRegions.includes(x))!;
    });
    const banned = deploymentSkuNames.filter((k) => !profile.allowedDeploymentSkus.includes(k));
    rule("deployments[0].sku", (r) => {
        (r.deployments as Raw[])[0].sku = banned[0];
    });
    rule("deployments[0].model", (r) => {
        (r.deployments as Raw[])[0].model = "gpt-unapproved";
    });
    rule("access.developers.groupDisplayNames[0]", (r) => {
        ((r.access as Raw).developers as Raw).groupDisplayNames = ["someone@contoso.com"];
    });
    rule("logging.totalRetentionDays", (r) => {
        r.logging = { totalRetentionDays: profile.minimumLogRetention.totalDays - 1 };
    });
    rule("budget.dailySpendLimit", (r) => {
        (r.budget as Raw).dailySpendLimit = profile.budget.dailySpendLimit + 1;
    });
    rule("tags.compliance-profile", (r) => {
        (r.tags as Raw)["compliance-profile"] = other.id;
    });
    rule("network.privateEndpointSubnetId", (r) => {
        (r.network as Raw).privateEndpointSubnetId = `${String((r.network as Raw).vnetId)}-other/subnets/snet`;
    });
    if (profile.customerManagedKeyRequired)
        rule("customerManagedKey", (r) => {
            r.customerManagedKey = false;
        });
    if (raw.environment === "prod")
        rule("deployments[0].versionUpgradeOption", (r) => {
            (r.deployments as Raw[])[0].versionUpgradeOption = "OnceNewDefaultVersionAvailable";
        });
    if (raw.gateway !== undefined)
        rule("gateway", (r) => {
            delete r.gateway;
        });
    return out;
}

/**
 * The choice points of `validConfig` a generated config shows, as labels: a property test over it samples enough when
 * the union of its configs' labels is every label `generatorBranches` can produce for the profile.
 */
export function branchesOf(raw: Raw): string[] {
    const network = raw.network as Raw;
    const deps = raw.deployments as Raw[];
    const access = raw.access as Record<string, Raw>;
    const budget = raw.budget as Raw;
    const filter = raw.contentFilter as Raw;
    const logging = raw.logging as Raw;
    const fqdns = network.allowedOutboundFqdns as unknown[] | undefined;
    return [
        `environment:${raw.environment}`,
        `dns:${network.privateDnsZoneIds ? "hub" : "own"}`,
        `fqdns:${fqdns === undefined ? "default" : fqdns.length === 0 ? "empty" : "some"}`,
        `cmk:${raw.customerManagedKey === undefined ? "default" : raw.customerManagedKey}`,
        `threshold:${filter.blockingThreshold ?? "default"}`,
        `dlp:${filter.dlpPatterns === undefined ? "default" : "listed"}`,
        `deployments:${deps.length}`,
        ...deps.map((d) => `sku:${d.sku}`),
        ...deps.map(
            (d) =>
                `upgrade:${d.versionUpgradeOption === undefined ? "default" : d.versionUpgradeOption === "NoAutoUpgrade" ? "pinned" : "automatic"}`,
        ),
        `dataScientists:${(access.dataScientists.groupObjectIds as unknown[]).length + (access.dataScientists.groupDisplayNames as unknown[]).length > 0 ? "some" : "none"}`,
        `applications:${(access.applications as unknown as unknown[]).length > 0 ? "some" : "none"}`,
        `monthlyAmount:${budget.monthlyAmount === undefined ? "default" : "set"}`,
        `dailySpendLimit:${budget.dailySpendLimit === undefined ? "default" : "set"}`,
        `interactiveRetention:${logging.interactiveRetentionDays === undefined ? "default" : "set"}`,
        `totalRetention:${logging.totalRetentionDays === undefined ? "default" : "set"}`,
        `complianceTag:${(raw.tags as Raw)["compliance-profile"] === undefined ? "platform" : "explicit"}`,
    ];
}

/** Every label `branchesOf` can give a config `validConfig(profileId)` generates. */
export function generatorBranches(profileId: string): string[] {
    const profile = getProfile(profileId);
    return [
        "environment:prod",
        "environment:nonprod",
        "dns:hub",
        "dns:own",
        "fqdns:default",
        "fqdns:empty",
        "fqdns:some",
        "cmk:default",
        "cmk:true",
        ...(profile.customerManagedKeyRequired ? [] : ["cmk:false"]),
        "threshold:default",
        "threshold:Low",
        "threshold:Medium",
        "dlp:default",
        "dlp:listed",
        "deployments:1",
        "deployments:2",
        "deployments:3",
        ...profile.allowedDeploymentSkus.map((s) => `sku:${s}`),
        "upgrade:default",
        "upgrade:pinned",
        "upgrade:automatic",
        "dataScientists:none",
        "dataScientists:some",
        "applications:none",
        "applications:some",
        "monthlyAmount:default",
        "monthlyAmount:set",
        "dailySpendLimit:default",
        "dailySpendLimit:set",
        "interactiveRetention:default",
        "interactiveRetention:set",
        "totalRetention:default",
        "totalRetention:set",
        "complianceTag:platform",
        "complianceTag:explicit",
    ];
}
