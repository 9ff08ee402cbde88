/**
 * The model catalogue: every model version the platform knows, with where its facts come from, its lifecycle
 * (deprecation and retirement), where it is offered among the regions the profiles allow, and the list price used
 * to bound worst-case spend. Config validation, the components and the policy pack's generated config all read it,
 * through the lookups of models.ts.
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
import { DocSource, LifecycleDate, ModelVersion } from "./model-version";

/** The day the lifecycle and availability facts below were read from Microsoft's docs. */
export const modelCatalogueReadOn = "2026-11-27";
/** The day the prices below were last refreshed. */
export const pricesAsOf = "2026-11-27";
/** Days after which these dated facts must be read again from Microsoft's pages (a test fails past it). */
export const catalogueStalenessDays = 120;

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

/** USD per provisioned throughput unit (PTU) per hour, regional list price (unverified, as the token prices). */
export const usdPerPtuHour = 2;
