/**
 * The model catalogue: every model version the platform knows, with where its facts come from, its lifecycle
 * (deprecation and retirement), where it is offered among the regions the profiles allow, and the list price used
 * to bound worst-case spend. Config validation, the components and the policy pack's generated config all read it.
 *
 * Lifecycle: the Azure OpenAI "model retirements" page (`retirementSource`); availability: the model-matrix tables of
 * the "models" page (`availabilitySources`), both read on `modelCatalogueReadOn`. Microsoft's docs revision read is
 * named with each source, so a later reader can diff it. A fact the docs did not give is absent, never guessed: a SKU
 * missing from `offeredIn` was not recorded (its table was not read or did not list the model), which is different
 * from an empty list (the table was read and offers it in none of the profiles' regions).
 *
 * Prices: USD list prices per 1,000 *output* tokens (the worst case prices every token at the output rate), as of
 * `pricesAsOf`. Unverified against Azure's own pricing page, which renders its prices in the browser and could not be
 * read here: they are the Global rates OpenAI publishes for the same models, which Azure's Global deployments match;
 * Data Zone and Regional deployments may cost more. A stack overrides a price in its `prices` config when its
 * agreement differs. Provisioned SKUs are priced per PTU-hour.
 */
import { DeploymentSku } from "./azure";

/** The day the lifecycle and availability facts below were read from Microsoft's docs. */
export const modelCatalogueReadOn = "2026-11-27";
/** The day the prices below were last refreshed. */
export const pricesAsOf = "2026-11-27";
/** Days after which these dated facts must be read again from Microsoft's pages (a test fails past it). */
export const catalogueStalenessDays = 120;

export interface DocSource {
    /** The published page. */
    page: string;
    /** Its source in MicrosoftDocs/azure-ai-docs and the revision read. */
    file: string;
    revision: string;
}

export const retirementSource: DocSource = {
    page: "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/model-retirements",
    file: "articles/ai-foundry/openai/includes/retirement/models.md",
    revision: "31c50ba110d5cae14a227ad610b537c5accbeafe",
};

export const availabilitySources: Partial<Record<DeploymentSku, DocSource>> = {
    Standard: {
        page: "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/models#model-summary-table-and-region-availability",
        file: "articles/ai-foundry/openai/includes/model-matrix/standard-models.md",
        revision: "43dc14ea7c3081e819d52883eea5ff12878fc8f8",
    },
    DataZoneStandard: {
        page: "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/models#model-summary-table-and-region-availability",
        file: "articles/ai-foundry/openai/includes/model-matrix/datazone-standard.md",
        revision: "8f2b68ee82f40d551cd30f12a6b15ba40f16b319",
    },
    ProvisionedManaged: {
        page: "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/models#model-summary-table-and-region-availability",
        file: "articles/ai-foundry/openai/includes/model-matrix/provisioned-models.md",
        revision: "ef6b0ae8050b7d3fe5929ddec2398252d72c0672",
    },
};

/** A lifecycle date: `exact` when the docs give the date, otherwise the docs' "no earlier than" date. */
export interface LifecycleDate {
    date: string;
    exact: boolean;
}

export interface ModelVersion {
    model: string;
    version: string;
    status: "GA" | "Preview";
    /** From this date the model version takes no new customers (a subscription that never deployed it cannot). */
    deprecation?: LifecycleDate;
    /** From this date every deployment of it returns errors. */
    retirement: LifecycleDate;
    /** Where the docs give a different retirement date for some SKUs. */
    retirementBySku?: Partial<Record<DeploymentSku, string>>;
    /** The replacement the retirement table names, as written there (it may itself be retired, or outside this catalogue). */
    replacementNamedByDocs?: string;
    /** `model@version` in this catalogue to move to; followed until one that is not retired (`currentReplacement`). */
    replacement?: string;
    /** USD per 1,000 tokens at the output-token rate (the worst case for spend). */
    usdPer1kTokens: number;
    /** Regions, among those any profile allows, in which each SKU offers this version (see the header on absent SKUs). */
    offeredIn: Partial<Record<DeploymentSku, string[]>>;
}

const on = (date: string): LifecycleDate => ({ date, exact: true });
const notBefore = (date: string): LifecycleDate => ({ date, exact: false });

// Regions of the availability tables, restricted to those the profiles allow (catalogue/profiles.ts).
const usDataZone = ["centralus", "eastus", "eastus2", "northcentralus", "southcentralus", "westus", "westus3"];
const euDataZone = [
    "francecentral",
    "germanywestcentral",
    "italynorth",
    "polandcentral",
    "spaincentral",
    "swedencentral",
    "westeurope",
];
const gpt4Standard = ["eastus", "eastus2", "northcentralus", "southcentralus", "swedencentral", "westus", "westus3"];

export const modelCatalogue: readonly ModelVersion[] = [
    {
        model: "gpt-4o",
        version: "2024-08-06",
        status: "GA",
        deprecation: on("2025-08-06"),
        retirement: on("2026-10-01"),
        retirementBySku: { Standard: "2026-03-31" },
        replacementNamedByDocs: "gpt-5.1",
        replacement: "gpt-5.1@2025-11-13",
        usdPer1kTokens: 0.01,
        offeredIn: {
            Standard: ["centralus", ...gpt4Standard],
            DataZoneStandard: [...usDataZone, ...euDataZone.filter((r) => r !== "italynorth")],
        },
    },
    {
        model: "gpt-4o",
        version: "2024-11-20",
        status: "GA",
        deprecation: on("2025-11-20"),
        retirement: on("2026-10-01"),
        replacementNamedByDocs: "gpt-5.1",
        replacement: "gpt-5.1@2025-11-13",
        usdPer1kTokens: 0.01,
        offeredIn: {
            Standard: ["australiaeast", "centralus", "francecentral", ...gpt4Standard],
            DataZoneStandard: [...usDataZone, ...euDataZone],
        },
    },
    {
        model: "gpt-4o-mini",
        version: "2024-07-18",
        status: "GA",
        deprecation: on("2025-07-18"),
        retirement: on("2026-10-01"),
        retirementBySku: { Standard: "2026-03-31" },
        replacementNamedByDocs: "gpt-4.1-mini",
        replacement: "gpt-4.1-mini@2025-04-14",
        usdPer1kTokens: 0.0006,
        offeredIn: { Standard: gpt4Standard, DataZoneStandard: [...usDataZone, ...euDataZone] },
    },
    {
        model: "gpt-4.1",
        version: "2025-04-14",
        status: "GA",
        deprecation: on("2026-04-14"),
        retirement: on("2026-10-14"),
        // The docs name gpt-5, which needs registration and whose retirement the table does not list.
        replacementNamedByDocs: "gpt-5",
        replacement: "gpt-5.1@2025-11-13",
        usdPer1kTokens: 0.008,
        offeredIn: { Standard: gpt4Standard, DataZoneStandard: [...usDataZone, ...euDataZone] },
    },
    {
        model: "gpt-4.1-mini",
        version: "2025-04-14",
        status: "GA",
        deprecation: on("2026-04-14"),
        retirement: on("2026-10-14"),
        replacementNamedByDocs: "gpt-5-mini",
        replacement: "gpt-5-mini@2025-08-07",
        usdPer1kTokens: 0.0016,
        offeredIn: {
            Standard: ["australiaeast", "francecentral", "westeurope", ...gpt4Standard],
            DataZoneStandard: [...usDataZone, ...euDataZone],
        },
    },
    {
        model: "o4-mini",
        version: "2025-04-16",
        status: "GA",
        deprecation: on("2026-04-16"),
        retirement: on("2026-10-16"),
        // The table names no replacement; the catalogue's is the current small reasoning model.
        replacement: "gpt-5-mini@2025-08-07",
        usdPer1kTokens: 0.0044,
        offeredIn: { Standard: gpt4Standard, DataZoneStandard: [...usDataZone, ...euDataZone] },
    },
    {
        model: "gpt-5-mini",
        version: "2025-08-07",
        status: "GA",
        deprecation: on("2026-08-07"),
        retirement: on("2027-02-06"),
        // The table names no replacement yet: refresh the catalogue before this version retires.
        usdPer1kTokens: 0.002,
        offeredIn: {
            Standard: [],
            DataZoneStandard: [...usDataZone, ...euDataZone],
            ProvisionedManaged: ["australiaeast", "eastus2"],
        },
    },
    {
        model: "gpt-5.1",
        version: "2025-11-13",
        status: "GA",
        deprecation: on("2026-11-13"),
        retirement: on("2027-05-15"),
        usdPer1kTokens: 0.01,
        offeredIn: { Standard: [], DataZoneStandard: ["eastus", "eastus2", "francecentral", "swedencentral"] },
    },
    {
        model: "gpt-5.2",
        version: "2025-12-11",
        status: "GA",
        deprecation: notBefore("2026-12-12"),
        retirement: notBefore("2027-05-12"),
        usdPer1kTokens: 0.014,
        offeredIn: { Standard: [], DataZoneStandard: ["centralus", "eastus2"] },
    },
    {
        model: "text-embedding-3-large",
        version: "1",
        status: "GA",
        retirement: notBefore("2027-04-15"),
        usdPer1kTokens: 0.00013,
        offeredIn: {
            Standard: [
                "australiaeast",
                "eastus",
                "eastus2",
                "francecentral",
                "germanywestcentral",
                "polandcentral",
                "spaincentral",
                "swedencentral",
                "westus3",
            ],
            DataZoneStandard: usDataZone,
        },
    },
    {
        model: "text-embedding-3-small",
        version: "1",
        status: "GA",
        retirement: notBefore("2027-04-15"),
        usdPer1kTokens: 0.00002,
        offeredIn: { Standard: ["australiaeast", "eastus", "eastus2", "westus"], DataZoneStandard: usDataZone },
    },
    {
        model: "text-embedding-ada-002",
        version: "2",
        status: "GA",
        retirement: notBefore("2027-04-15"),
        usdPer1kTokens: 0.0001,
        offeredIn: {
            Standard: [
                "australiaeast",
                "eastus",
                "eastus2",
                "francecentral",
                "northcentralus",
                "southcentralus",
                "swedencentral",
                "westeurope",
                "westus",
                "westus3",
            ],
            DataZoneStandard: usDataZone,
        },
    },
];

export const modelKey = (model: string, version: string) => `${model}@${version}`;

const byKey = new Map(modelCatalogue.map((m) => [modelKey(m.model, m.version), m]));

/** The catalogue entry of a model version, if the platform knows it. */
export function findModelVersion(model: string, version: string): ModelVersion | undefined {
    return byKey.get(modelKey(model, version));
}

export interface ApprovedModel {
    /** Versions that may be deployed; a deployment must pin one of them. */
    versions: string[];
    /** USD per 1,000 tokens at the output-token rate (the worst case for spend). */
    usdPer1kTokens: number;
}

/** Models by name with their known versions and price (the shape config validation and the pack's config take). */
export const approvedModels: Record<string, ApprovedModel> = modelCatalogue.reduce<Record<string, ApprovedModel>>(
    (acc, m) => {
        const entry = (acc[m.model] ??= { versions: [], usdPer1kTokens: m.usdPer1kTokens });
        entry.versions.push(m.version);
        entry.usdPer1kTokens = Math.max(entry.usdPer1kTokens, m.usdPer1kTokens);
        return acc;
    },
    {},
);

/** The day a deployment of this version on this SKU stops working (the exact or earliest possible date). */
export function retirementFor(m: ModelVersion, sku: string): LifecycleDate {
    const bySku = m.retirementBySku?.[sku as DeploymentSku];
    return bySku ? on(bySku) : m.retirement;
}

/** True once an exactly dated retirement has come: from that day Azure answers every call with an error. */
export function isRetired(m: ModelVersion, sku: string, today: string): boolean {
    const r = retirementFor(m, sku);
    return r.exact && today >= r.date;
}

/** Whole days from `from` to `to` (YYYY-MM-DD, UTC). */
export function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The first model version down the replacement chain that is not retired on `today` (any SKU), or undefined. */
export function currentReplacement(m: ModelVersion, today: string): ModelVersion | undefined {
    const seen = new Set<string>();
    let next = m.replacement ? byKey.get(m.replacement) : undefined;
    while (next && !seen.has(modelKey(next.model, next.version))) {
        seen.add(modelKey(next.model, next.version));
        if (!(next.retirement.exact && today >= next.retirement.date)) return next;
        next = next.replacement ? byKey.get(next.replacement) : undefined;
    }
    return undefined;
}

/** `gpt-5.1 2025-11-13` or the advice to refresh the catalogue when no current replacement is known. */
export function describeReplacement(m: ModelVersion, today: string): string {
    const r = currentReplacement(m, today);
    return r
        ? `${r.model} ${r.version}`
        : "none known to the catalogue (refresh catalogue/models.ts from the model retirements page)";
}

/** Today's date in UTC, YYYY-MM-DD: what "today" means wherever a caller does not pin it. */
export function utcToday(now: Date = new Date()): string {
    return now.toISOString().slice(0, 10);
}

/** USD per provisioned throughput unit (PTU) per hour, regional list price (unverified, as the token prices). */
export const usdPerPtuHour = 2;

export interface SpendInput {
    model: string;
    sku: string;
    /** Thousands of tokens per minute, or PTUs for provisioned SKUs. */
    capacity: number;
}

const minutesPerDay = 24 * 60;

/** Worst-case USD per day of one deployment running at full capacity all day. */
export function worstCaseDailySpend(d: SpendInput, prices: Record<string, number> = {}): number {
    if (d.sku.includes("Provisioned")) {
        return d.capacity * 24 * usdPerPtuHour;
    }
    const per1k = prices[d.model] ?? approvedModels[d.model]?.usdPer1kTokens;
    if (per1k === undefined) {
        throw new Error(`No price for model '${d.model}': add it to catalogue/models.ts or to the stack's prices`);
    }
    return d.capacity * minutesPerDay * per1k;
}

/**
 * Worst-case USD per day of all deployments together, plus fixed daily costs that run whether or not tokens flow (the
 * AI gateway's units), rounded to cents.
 */
export function totalWorstCaseDailySpend(
    ds: SpendInput[],
    prices: Record<string, number> = {},
    fixedDailyUsd = 0,
): number {
    return Math.round((ds.reduce((sum, d) => sum + worstCaseDailySpend(d, prices), 0) + fixedDailyUsd) * 100) / 100;
}
