/**
 * The bad-input corpus: invalid stack configs as data. Each entry is one named corruption of a valid, committed stack
 * and lists the exact key paths validation must report (a path appears twice when two rules fire on it). No entry
 * names a stack: the corruption reads what it needs from the stack's own config and profile, `needs` says which
 * stacks it applies to, and `badConfigCases` assigns each entry to a committed stack (rotating over the stacks, the
 * first it applies to), so a stack added or removed needs no edit here.
 */
import { totalWorstCaseDailySpend } from "../../catalogue/models";
import { ComplianceProfile, getProfile, profileIds } from "../../catalogue/profiles";
import { rawStackConfig, stackNames } from "../support/stacks";

type Raw = Record<string, unknown>;
type Obj = Record<string, unknown>;

export interface BadConfig {
    /** Short kebab-case id, unique in the corpus. */
    id: string;
    /** What is wrong, in words (the docs table quotes it). */
    corruption: string;
    /** Which valid stacks the corruption applies to (default: all). */
    needs?: (raw: Raw, profile: ComplianceProfile) => boolean;
    /** Corrupts a fresh copy of the stack's raw config in place (or returns a replacement for the whole config). */
    corrupt: (raw: Raw, profile: ComplianceProfile) => unknown;
    /** Every key path the rejection must list. */
    paths: string[];
    /**
     * Further paths on a stack with an AI gateway, whose config refers to what the corruption broke (its subnet in the
     * VNet, its callers among the applications), from the stack's valid config.
     */
    gatewayPaths?: (raw: Raw) => string[];
}

const at = (raw: Raw, ...keys: (string | number)[]): Obj => keys.reduce<Obj>((o, k) => o[k] as Obj, raw);
const dep = (raw: Raw, i: number): Obj => at(raw, "deployments", i);
const deployments = (raw: Raw) => raw.deployments as { model: string; sku: string; capacity: number }[];
const sub = (id: string) =>
    `/subscriptions/3f2a1c9e-7b4d-4e8a-9c61-2d5e8f0a4b17/resourceGroups/rg-network/providers/${id}`;
const otherProfile = (p: ComplianceProfile) => getProfile(profileIds.find((id) => id !== p.id)!);
/** A region of another profile that this profile does not allow. */
const foreignRegion = (p: ComplianceProfile) =>
    profileIds.flatMap((id) => getProfile(id).allowedRegions).find((r) => !p.allowedRegions.includes(r))!;
/** The smallest capacity of the first deployment (as `sku`) whose worst-case spend alone is over the profile's daily limit. */
const capacityOverLimit = (raw: Raw, p: ComplianceProfile, sku: string) =>
    Math.ceil(
        (p.budget.dailySpendLimit + 1) /
            totalWorstCaseDailySpend([{ model: deployments(raw)[0].model, sku, capacity: 1 }]),
    );
const hubZones = (raw: Raw) => typeof (raw.network as Obj).privateDnsZoneIds === "object";
const gatewayOf = (raw: Raw) =>
    typeof raw.gateway === "object" && raw.gateway !== null ? (raw.gateway as Obj) : undefined;
/** The gateway's callers whose application is not among `apps` any more. */
const callersOutside = (apps: string[]) => (raw: Raw) =>
    ((gatewayOf(raw)?.callers as { application?: string }[] | undefined) ?? []).flatMap((c, i) =>
        c.application !== undefined && !apps.includes(c.application) ? [`gateway.callers[${i}].application`] : [],
    );

export const badConfigs: BadConfig[] = [
    // Wrong types and unknown keys
    {
        id: "config-not-an-object",
        corruption: "whole config is a string",
        corrupt: (_r, p) => `profile: ${p.id}`,
        paths: [""],
    },
    {
        id: "profile-typo",
        corruption: "unknown compliance profile eu-gdrp",
        corrupt: (r) => {
            r.profile = "eu-gdrp";
        },
        paths: ["profile"],
    },
    {
        id: "profile-number",
        corruption: "profile given as a number",
        corrupt: (r) => {
            r.profile = 42;
        },
        paths: ["profile"],
    },
    {
        id: "environment-unknown",
        corruption: "environment 'production' is not prod/nonprod",
        corrupt: (r) => {
            r.environment = "production";
        },
        paths: ["environment"],
    },
    {
        id: "environment-missing",
        corruption: "environment removed",
        corrupt: (r) => {
            delete r.environment;
        },
        paths: ["environment"],
    },
    {
        id: "unknown-top-level-key",
        corruption: "typo 'deploymnets' beside deployments",
        corrupt: (r) => {
            r.deploymnets = [];
        },
        paths: ["deploymnets"],
    },
    {
        id: "unknown-nested-key",
        corruption: "typo 'contactEmail' in budget",
        corrupt: (r) => {
            at(r, "budget").contactEmail = "x@contoso.com";
        },
        paths: ["budget.contactEmail"],
    },
    {
        id: "renamed-deployment-key",
        corruption: "capacity misspelt 'capcity'",
        corrupt: (r) => {
            const d = dep(r, 0);
            d.capcity = d.capacity;
            delete d.capacity;
        },
        paths: ["deployments[0].capacity", "deployments[0].capcity"],
    },
    {
        id: "capacity-string",
        corruption: "capacity given as a string",
        corrupt: (r) => {
            dep(r, 0).capacity = String(dep(r, 0).capacity);
        },
        paths: ["deployments[0].capacity"],
    },
    {
        id: "capacity-negative",
        corruption: "negative capacity",
        corrupt: (r) => {
            dep(r, 0).capacity = -5;
        },
        paths: ["deployments[0].capacity"],
    },
    {
        id: "capacity-fraction",
        corruption: "fractional capacity (half a unit)",
        corrupt: (r) => {
            dep(r, 0).capacity = 0.5;
        },
        paths: ["deployments[0].capacity"],
    },
    {
        id: "cmk-string",
        corruption: "customerManagedKey 'yes' instead of a boolean",
        corrupt: (r) => {
            r.customerManagedKey = "yes";
        },
        paths: ["customerManagedKey"],
    },
    {
        id: "tag-value-number",
        corruption: "owner tag given as a number",
        corrupt: (r) => {
            at(r, "tags").owner = 7;
        },
        paths: ["tags.owner", "tags.owner"],
    },
    {
        id: "prices-negative",
        corruption: "negative price override",
        corrupt: (r) => {
            r.prices = { "gpt-4o": -0.01 };
        },
        paths: ["prices.gpt-4o"],
    },

    // Regions
    {
        id: "region-other-profile",
        corruption: "a region of another profile",
        corrupt: (r, p) => {
            r.location = foreignRegion(p);
        },
        paths: ["location"],
    },
    {
        id: "region-home-of-other-profile",
        corruption: "another profile's home region",
        corrupt: (r, p) => {
            r.location = otherProfile(p).allowedRegions[0];
        },
        needs: (_r, p) => !p.allowedRegions.includes(otherProfile(p).allowedRegions[0]),
        paths: ["location"],
    },
    {
        id: "region-unknown",
        corruption: "region 'marsnorth' that does not exist",
        corrupt: (r) => {
            r.location = "marsnorth";
        },
        paths: ["location"],
    },
    {
        id: "region-display-name",
        corruption: "display name 'West Europe' instead of westeurope",
        corrupt: (r) => {
            r.location = "West Europe";
        },
        paths: ["location", "location"],
    },
    {
        id: "name-prefix-uppercase",
        corruption: "upper-case name prefix",
        corrupt: (r) => {
            r.namePrefix = "Contoso-Dev";
        },
        paths: ["namePrefix"],
    },

    // Deployments: SKUs, models, names, spend
    {
        id: "global-standard-sku",
        corruption: "GlobalStandard (prompts processed in any region)",
        corrupt: (r) => {
            dep(r, 0).sku = "GlobalStandard";
        },
        paths: ["deployments[0].sku"],
    },
    {
        id: "global-provisioned-sku",
        corruption: "GlobalProvisionedManaged",
        corrupt: (r) => {
            Object.assign(dep(r, 0), { sku: "GlobalProvisionedManaged", capacity: 1 });
        },
        paths: ["deployments[0].sku"],
    },
    {
        id: "global-batch-nonprod",
        corruption: "GlobalBatch, even in a non-production stack",
        needs: (r) => r.environment === "nonprod",
        corrupt: (r) => {
            dep(r, 0).sku = "GlobalBatch";
        },
        paths: ["deployments[0].sku"],
    },
    {
        id: "datazone-sku-without-data-zone",
        corruption: "DataZoneStandard under a profile with no data zone",
        needs: (_r, p) => !p.allowedDeploymentSkus.includes("DataZoneStandard"),
        corrupt: (r) => {
            dep(r, 0).sku = "DataZoneStandard";
        },
        paths: ["deployments[0].sku"],
    },
    {
        id: "sku-unknown",
        corruption: "SKU 'Premium' that does not exist",
        corrupt: (r) => {
            dep(r, 0).sku = "Premium";
        },
        paths: ["deployments[0].sku"],
    },
    {
        id: "model-unapproved",
        corruption: "model gpt-5 not in the approved catalogue",
        corrupt: (r) => {
            dep(r, 0).model = "gpt-5";
        },
        paths: ["deployments[0].model"],
    },
    {
        id: "model-version-unpinned",
        corruption: "version 'latest' not an approved pin",
        corrupt: (r) => {
            dep(r, 0).version = "latest";
        },
        paths: ["deployments[0].version"],
    },
    {
        id: "deployment-name-duplicate",
        corruption: "two deployments with the same name",
        needs: (r) => deployments(r).length >= 2,
        corrupt: (r) => {
            dep(r, 1).name = dep(r, 0).name;
        },
        paths: ["deployments[1].name"],
    },
    {
        id: "deployment-name-space",
        corruption: "deployment name with a space",
        corrupt: (r) => {
            dep(r, 0).name = "casework gpt4o";
        },
        paths: ["deployments[0].name"],
    },
    {
        id: "deployments-empty",
        corruption: "no model deployment",
        corrupt: (r) => {
            r.deployments = [];
        },
        paths: ["deployments"],
    },
    {
        id: "prod-auto-upgrade",
        corruption: "production deployment on OnceNewDefaultVersionAvailable",
        needs: (r) => r.environment === "prod",
        corrupt: (r) => {
            dep(r, 0).versionUpgradeOption = "OnceNewDefaultVersionAvailable";
        },
        paths: ["deployments[0].versionUpgradeOption"],
    },
    {
        id: "capacity-over-spend-limit",
        corruption: "first deployment's capacity raised until its worst case alone is over the daily limit",
        corrupt: (r, p) => {
            dep(r, 0).capacity = capacityOverLimit(r, p, String(dep(r, 0).sku));
        },
        paths: ["deployments"],
    },
    {
        id: "provisioned-over-spend-limit",
        corruption: "provisioned throughput (PTU) over the daily limit",
        corrupt: (r, p) => {
            Object.assign(dep(r, 0), {
                sku: "ProvisionedManaged",
                capacity: capacityOverLimit(r, p, "ProvisionedManaged"),
            });
        },
        paths: ["deployments"],
    },
    {
        id: "spend-limit-lowered-below-spend",
        corruption: "dailySpendLimit 1 USD, under the deployments' worst case",
        needs: (r) => totalWorstCaseDailySpend(deployments(r)) > 1,
        corrupt: (r) => {
            at(r, "budget").dailySpendLimit = 1;
        },
        paths: ["deployments"],
    },
    {
        id: "spend-limit-above-profile",
        corruption: "dailySpendLimit above the profile's",
        corrupt: (r, p) => {
            at(r, "budget").dailySpendLimit = p.budget.dailySpendLimit + 1;
        },
        paths: ["budget.dailySpendLimit"],
    },

    // Network: resource ids, subnets, DNS zones, CIDRs
    {
        id: "vnet-id-malformed",
        corruption: "vnetId is a bare name",
        corrupt: (r) => {
            at(r, "network").vnetId = "vnet-spoke-ai";
        },
        paths: ["network.privateEndpointSubnetId", "network.vnetId"],
        gatewayPaths: (r) => (gatewayOf(r)?.integrationSubnetId ? ["gateway.integrationSubnetId"] : []),
    },
    {
        id: "vnet-id-bad-subscription",
        corruption: "vnetId and subnet with a non-GUID subscription",
        corrupt: (r) => {
            const n = at(r, "network");
            n.vnetId = String(n.vnetId).replace(/subscriptions\/[^/]+/, "subscriptions/contoso-prod");
            n.privateEndpointSubnetId = `${String(n.vnetId)}/subnets/snet-private-endpoints`;
        },
        paths: ["network.privateEndpointSubnetId", "network.vnetId"],
    },
    {
        id: "subnet-id-wrong-type",
        corruption: "subnet id uses 'subnet' instead of 'subnets'",
        corrupt: (r) => {
            const n = at(r, "network");
            n.privateEndpointSubnetId = String(n.privateEndpointSubnetId).replace("/subnets/", "/subnet/");
        },
        paths: ["network.privateEndpointSubnetId", "network.privateEndpointSubnetId"],
    },
    {
        id: "subnet-outside-vnet",
        corruption: "private-endpoint subnet in another VNet",
        corrupt: (r) => {
            at(r, "network").privateEndpointSubnetId = sub(
                "Microsoft.Network/virtualNetworks/vnet-elsewhere/subnets/snet-private-endpoints",
            );
        },
        paths: ["network.privateEndpointSubnetId"],
    },
    {
        id: "dns-zone-swapped",
        corruption: "openai zone id points at the cognitiveservices zone",
        needs: hubZones,
        corrupt: (r) => {
            const z = at(r, "network", "privateDnsZoneIds");
            z.openai = z.cognitiveServices;
        },
        paths: ["network.privateDnsZoneIds.openai"],
    },
    {
        id: "dns-zone-public",
        corruption: "public DNS zone (Microsoft.Network/dnsZones) instead of a private one",
        needs: hubZones,
        corrupt: (r) => {
            const z = at(r, "network", "privateDnsZoneIds");
            z.openai = String(z.openai).replace("privateDnsZones", "dnsZones");
        },
        paths: ["network.privateDnsZoneIds.openai", "network.privateDnsZoneIds.openai"],
    },
    {
        id: "dns-zone-keyvault-wrong",
        corruption: "keyVault zone id is the openai zone",
        needs: hubZones,
        corrupt: (r) => {
            const z = at(r, "network", "privateDnsZoneIds");
            z.keyVault = z.openai;
        },
        paths: ["network.privateDnsZoneIds.keyVault"],
    },
    {
        id: "client-prefixes-empty",
        corruption: "no client address prefix",
        corrupt: (r) => {
            at(r, "network").clientAddressPrefixes = [];
        },
        paths: ["network.clientAddressPrefixes"],
    },
    {
        id: "client-prefix-no-length",
        corruption: "client prefix without /length",
        corrupt: (r) => {
            at(r, "network").clientAddressPrefixes = ["10.60.0.0", "10.61.0.0/16"];
        },
        paths: ["network.clientAddressPrefixes[0]"],
    },
    {
        id: "client-prefix-out-of-range",
        corruption: "client prefix 10.400.0.0/40 (octet and length out of range)",
        corrupt: (r) => {
            at(r, "network").clientAddressPrefixes = ["10.400.0.0/40"];
        },
        paths: ["network.clientAddressPrefixes[0]"],
    },

    // Access: personas to groups only
    {
        id: "group-id-not-guid",
        corruption: "developer group object id is not a GUID",
        corrupt: (r) => {
            at(r, "access", "developers").groupObjectIds = ["sg-ai-developers"];
        },
        paths: ["access.developers.groupObjectIds[0]"],
    },
    {
        id: "persona-upn-developers",
        corruption: "developers granted to a user (UPN in groupDisplayNames)",
        corrupt: (r) => {
            at(r, "access", "developers").groupDisplayNames = ["jane.doe@contoso.com"];
        },
        paths: ["access.developers.groupDisplayNames[0]"],
    },
    {
        id: "persona-upn-auditors",
        corruption: "security auditors granted to a user among groups",
        corrupt: (r) => {
            at(r, "access", "securityAuditors").groupDisplayNames = ["sg-security-operations", "auditor@contoso.com"];
        },
        paths: ["access.securityAuditors.groupDisplayNames[1]"],
    },
    {
        id: "persona-no-group",
        corruption: "developers persona with no group",
        corrupt: (r) => {
            at(r, "access").developers = {};
        },
        paths: ["access.developers"],
    },
    {
        id: "persona-missing",
        corruption: "securityAuditors persona removed",
        corrupt: (r) => {
            delete at(r, "access").securityAuditors;
        },
        paths: ["access.securityAuditors"],
    },
    {
        id: "application-name-invalid",
        corruption: "application name 'Chat_API'",
        corrupt: (r) => {
            at(r, "access").applications = [{ name: "Chat_API" }];
        },
        paths: ["access.applications[0].name"],
        gatewayPaths: callersOutside([]),
    },
    {
        id: "application-name-duplicate",
        corruption: "two applications named chat-api (one identity, two owners)",
        corrupt: (r) => {
            at(r, "access").applications = [{ name: "chat-api" }, { name: "chat-api" }];
        },
        paths: ["access.applications[1].name"],
        gatewayPaths: callersOutside(["chat-api"]),
    },

    // Budget
    {
        id: "budget-zero",
        corruption: "monthly budget 0",
        corrupt: (r) => {
            at(r, "budget").monthlyAmount = 0;
        },
        paths: ["budget.monthlyAmount"],
    },
    {
        id: "budget-negative",
        corruption: "monthly budget -9000",
        corrupt: (r) => {
            at(r, "budget").monthlyAmount = -9000;
        },
        paths: ["budget.monthlyAmount"],
    },
    {
        id: "budget-missing",
        corruption: "budget block removed",
        corrupt: (r) => {
            delete r.budget;
        },
        paths: ["budget"],
    },
    {
        id: "budget-no-contact",
        corruption: "budget without contact emails",
        corrupt: (r) => {
            at(r, "budget").contactEmails = [];
        },
        paths: ["budget.contactEmails"],
    },
    {
        id: "budget-contact-malformed",
        corruption: "budget contact 'finops' is not an email",
        corrupt: (r) => {
            at(r, "budget").contactEmails = ["finops"];
        },
        paths: ["budget.contactEmails[0]"],
    },
    {
        id: "action-group-wrong-type",
        corruption: "actionGroupId is a scheduled query rule id",
        corrupt: (r) => {
            at(r, "budget").actionGroupId = sub("Microsoft.Insights/scheduledQueryRules/rule");
        },
        paths: ["budget.actionGroupId"],
    },

    // Logging, encryption, content filter, tags
    {
        id: "retention-interactive-below-profile",
        corruption: "interactive retention one day under the profile's",
        corrupt: (r, p) => {
            r.logging = { interactiveRetentionDays: p.minimumLogRetention.interactiveDays - 1 };
        },
        paths: ["logging.interactiveRetentionDays"],
    },
    {
        id: "retention-total-below-profile",
        corruption: "total retention one day under the profile's",
        corrupt: (r, p) => {
            r.logging = { totalRetentionDays: p.minimumLogRetention.totalDays - 1 };
        },
        paths: ["logging.totalRetentionDays"],
    },
    {
        id: "retention-total-above-azure-max",
        corruption: "total retention 5000 days, over Azure's 4383",
        corrupt: (r) => {
            r.logging = { totalRetentionDays: 5000 };
        },
        paths: ["logging.totalRetentionDays"],
    },
    {
        id: "retention-total-below-interactive",
        corruption: "total retention below interactive retention",
        needs: (_r, p) => p.minimumLogRetention.totalDays < 730,
        corrupt: (r, p) => {
            r.logging = { interactiveRetentionDays: 730, totalRetentionDays: p.minimumLogRetention.totalDays };
        },
        paths: ["logging.totalRetentionDays"],
    },
    {
        id: "cmk-disabled-where-required",
        corruption: "customer-managed key switched off under a profile that requires it",
        needs: (_r, p) => p.customerManagedKeyRequired,
        corrupt: (r) => {
            r.customerManagedKey = false;
        },
        paths: ["customerManagedKey"],
    },
    {
        id: "dlp-patterns-dropped",
        corruption: "DLP list reduced to creditCard",
        needs: (_r, p) => p.dlpPatterns.some((d) => d !== "creditCard"),
        corrupt: (r) => {
            r.contentFilter = { ...(r.contentFilter as Obj), dlpPatterns: ["creditCard"] };
        },
        paths: ["contentFilter.dlpPatterns"],
    },
    {
        id: "dlp-pattern-misspelt",
        corruption: "DLP pattern 'apikey' misspelt (so apiKey is missing)",
        needs: (_r, p) => p.dlpPatterns.includes("apiKey"),
        corrupt: (r, p) => {
            r.contentFilter = {
                ...(r.contentFilter as Obj),
                dlpPatterns: ["apikey", ...p.dlpPatterns.filter((d) => d !== "apiKey")],
            };
        },
        paths: ["contentFilter.dlpPatterns", "contentFilter.dlpPatterns[0]"],
    },
    {
        id: "content-filter-high",
        corruption: "blocking threshold High (weaker than Azure's default)",
        corrupt: (r) => {
            r.contentFilter = { blockingThreshold: "High" };
        },
        paths: ["contentFilter.blockingThreshold"],
    },
    {
        id: "tag-required-missing",
        corruption: "cost-center tag removed",
        corrupt: (r) => {
            delete at(r, "tags")["cost-center"];
        },
        paths: ["tags.cost-center"],
    },
    {
        id: "tag-weaker-profile",
        corruption: "compliance-profile tag set to another profile",
        corrupt: (r, p) => {
            at(r, "tags")["compliance-profile"] = otherProfile(p).id;
        },
        paths: ["tags.compliance-profile"],
    },
    {
        id: "tag-environment-contradicts",
        corruption: "environment tag contradicting the stack's environment",
        corrupt: (r) => {
            at(r, "tags").environment = r.environment === "prod" ? "nonprod" : "prod";
        },
        paths: ["tags.environment"],
    },
];

export interface BadConfigCase {
    config: BadConfig;
    /** The committed stack the corruption is applied to. */
    stack: string;
}

/** Each entry on a committed stack: rotating over the stacks, the first one it applies to. */
export function badConfigCases(stacks: string[] = stackNames()): BadConfigCase[] {
    return badConfigs.map((config, index) => {
        for (let k = 0; k < stacks.length; k++) {
            const stack = stacks[(index + k) % stacks.length];
            const raw = rawStackConfig(stack);
            if (!config.needs || config.needs(raw, getProfile(String(raw.profile)))) return { config, stack };
        }
        throw new Error(`bad-config ${config.id} applies to no committed stack (${stacks.join(", ")})`);
    });
}

/** Every key path a case's rejection must list: the entry's, and those its stack's gateway adds. */
export function expectedPaths(c: Pick<BadConfigCase, "config" | "stack">): string[] {
    return [...c.config.paths, ...(c.config.gatewayPaths?.(rawStackConfig(c.stack)) ?? [])];
}

/** The corrupted raw config of a case (a fresh copy each call). */
export function badRawConfig(c: Pick<BadConfigCase, "config" | "stack">): unknown {
    const raw = structuredClone(rawStackConfig(c.stack));
    const replaced = c.config.corrupt(raw, getProfile(String(raw.profile)));
    return replaced === undefined ? raw : replaced;
}
