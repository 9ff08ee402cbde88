/**
 * The compliance-profile catalogue: the one place where a profile's rules live.
 * The program validates stack config against it and the policy pack's config files are generated from it
 * (`npm run policy-config`), so the two can never disagree. Adding a profile is adding an entry here.
 */
import { DeploymentSku } from "./azure";

export type DlpPattern = "creditCard" | "usSsn" | "email" | "phone" | "apiKey";
export const dlpPatternNames: readonly DlpPattern[] = ["creditCard", "usSsn", "email", "phone", "apiKey"];

export interface LogRetention {
    /** Days logs stay searchable in the workspace (interactive retention, 4-730). */
    interactiveDays: number;
    /** Days logs are kept in total, interactive plus long-term (archive) retention, up to 4383. */
    totalDays: number;
}

export interface BudgetDefaults {
    /** Monthly budget on the stack's resource group, in the billing currency. */
    monthlyAmount: number;
    /** Percentages of the monthly amount that notify on actual spend. */
    actualThresholds: number[];
    /** Percentages of the monthly amount that notify on forecasted spend. */
    forecastedThresholds: number[];
    /** Worst-case daily spend (USD) that the stack's deployments may reach at full capacity. */
    dailySpendLimit: number;
}

/** The AI gateway a profile asks for: which stacks must route through it and the limits it enforces unless a stack lowers them. */
export interface GatewayDefaults {
    /** Stacks that must put the governed gateway in front of their accounts: production ones, all, or none (opt-in). */
    requiredFor: "production" | "all" | "none";
    /** USD per day and month, tokens per request and each caller's share; a stack may only lower them. */
    limits: { dailyUsd: number; monthlyUsd: number; perRequestTokens: number; perCallerPercent: number };
    /** Whether the gateway may accept calls from the internet (false: private endpoint only, public network access disabled). */
    publicInboundAllowed: boolean;
    /** Whether the gateway may log request and response bodies (prompts and completions) to the workspace. */
    bodyLoggingAllowed: boolean;
}

/**
 * The design's cost governor (the user's `CostLimits`): 100 USD a day, 2,000 USD a month, 4,000 tokens a request. The
 * per-caller share is the platform's: no single application may take more than a quarter of the stack's limits.
 */
export const designGatewayLimits = { dailyUsd: 100, monthlyUsd: 2000, perRequestTokens: 4000, perCallerPercent: 25 };

export interface ComplianceProfile {
    /** Stable id, used in stack config, tags and the pack's config file names. */
    id: string;
    description: string;
    /** Frameworks this profile is designed to support (the design's REGIONAL_CONFIG). */
    frameworks: string[];
    /** Region a stack of this profile uses unless it says otherwise. */
    homeRegion: string;
    /** Azure regions in which any resource of the stack may be placed, logs and vaults included. */
    allowedRegions: string[];
    /** Deployment SKUs whose processing location keeps prompts where the profile requires. */
    allowedDeploymentSkus: DeploymentSku[];
    /** Minimum retention of the audit-log workspace. */
    minimumLogRetention: LogRetention;
    /** Whether accounts must encrypt with a customer-managed key (Key Vault). */
    customerManagedKeyRequired: boolean;
    /** Whether customer-managed keys must be HSM-protected (`RSA-HSM` in a Premium vault), not software keys. */
    customerManagedKeyHsmRequired: boolean;
    /**
     * Whether the audit workspace refuses public ingestion and queries and is reached only through an Azure Monitor
     * Private Link Scope (AMPLS) with a private endpoint.
     */
    monitorPrivateLinkRequired: boolean;
    budget: BudgetDefaults;
    /** DLP patterns blocked on prompts unless a stack lists its own (never fewer than the profile's). */
    dlpPatterns: DlpPattern[];
    /** Tags every resource of the stack carries. `compliance-profile` is always required. */
    requiredTags: string[];
    gateway: GatewayDefaults;
}

/** Tags every profile requires; a profile may add more. */
export const baseRequiredTags = ["compliance-profile", "environment", "cost-center", "owner", "data-classification"];

/** Alert thresholds used by every profile: actual 50/80/100 %, forecasted 100 % (FinOps Foundation budget practice). */
const standardThresholds = { actualThresholds: [50, 80, 100], forecastedThresholds: [100] };

export const profiles = {
    "eu-gdpr": {
        id: "eu-gdpr",
        description: "EU personal data under GDPR; prompts processed inside the EU data zone.",
        frameworks: ["GDPR", "ISO 27001"],
        homeRegion: "westeurope",
        // EU member-state regions that host Azure OpenAI; the EU data zone covers exactly the EU member states
        // (learn.microsoft.com/azure/ai-services/openai/how-to/deployment-types#data-zone-standard).
        allowedRegions: [
            "westeurope",
            "swedencentral",
            "francecentral",
            "germanywestcentral",
            "italynorth",
            "polandcentral",
            "spaincentral",
        ],
        // No Global SKU: GDPR Chapter V transfers. DataZone keeps processing in EU member states.
        allowedDeploymentSkus: ["Standard", "ProvisionedManaged", "DataZoneStandard", "DataZoneProvisionedManaged"],
        // Design's diagnostic settings: RequestResponse 90 days searchable, Audit 365 days kept.
        minimumLogRetention: { interactiveDays: 90, totalDays: 365 },
        customerManagedKeyRequired: false,
        // Where a stack opts into CMK, a software-protected RSA key is accepted; the platform's own key is RSA-HSM.
        customerManagedKeyHsmRequired: false,
        // Queries and ingestion need Entra ID (local auth is off everywhere); public network access stays possible.
        monitorPrivateLinkRequired: false,
        budget: { monthlyAmount: 5000, dailySpendLimit: 250, ...standardThresholds },
        dlpPatterns: ["creditCard", "email", "phone", "apiKey"],
        requiredTags: baseRequiredTags,
        // Production applications call through the governed gateway; personal data stays out of its logs.
        gateway: {
            requiredFor: "production",
            limits: { ...designGatewayLimits },
            publicInboundAllowed: false,
            bodyLoggingAllowed: false,
        },
    },
    "us-hipaa": {
        id: "us-hipaa",
        description: "US protected health information under HIPAA; prompts processed inside the US data zone.",
        frameworks: ["HIPAA", "SOC 2", "FedRAMP"],
        homeRegion: "eastus",
        // US regions that host Azure OpenAI; the US data zone covers US regions only.
        allowedRegions: ["eastus", "eastus2", "centralus", "northcentralus", "southcentralus", "westus", "westus3"],
        allowedDeploymentSkus: ["Standard", "ProvisionedManaged", "DataZoneStandard", "DataZoneProvisionedManaged"],
        // HIPAA documentation retention is six years (45 CFR 164.316(b)(2)(i)): 6 x 365.25 = 2192 days.
        minimumLogRetention: { interactiveDays: 365, totalDays: 2192 },
        // HIPAA 164.312(a)(2)(iv) encryption, FedRAMP SC-12/SC-28: keys held by the customer.
        customerManagedKeyRequired: true,
        // FedRAMP SC-12/SC-13: keys protected by FIPS 140-validated hardware (Key Vault Premium HSM keys).
        customerManagedKeyHsmRequired: true,
        // HIPAA 164.312(e)(1) transmission security, FedRAMP SC-7 boundary protection: audit logs only over private networks.
        monitorPrivateLinkRequired: true,
        budget: { monthlyAmount: 10000, dailySpendLimit: 400, ...standardThresholds },
        dlpPatterns: ["creditCard", "usSsn", "email", "phone", "apiKey"],
        requiredTags: baseRequiredTags,
        // Opt-in per stack; PHI never reaches the gateway's logs.
        gateway: {
            requiredFor: "none",
            limits: { ...designGatewayLimits },
            publicInboundAllowed: false,
            bodyLoggingAllowed: false,
        },
    },
    "au-irap": {
        id: "au-irap",
        description: "Australian government data assessed under IRAP; prompts processed in Australia only.",
        frameworks: ["IRAP", "ISO 27001"],
        homeRegion: "australiaeast",
        allowedRegions: ["australiaeast", "australiasoutheast"],
        // There is no Australian data zone: only regional SKUs keep processing in Australia.
        allowedDeploymentSkus: ["Standard", "ProvisionedManaged"],
        // ISM-1988: searchable for 12 months; ISM-1989 / AFDA Express v2: kept 7 years (7 x 365.25 = 2557 days).
        minimumLogRetention: { interactiveDays: 365, totalDays: 2557 },
        // ISM cryptography guidelines for PROTECTED: agency-controlled keys.
        customerManagedKeyRequired: true,
        // ISM cryptography guidelines for PROTECTED: agency-controlled keys in hardware (the platform's reading, not an ISM control id).
        customerManagedKeyHsmRequired: true,
        // ISM gateway and network segmentation guidance: audit logs only over private networks (the platform's reading).
        monitorPrivateLinkRequired: true,
        budget: { monthlyAmount: 3000, dailySpendLimit: 150, ...standardThresholds },
        dlpPatterns: ["creditCard", "email", "phone", "apiKey"],
        requiredTags: baseRequiredTags,
        gateway: {
            requiredFor: "none",
            limits: { ...designGatewayLimits },
            publicInboundAllowed: false,
            bodyLoggingAllowed: false,
        },
    },
} satisfies Record<string, ComplianceProfile>;

export type ProfileId = keyof typeof profiles;
export const profileIds = Object.keys(profiles) as ProfileId[];

/** Looks a profile up by id and throws with the known ids when it does not exist. */
export function getProfile(id: string): ComplianceProfile {
    const profile = (profiles as Record<string, ComplianceProfile>)[id];
    if (!profile) {
        throw new Error(`Unknown compliance profile '${id}': expected one of ${profileIds.join(", ")}`);
    }
    return profile;
}
