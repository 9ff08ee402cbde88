/**
 * Azure API Management facts the AI gateway component, the stack validation and the policy pack share: type tokens,
 * tiers with their networking and dated prices, and the names of the policy elements the gateway's policy uses.
 * Every fact names its source and the date it was read (2026-11-27); docs/gateway.md keeps the register.
 */

/** Pulumi type tokens of the API Management resources the platform creates or the pack judges. */
export const gatewayTypes = {
    service: "azure-native:apimanagement:ApiManagementService",
    api: "azure-native:apimanagement:Api",
    apiOperation: "azure-native:apimanagement:ApiOperation",
    apiPolicy: "azure-native:apimanagement:ApiPolicy",
    apiOperationPolicy: "azure-native:apimanagement:ApiOperationPolicy",
    /** The service-wide (global scope) policy. */
    servicePolicy: "azure-native:apimanagement:Policy",
    productPolicy: "azure-native:apimanagement:ProductPolicy",
    backend: "azure-native:apimanagement:Backend",
    logger: "azure-native:apimanagement:Logger",
    diagnostic: "azure-native:apimanagement:Diagnostic",
    apiDiagnostic: "azure-native:apimanagement:ApiDiagnostic",
    /** A subscription is an API key pair: the platform creates none. */
    subscription: "azure-native:apimanagement:Subscription",
    namedValue: "azure-native:apimanagement:NamedValue",
    appInsights: "azure-native:applicationinsights:Component",
} as const;

/**
 * API Management SKUs and how each can be reached privately. Source: learn.microsoft.com/azure/api-management/api-management-features
 * (feature table: "Virtual network injection support", "Private endpoint support for inbound connections", "Outbound
 * virtual network integration support"), integrate-vnet-outbound.md ("available only for ... Standard v2 and Premium v2"),
 * read 2026-11-27. `privateOutbound` decides whether the gateway can reach an account that has public access disabled.
 */
export interface GatewayTier {
    /** How clients can reach the gateway privately: an inbound private endpoint, VNet injection, or not at all. */
    privateInbound: ("private-endpoint" | "vnet-injection")[];
    /** How the gateway reaches private backends (the accounts' private endpoints). */
    privateOutbound: "vnet-integration" | "vnet-injection" | "none";
    /**
     * Approximate list price per unit and month, USD, for the worst-case spend bound. The official pricing page
     * (azure.microsoft.com/pricing/details/api-management/) could not be read from the build machine: these are the
     * 2026 list prices summarised at microsoftnegotiations.com/blog/azure-api-management-licensing (read 2026-11-27),
     * unverified against Microsoft's page. The program and the pack both price a gateway from this table.
     */
    usdPerUnitMonth?: number;
}

export const gatewayTiers: Record<string, GatewayTier> = {
    // Billed per call, so no unit price bounds it: priced at the dearest tier.
    Consumption: { privateInbound: [], privateOutbound: "none" },
    Developer: {
        privateInbound: ["private-endpoint", "vnet-injection"],
        privateOutbound: "vnet-injection",
        usdPerUnitMonth: 48,
    },
    Basic: { privateInbound: ["private-endpoint"], privateOutbound: "none", usdPerUnitMonth: 155 },
    BasicV2: { privateInbound: [], privateOutbound: "none", usdPerUnitMonth: 210 },
    Standard: { privateInbound: ["private-endpoint"], privateOutbound: "none", usdPerUnitMonth: 704 },
    StandardV2: { privateInbound: ["private-endpoint"], privateOutbound: "vnet-integration", usdPerUnitMonth: 734 },
    Premium: {
        privateInbound: ["private-endpoint", "vnet-injection"],
        privateOutbound: "vnet-injection",
        usdPerUnitMonth: 3000,
    },
    // Not in the price summary; the spend bound prices an unpriced tier at the dearest known one.
    PremiumV2: { privateInbound: ["private-endpoint", "vnet-injection"], privateOutbound: "vnet-injection" },
};

/** When the gateway tier prices were read. */
export const gatewayPricesAsOf = "2026-11-27";

/**
 * The tier the AiGateway component deploys: Standard v2 is generally available, takes an inbound private endpoint and
 * integrates with a VNet for outbound calls, which "combined ... provide end-to-end network isolation" (private-endpoint.md,
 * read 2026-11-27). Premium v2 is not in the SKU enum of the 2024-05-01 API that azure-native 3.28 uses by default
 * (types/enums/apimanagement SkuType), and classic Premium reaches private backends only by VNet injection, where
 * inbound private endpoints are not supported: both are left to a future component.
 */
export const componentGatewayTier = "StandardV2";

/** Azure prices a month as 730 hours (the pricing calculator's convention). */
export const hoursPerMonth = 730;

/** USD per day of `units` units of a tier at the catalogue's price (the dearest known tier's when it has none). */
export function gatewayDailyCostUsd(tier: string, units: number): number {
    const known = Object.values(gatewayTiers).map((t) => t.usdPerUnitMonth ?? 0);
    const perMonth = gatewayTiers[tier]?.usdPerUnitMonth ?? Math.max(...known);
    return Math.round(((perMonth * units * 24) / hoursPerMonth) * 100) / 100;
}

/**
 * Private DNS zone of an API Management gateway's private endpoint and the endpoint's group id. Source: private-endpoint.md
 * ("Target sub-resource: Gateway", "Private DNS zones: (new) privatelink.azure-api.net"), read 2026-11-27.
 */
export const gatewayPrivateLink = { zone: "privatelink.azure-api.net", groupId: "Gateway" } as const;

/**
 * The Entra ID resource (token audience) of Azure OpenAI: what callers request a token for, and what the gateway's
 * managed identity requests for the backend. Source: authentication-managed-identity-policy.md example
 * `<authentication-managed-identity resource="https://cognitiveservices.azure.com"/> <!--Azure OpenAI-->`, read 2026-11-27.
 */
export const cognitiveServicesResource = "https://cognitiveservices.azure.com";

/**
 * Policy elements the gateway's policy uses and the pack judges, with the attributes read from their reference pages
 * (MicrosoftDocs/azure-docs articles/api-management/<element>-policy.md, read 2026-11-27). Microsoft documents
 * `azure-openai-*` twins of the LLM elements with the same attributes for APIs imported from Azure OpenAI; the pack
 * accepts either name.
 */
export const policyElements = {
    tokenLimit: ["llm-token-limit", "azure-openai-token-limit"],
    emitTokenMetric: ["llm-emit-token-metric", "azure-openai-emit-token-metric"],
    validateEntraToken: "validate-azure-ad-token",
    managedIdentity: "authentication-managed-identity",
} as const;

/** `token-quota-period` values of llm-token-limit (llm-token-limit-policy.md). */
export const tokenQuotaPeriods = ["Hourly", "Daily", "Weekly", "Monthly", "Yearly"] as const;

/**
 * Conventions of the generated policy that the pack relies on to recognise the per-request token cap: a variable holding
 * the cap and a refusal with status 400 whose condition reads it. Documented in docs/gateway.md ("Writing your own policy").
 */
export const perRequestCapConvention = { variable: "per-request-token-cap", status: 400 } as const;

/** API Management diagnostic log categories of the gateway (GatewayLogs: requests; GatewayLlmLogs: token usage, and messages only when LLM message logging is switched on). */
export const gatewayLogCategories = { gateway: "GatewayLogs", llm: "GatewayLlmLogs" } as const;

/** Hosts of Azure OpenAI endpoints: a gateway with a backend on one of them is "in front of Azure OpenAI". */
export const openAiHostPattern = /(^|\.)((openai|cognitiveservices)\.azure\.(com|us)|services\.ai\.azure\.com)$/i;
