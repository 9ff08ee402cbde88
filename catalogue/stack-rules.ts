/**
 * The rules a stack's configuration must meet beyond its shape: those its compliance profile sets (regions, SKUs,
 * retention, spend, customer-managed key), the gateway's, and Azure's model lifecycle and availability. Each problem
 * names its key path and what was expected.
 */
import { deploymentSkus, privateDnsZones } from "./azure";
import { latestBudgetStart } from "./budget-period";
import { componentGatewayTier, gatewayDailyCostUsd, gatewayPrivateLink } from "./gateway";
import { catalogueUsdPer1kTokens, gatewayTokenLimits, GatewayUsdLimits } from "./gateway-limits";
import {
    approvedModels,
    daysBetween,
    describeReplacement,
    findModelVersion,
    isRetired,
    modelCatalogueReadOn,
    retirementFor,
    retirementSource,
    totalWorstCaseDailySpend,
} from "./models";
import { ComplianceProfile, getProfile, profileIds } from "./profiles";
import { GatewayConfig, ParsedStackConfig } from "./stack-schema";
import { EffectiveGateway } from "./stack-settings";

export interface ConfigProblem {
    /** Key path inside the project's config, e.g. `deployments[0].sku`. */
    path: string;
    message: string;
    /** `stacks/Pulumi.eu-prod.yaml:14:9`: where the key (or its nearest present parent) stands, when read from a file. */
    where?: string;
}

export class StackConfigError extends Error {
    constructor(
        public readonly stack: string,
        public readonly problems: ConfigProblem[],
    ) {
        super(
            `Invalid configuration for stack '${stack}' (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems
                    .map((p) => `  - ${p.where ? `${p.where}: ` : ""}${p.path || "(root)"}: ${p.message}`)
                    .join("\n"),
        );
        this.name = "StackConfigError";
    }
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface ValidationOptions {
    /** The day validation judges dates against (YYYY-MM-DD, UTC); default the day it runs. */
    today?: string;
}

/** Whether the raw value turns the customer-managed key off (`false` or `{ enabled: false }`). */
function cmkSwitchedOff(v: unknown): boolean {
    return v === false || (isObject(v) && v.enabled === false);
}

/** Rules that depend on the profile. They read the raw input defensively so they run even when its shape is wrong elsewhere. */
export function profileProblems(raw: Raw, today: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const add = (path: string, message: string) => problems.push({ path, message });
    if (typeof raw.profile !== "string" || !profileIds.includes(raw.profile as never)) {
        return problems;
    }
    const profile = getProfile(raw.profile);
    const prod = raw.environment === "prod";

    if (typeof raw.location === "string" && !profile.allowedRegions.includes(raw.location)) {
        add(
            "location",
            `'${raw.location}' is not allowed by profile ${profile.id}: expected one of ${profile.allowedRegions.join(", ")}`,
        );
    }

    const names = new Set<string>();
    asArray(raw.deployments).forEach((d, i) => {
        if (!isObject(d)) return;
        if (typeof d.name === "string") {
            if (names.has(d.name))
                add(
                    `deployments[${i}].name`,
                    `duplicate deployment name '${d.name}': names must be unique in the account`,
                );
            names.add(d.name);
        }
        if (
            typeof d.sku === "string" &&
            d.sku in deploymentSkus &&
            !profile.allowedDeploymentSkus.includes(d.sku as never)
        ) {
            const scope = deploymentSkus[d.sku as keyof typeof deploymentSkus];
            add(
                `deployments[${i}].sku`,
                `'${d.sku}' processes prompts ${scope === "global" ? "in any Azure region" : "outside the profile's data boundary"} and is not allowed by profile ${profile.id}: expected one of ${profile.allowedDeploymentSkus.join(", ")}`,
            );
        }
        if (typeof d.model === "string") {
            const approved = approvedModels[d.model];
            if (!approved) {
                add(
                    `deployments[${i}].model`,
                    `'${d.model}' is not an approved model: expected one of ${Object.keys(approvedModels).join(", ")}`,
                );
            } else if (typeof d.version === "string" && !approved.versions.includes(d.version)) {
                add(
                    `deployments[${i}].version`,
                    `'${d.version}' is not an approved version of ${d.model}: expected one of ${approved.versions.join(", ")}`,
                );
            } else if (typeof d.version === "string") {
                problems.push(
                    ...lifecycleProblems(
                        i,
                        d.model,
                        d.version,
                        d.sku,
                        raw.location,
                        profile.allowedRegions,
                        profile.allowedDeploymentSkus,
                        today,
                    ),
                );
            }
        }
        if (prod && d.versionUpgradeOption !== undefined && d.versionUpgradeOption !== "NoAutoUpgrade") {
            add(
                `deployments[${i}].versionUpgradeOption`,
                `'${String(d.versionUpgradeOption)}' lets Azure change the model of a production deployment: expected NoAutoUpgrade`,
            );
        }
    });

    const budget = isObject(raw.budget) ? raw.budget : {};
    const limit = typeof budget.dailySpendLimit === "number" ? budget.dailySpendLimit : profile.budget.dailySpendLimit;
    if (typeof budget.dailySpendLimit === "number" && budget.dailySpendLimit > profile.budget.dailySpendLimit) {
        add(
            "budget.dailySpendLimit",
            `${budget.dailySpendLimit} exceeds profile ${profile.id}'s limit of ${profile.budget.dailySpendLimit} USD/day: expected at most that`,
        );
    }
    const spendable = asArray(raw.deployments).filter(
        (d): d is { model: string; sku: string; capacity: number } =>
            isObject(d) &&
            typeof d.model === "string" &&
            typeof d.sku === "string" &&
            typeof d.capacity === "number" &&
            d.capacity > 0,
    );
    const prices = isObject(raw.prices)
        ? (Object.fromEntries(Object.entries(raw.prices).filter(([, v]) => typeof v === "number" && v > 0)) as Record<
              string,
              number
          >)
        : {};
    const priced = spendable.filter(
        (d) => d.sku.includes("Provisioned") || prices[d.model] !== undefined || approvedModels[d.model] !== undefined,
    );
    const gateway = isObject(raw.gateway) ? raw.gateway : undefined;
    const gatewayDaily = gateway ? gatewayCostOf(gateway) : 0;
    const spend = totalWorstCaseDailySpend(priced, prices, gatewayDaily);
    if (spend > limit) {
        const gatewayPart = gateway ? ` (the AI gateway's ${gatewayDaily.toFixed(2)} USD/day included)` : "";
        add(
            "deployments",
            `worst-case daily spend at full capacity is ${spend.toFixed(2)} USD${gatewayPart}, over the daily limit of ${limit} USD: ${limit < profile.budget.dailySpendLimit ? `lower deployments[].capacity, or raise budget.dailySpendLimit up to profile ${profile.id}'s ${profile.budget.dailySpendLimit} USD/day` : `lower deployments[].capacity (budget.dailySpendLimit is already profile ${profile.id}'s maximum; only the profile's owner can raise it, in catalogue/profiles.ts)`}`,
        );
    }
    problems.push(...gatewayProblems(raw, profile, prod));

    const logging = isObject(raw.logging) ? raw.logging : {};
    const min = profile.minimumLogRetention;
    if (
        typeof logging.interactiveRetentionDays === "number" &&
        logging.interactiveRetentionDays < min.interactiveDays
    ) {
        add(
            "logging.interactiveRetentionDays",
            `${logging.interactiveRetentionDays} days is below profile ${profile.id}'s minimum: expected at least ${min.interactiveDays}`,
        );
    }
    if (typeof logging.totalRetentionDays === "number" && logging.totalRetentionDays < min.totalDays) {
        add(
            "logging.totalRetentionDays",
            `${logging.totalRetentionDays} days is below profile ${profile.id}'s minimum: expected at least ${min.totalDays}`,
        );
    }
    // Azure refuses a total retention shorter than the interactive one; compare with the profile's value where one is unset.
    const interactive =
        typeof logging.interactiveRetentionDays === "number" ? logging.interactiveRetentionDays : min.interactiveDays;
    if (
        typeof logging.totalRetentionDays === "number" &&
        logging.totalRetentionDays >= min.totalDays &&
        logging.totalRetentionDays < interactive
    ) {
        add(
            "logging.totalRetentionDays",
            `${logging.totalRetentionDays} days is shorter than the interactive retention of ${interactive} days: expected at least ${interactive}`,
        );
    }

    // One AMPLS per DNS (learn.microsoft.com/azure/azure-monitor/logs/private-link-design): with the hub's zones the
    // workspace joins the hub's scope instead of creating a second one.
    const net = isObject(raw.network) ? raw.network : {};
    if (
        profile.monitorPrivateLinkRequired &&
        isObject(net.privateDnsZoneIds) &&
        net.azureMonitorPrivateLinkScopeId === undefined
    ) {
        add(
            "network.azureMonitorPrivateLinkScopeId",
            `profile ${profile.id} requires private access to the audit workspace and the stack uses hub DNS zones: expected the hub's Azure Monitor Private Link Scope id`,
        );
    }

    if (cmkSwitchedOff(raw.customerManagedKey) && profile.customerManagedKeyRequired) {
        add(
            "customerManagedKey",
            `profile ${profile.id} requires customer-managed key encryption: expected true or no value`,
        );
    }
    const cmk = raw.customerManagedKey;
    if (isObject(cmk) && cmk.phase !== undefined && !profile.customerManagedKeyRequired && cmk.enabled !== true) {
        add(
            "customerManagedKey.phase",
            `is set but profile ${profile.id} does not require a customer-managed key and customerManagedKey.enabled is not true: expected enabled: true with the phase, or no phase`,
        );
    }
    if (
        typeof budget.startDate === "string" &&
        /^\d{4}-\d{2}-01$/.test(budget.startDate) &&
        budget.startDate > latestBudgetStart(today)
    ) {
        add(
            "budget.startDate",
            `'${budget.startDate}' is more than twelve months ahead (Azure refuses it): expected ${latestBudgetStart(today)} or earlier, or no value (the first of the month of the first deployment)`,
        );
    }

    const filter = isObject(raw.contentFilter) ? raw.contentFilter : {};
    if (Array.isArray(filter.dlpPatterns)) {
        const missing = profile.dlpPatterns.filter((p) => !(filter.dlpPatterns as unknown[]).includes(p));
        if (missing.length)
            add(
                "contentFilter.dlpPatterns",
                `profile ${profile.id} requires the DLP patterns ${missing.join(", ")}: expected them in the list`,
            );
    }

    const tags = isObject(raw.tags) ? raw.tags : undefined;
    if (tags) {
        for (const required of profile.requiredTags.filter((t) => t !== "compliance-profile" && t !== "environment")) {
            if (typeof tags[required] !== "string" || tags[required] === "")
                add(`tags.${required}`, `required by profile ${profile.id}: expected a non-empty string`);
        }
        if (tags["compliance-profile"] !== undefined && tags["compliance-profile"] !== profile.id) {
            add(
                "tags.compliance-profile",
                `'${String(tags["compliance-profile"])}' contradicts the stack's profile: expected ${profile.id} or no value (the platform sets it)`,
            );
        }
        if (tags.environment !== undefined && tags.environment !== raw.environment) {
            add(
                "tags.environment",
                `'${String(tags.environment)}' contradicts the stack's environment: expected ${String(raw.environment)} or no value`,
            );
        }
    }

    const access = isObject(raw.access) ? raw.access : {};
    for (const persona of ["developers", "dataScientists", "securityAuditors"]) {
        const p = isObject(access[persona]) ? access[persona] : {};
        asArray(p.groupDisplayNames).forEach((n, i) => {
            if (typeof n === "string" && n.includes("@")) {
                add(
                    `access.${persona}.groupDisplayNames[${i}]`,
                    `'${n}' looks like a user principal name: roles are granted to Entra ID groups only, expected a group display name`,
                );
            }
        });
        if (
            isObject(access[persona]) &&
            asArray(p.groupObjectIds).length + asArray(p.groupDisplayNames).length === 0 &&
            persona !== "dataScientists"
        ) {
            add(
                `access.${persona}`,
                "no group given: expected at least one entry in groupObjectIds or groupDisplayNames",
            );
        }
    }

    const appNames = new Set<string>();
    asArray(access.applications).forEach((a, i) => {
        if (!isObject(a) || typeof a.name !== "string") return;
        if (appNames.has(a.name))
            add(
                `access.applications[${i}].name`,
                `duplicate application name '${a.name}': each application gets its own managed identity, expected unique names`,
            );
        appNames.add(a.name);
    });

    const network = isObject(raw.network) ? raw.network : {};
    if (
        typeof network.vnetId === "string" &&
        typeof network.privateEndpointSubnetId === "string" &&
        !network.privateEndpointSubnetId.toLowerCase().startsWith(`${network.vnetId.toLowerCase()}/subnets/`)
    ) {
        add("network.privateEndpointSubnetId", "is not a subnet of network.vnetId: expected <vnetId>/subnets/<name>");
    }
    const zones = isObject(network.privateDnsZoneIds) ? network.privateDnsZoneIds : {};
    for (const [key, zoneName] of Object.entries({
        openai: privateDnsZones.openai,
        cognitiveServices: privateDnsZones.cognitiveServices,
        keyVault: privateDnsZones.keyVault,
    })) {
        const id = zones[key];
        if (typeof id === "string" && !id.toLowerCase().endsWith(`/privatednszones/${zoneName}`)) {
            add(
                `network.privateDnsZoneIds.${key}`,
                `points to the wrong zone: expected a privateDnsZones id ending in /${zoneName}`,
            );
        }
    }
    return problems;
}

/** The gateway's own worst-case cost per day, from a raw `gateway` block (defaults where its values are unusable). */
function gatewayCostOf(gateway: Raw): number {
    const units =
        typeof gateway.units === "number" && Number.isInteger(gateway.units) && gateway.units > 0 ? gateway.units : 1;
    return gatewayDailyCostUsd(componentGatewayTier, units);
}

/** The profile's gateway rules: required where the profile says, limits never above its own, callers that exist, a wiring that can work. */
function gatewayProblems(raw: Raw, profile: ComplianceProfile, prod: boolean): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const add = (path: string, message: string) => problems.push({ path, message });
    const rule = profile.gateway;
    const required = rule.requiredFor === "all" || (rule.requiredFor === "production" && prod);
    if (!isObject(raw.gateway)) {
        if (raw.gateway === undefined && required)
            add(
                "gateway",
                `profile ${profile.id} requires the governed AI gateway for ${rule.requiredFor === "all" ? "every" : "production"} stack: expected a gateway block with integrationSubnetId (docs/gateway.md)`,
            );
        return problems;
    }
    const gateway = raw.gateway;
    const network = isObject(raw.network) ? raw.network : {};
    const subnet = gateway.integrationSubnetId;
    if (
        typeof subnet === "string" &&
        typeof network.vnetId === "string" &&
        !subnet.toLowerCase().startsWith(`${network.vnetId.toLowerCase()}/subnets/`)
    ) {
        add(
            "gateway.integrationSubnetId",
            "is not a subnet of network.vnetId, so the gateway could not resolve the accounts' private DNS records: expected <vnetId>/subnets/<name>",
        );
    }
    if (
        typeof subnet === "string" &&
        typeof network.privateEndpointSubnetId === "string" &&
        subnet.toLowerCase() === network.privateEndpointSubnetId.toLowerCase()
    ) {
        add(
            "gateway.integrationSubnetId",
            "is the private endpoint subnet: expected a dedicated subnet delegated to Microsoft.Web/serverFarms (outbound VNet integration takes the subnet for itself)",
        );
    }
    const zone = gateway.privateDnsZoneId;
    if (typeof zone === "string" && !zone.toLowerCase().endsWith(`/privatednszones/${gatewayPrivateLink.zone}`)) {
        add(
            "gateway.privateDnsZoneId",
            `points to the wrong zone: expected a privateDnsZones id ending in /${gatewayPrivateLink.zone}`,
        );
    }
    if (zone === undefined && isObject(network.privateDnsZoneIds)) {
        add(
            "gateway.privateDnsZoneId",
            `the stack uses hub DNS zones (network.privateDnsZoneIds): expected the hub's ${gatewayPrivateLink.zone} zone id too`,
        );
    }
    const limits = isObject(gateway.limits) ? gateway.limits : {};
    for (const key of ["dailyUsd", "monthlyUsd", "perRequestTokens", "perCallerPercent"] as const) {
        const value = limits[key];
        if (typeof value === "number" && value > rule.limits[key])
            add(
                `gateway.limits.${key}`,
                `${value} exceeds profile ${profile.id}'s ${rule.limits[key]}: expected at most that (a stack may only lower the profile's limits)`,
            );
    }

    const access = isObject(raw.access) ? raw.access : {};
    const applications = new Set(
        asArray(access.applications)
            .map((a) => (isObject(a) ? a.name : undefined))
            .filter((n): n is string => typeof n === "string"),
    );
    const seen = new Set<string>();
    asArray(gateway.callers).forEach((c, i) => {
        if (!isObject(c)) return;
        const at = `gateway.callers[${i}]`;
        if ((c.application === undefined) === (c.clientId === undefined))
            add(at, "expected exactly one of application (a name of access.applications) or clientId");
        if (typeof c.application === "string" && !applications.has(c.application))
            add(
                `${at}.application`,
                `'${c.application}' is not in access.applications: expected one of ${[...applications].join(", ") || "(none declared)"}`,
            );
        const key = String(c.application ?? c.clientId ?? "").toLowerCase();
        if (key && seen.has(key)) add(at, `duplicate caller '${key}': expected each caller once`);
        seen.add(key);
    });
    if (asArray(gateway.callers).length === 0 && applications.size === 0)
        add(
            "gateway.callers",
            "no caller: the stack declares no access.applications, expected at least one caller so that someone may call the gateway",
        );
    return problems;
}

/** The gateway as the stack runs it, from the parsed config. Throws the arithmetic's message when its limits cannot hold. */
export function effectiveGateway(
    config: ParsedStackConfig & { gateway: GatewayConfig },
    profile: ComplianceProfile,
): EffectiveGateway {
    const g = config.gateway;
    const usdLimits: GatewayUsdLimits = {
        ...profile.gateway.limits,
        ...Object.fromEntries(Object.entries(g.limits).filter(([, v]) => v !== undefined)),
    };
    const prices = catalogueUsdPer1kTokens(
        config.deployments.map((d) => d.model),
        config.prices,
    );
    const callers =
        g.callers.length > 0
            ? g.callers.map((c) =>
                  c.application !== undefined
                      ? { application: c.application, team: c.team }
                      : { clientId: c.clientId as string, team: c.team },
              )
            : config.access.applications.map((a) => ({ application: a.name, team: a.name }));
    return {
        usdLimits,
        limits: gatewayTokenLimits(usdLimits, config.deployments, prices),
        callers,
        publisherEmail: g.publisherEmail ?? config.budget.contactEmails[0],
        dailyCostUsd: gatewayDailyCostUsd(componentGatewayTier, g.units),
        bodyLoggingAllowed: profile.gateway.bodyLoggingAllowed,
        publicInboundAllowed: profile.gateway.publicInboundAllowed,
    };
}

/**
 * A deployment's model version judged against the catalogue's lifecycle and availability facts: refused once retired
 * (Azure answers every call with an error), and where the availability tables read show the SKU does not offer it in
 * the stack's region. Availability is checked only for a region and SKU the profile allows (those get their own error).
 */
function lifecycleProblems(
    i: number,
    model: string,
    version: string,
    sku: unknown,
    location: unknown,
    regions: readonly string[],
    skus: readonly string[],
    today: string,
): ConfigProblem[] {
    const out: ConfigProblem[] = [];
    const m = findModelVersion(model, version);
    if (!m) return out;
    const skuName = typeof sku === "string" ? sku : "";
    if (isRetired(m, skuName, today)) {
        const date = retirementFor(m, skuName).date;
        out.push({
            path: `deployments[${i}].version`,
            message: `${model} ${version} retired on ${date}${m.retirementBySku?.[skuName as never] ? ` for ${skuName}` : ""} (${daysBetween(date, today)} days ago; Azure answers every call to a retired model with an error, ${retirementSource.page}): expected a current model, e.g. ${describeReplacement(m, today)}`,
        });
        return out;
    }
    if (typeof location !== "string" || !regions.includes(location) || !skus.includes(skuName)) return out;
    const offered = m.offeredIn[skuName as never] as string[] | undefined;
    if (offered && !offered.includes(location)) {
        const alternatives = skus.filter((s) => (m.offeredIn[s as never] as string[] | undefined)?.includes(location));
        out.push({
            path: `deployments[${i}].sku`,
            message: `${model} ${version} is not offered as ${skuName} in ${location} (Azure's availability tables, read ${modelCatalogueReadOn}): expected ${alternatives.length ? `one of ${alternatives.join(", ")}` : "another model or region (no SKU the profile allows offers it there)"}`,
        });
    }
    return out;
}
