/**
 * The bad-input corpus: invalid stack configs as data. Each is a committed, valid stack with one named corruption
 * applied, and lists the exact key paths validation must report (a path appears twice when two rules fire on it).
 */
import { rawStackConfig } from "../support/stacks";

type Raw = Record<string, unknown>;
type Obj = Record<string, unknown>;

export interface BadConfig {
    /** Short kebab-case id, unique in the corpus. */
    id: string;
    /** The valid stack the corruption is applied to. */
    stack: "eu-prod" | "eu-dev" | "us-prod" | "au-prod";
    /** What is wrong, in words (the docs table quotes it). */
    corruption: string;
    /** Corrupts a fresh copy of the stack's raw config in place (or returns a replacement for the whole config). */
    corrupt: (raw: Raw) => unknown;
    /** Every key path the rejection must list, sorted. */
    paths: string[];
}

const at = (raw: Raw, ...keys: (string | number)[]): Obj => keys.reduce<Obj>((o, k) => o[k] as Obj, raw);
const dep = (raw: Raw, i: number): Obj => at(raw, "deployments", i);
const sub = (id: string) => `/subscriptions/3f2a1c9e-7b4d-4e8a-9c61-2d5e8f0a4b17/resourceGroups/rg-network-weu/providers/${id}`;

export const badConfigs: BadConfig[] = [
    // Wrong types and unknown keys
    { id: "config-not-an-object", stack: "eu-prod", corruption: "whole config is a string", corrupt: () => "profile: eu-gdpr", paths: [""] },
    { id: "profile-typo", stack: "eu-prod", corruption: "unknown compliance profile eu-gdrp", corrupt: (r) => { r.profile = "eu-gdrp"; }, paths: ["profile"] },
    { id: "profile-number", stack: "us-prod", corruption: "profile given as a number", corrupt: (r) => { r.profile = 42; }, paths: ["profile"] },
    { id: "environment-unknown", stack: "eu-dev", corruption: "environment 'production' is not prod/nonprod", corrupt: (r) => { r.environment = "production"; }, paths: ["environment"] },
    { id: "environment-missing", stack: "au-prod", corruption: "environment removed", corrupt: (r) => { delete r.environment; }, paths: ["environment"] },
    { id: "unknown-top-level-key", stack: "eu-prod", corruption: "typo 'deploymnets' beside deployments", corrupt: (r) => { r.deploymnets = []; }, paths: ["deploymnets"] },
    { id: "unknown-nested-key", stack: "eu-prod", corruption: "typo 'contactEmail' in budget", corrupt: (r) => { at(r, "budget").contactEmail = "x@contoso.com"; }, paths: ["budget.contactEmail"] },
    { id: "renamed-deployment-key", stack: "au-prod", corruption: "capacity misspelt 'capcity'", corrupt: (r) => { const d = dep(r, 0); d.capcity = d.capacity; delete d.capacity; }, paths: ["deployments[0].capacity", "deployments[0].capcity"] },
    { id: "capacity-string", stack: "eu-prod", corruption: "capacity given as the string '50'", corrupt: (r) => { dep(r, 1).capacity = "50"; }, paths: ["deployments[1].capacity"] },
    { id: "capacity-negative", stack: "us-prod", corruption: "negative capacity", corrupt: (r) => { dep(r, 0).capacity = -5; }, paths: ["deployments[0].capacity"] },
    { id: "capacity-fraction", stack: "eu-dev", corruption: "fractional capacity", corrupt: (r) => { dep(r, 0).capacity = 10.5; }, paths: ["deployments[0].capacity"] },
    { id: "cmk-string", stack: "eu-prod", corruption: "customerManagedKey 'yes' instead of a boolean", corrupt: (r) => { r.customerManagedKey = "yes"; }, paths: ["customerManagedKey"] },
    { id: "tag-value-number", stack: "eu-dev", corruption: "owner tag given as a number", corrupt: (r) => { at(r, "tags").owner = 7; }, paths: ["tags.owner", "tags.owner"] },
    { id: "prices-negative", stack: "eu-prod", corruption: "negative price override", corrupt: (r) => { r.prices = { "gpt-4o": -0.01 }; }, paths: ["prices.gpt-4o"] },

    // Regions
    { id: "region-other-profile", stack: "eu-prod", corruption: "eastus under eu-gdpr", corrupt: (r) => { r.location = "eastus"; }, paths: ["location"] },
    { id: "region-eu-under-irap", stack: "au-prod", corruption: "westeurope under au-irap", corrupt: (r) => { r.location = "westeurope"; }, paths: ["location"] },
    { id: "region-unknown", stack: "us-prod", corruption: "region 'marsnorth' that does not exist", corrupt: (r) => { r.location = "marsnorth"; }, paths: ["location"] },
    { id: "region-display-name", stack: "eu-prod", corruption: "display name 'West Europe' instead of westeurope", corrupt: (r) => { r.location = "West Europe"; }, paths: ["location", "location"] },
    { id: "name-prefix-uppercase", stack: "eu-dev", corruption: "upper-case name prefix", corrupt: (r) => { r.namePrefix = "Contoso-Dev"; }, paths: ["namePrefix"] },

    // Deployments: SKUs, models, names, spend
    { id: "global-sku-eu-gdpr", stack: "eu-prod", corruption: "GlobalStandard under eu-gdpr", corrupt: (r) => { dep(r, 0).sku = "GlobalStandard"; }, paths: ["deployments[0].sku"] },
    { id: "global-provisioned-us-hipaa", stack: "us-prod", corruption: "GlobalProvisionedManaged under us-hipaa", corrupt: (r) => { Object.assign(dep(r, 0), { sku: "GlobalProvisionedManaged", capacity: 1 }); }, paths: ["deployments[0].sku"] },
    { id: "global-batch-eu-dev", stack: "eu-dev", corruption: "GlobalBatch under eu-gdpr, even in nonprod", corrupt: (r) => { dep(r, 1).sku = "GlobalBatch"; }, paths: ["deployments[1].sku"] },
    { id: "datazone-sku-au-irap", stack: "au-prod", corruption: "DataZoneStandard under au-irap (no Australian data zone)", corrupt: (r) => { dep(r, 0).sku = "DataZoneStandard"; }, paths: ["deployments[0].sku"] },
    { id: "sku-unknown", stack: "eu-prod", corruption: "SKU 'Premium' that does not exist", corrupt: (r) => { dep(r, 2).sku = "Premium"; }, paths: ["deployments[2].sku"] },
    { id: "model-unapproved", stack: "eu-prod", corruption: "model gpt-5 not in the approved catalogue", corrupt: (r) => { dep(r, 0).model = "gpt-5"; }, paths: ["deployments[0].model"] },
    { id: "model-version-unpinned", stack: "us-prod", corruption: "version 'latest' not an approved pin", corrupt: (r) => { dep(r, 1).version = "latest"; }, paths: ["deployments[1].version"] },
    { id: "deployment-name-duplicate", stack: "eu-prod", corruption: "two deployments named chat-gpt4o", corrupt: (r) => { dep(r, 1).name = dep(r, 0).name; }, paths: ["deployments[1].name"] },
    { id: "deployment-name-space", stack: "au-prod", corruption: "deployment name with a space", corrupt: (r) => { dep(r, 0).name = "casework gpt4o"; }, paths: ["deployments[0].name"] },
    { id: "deployments-empty", stack: "us-prod", corruption: "no model deployment", corrupt: (r) => { r.deployments = []; }, paths: ["deployments"] },
    { id: "prod-auto-upgrade", stack: "eu-prod", corruption: "production deployment on OnceNewDefaultVersionAvailable", corrupt: (r) => { dep(r, 0).versionUpgradeOption = "OnceNewDefaultVersionAvailable"; }, paths: ["deployments[0].versionUpgradeOption"] },
    { id: "capacity-over-spend-limit", stack: "eu-prod", corruption: "gpt-4o capacity 100 (1,501 USD/day worst case, limit 250)", corrupt: (r) => { dep(r, 0).capacity = 100; }, paths: ["deployments"] },
    { id: "provisioned-over-spend-limit", stack: "au-prod", corruption: "50 PTU ProvisionedManaged (2,400 USD/day, limit 150)", corrupt: (r) => { Object.assign(dep(r, 0), { sku: "ProvisionedManaged", capacity: 50 }); }, paths: ["deployments"] },
    { id: "spend-limit-lowered-below-spend", stack: "us-prod", corruption: "dailySpendLimit 10 under 310 USD/day of deployments", corrupt: (r) => { at(r, "budget").dailySpendLimit = 10; }, paths: ["deployments"] },
    { id: "spend-limit-above-profile", stack: "eu-prod", corruption: "dailySpendLimit 1000 above eu-gdpr's 250", corrupt: (r) => { at(r, "budget").dailySpendLimit = 1000; }, paths: ["budget.dailySpendLimit"] },

    // Network: resource ids, subnets, DNS zones, CIDRs
    { id: "vnet-id-malformed", stack: "eu-prod", corruption: "vnetId is a bare name", corrupt: (r) => { at(r, "network").vnetId = "vnet-spoke-ai-weu"; }, paths: ["network.privateEndpointSubnetId", "network.vnetId", "gateway.integrationSubnetId"] },
    { id: "vnet-id-bad-subscription", stack: "au-prod", corruption: "vnetId and subnet with a non-GUID subscription", corrupt: (r) => { const n = at(r, "network"); n.vnetId = String(n.vnetId).replace(/subscriptions\/[^/]+/, "subscriptions/contoso-prod"); n.privateEndpointSubnetId = `${String(n.vnetId)}/subnets/snet-private-endpoints`; }, paths: ["network.privateEndpointSubnetId", "network.vnetId"] },
    { id: "subnet-id-wrong-type", stack: "us-prod", corruption: "subnet id uses 'subnet' instead of 'subnets'", corrupt: (r) => { const n = at(r, "network"); n.privateEndpointSubnetId = String(n.privateEndpointSubnetId).replace("/subnets/", "/subnet/"); }, paths: ["network.privateEndpointSubnetId", "network.privateEndpointSubnetId"] },
    { id: "subnet-outside-vnet", stack: "eu-prod", corruption: "private-endpoint subnet in another VNet", corrupt: (r) => { at(r, "network").privateEndpointSubnetId = sub("Microsoft.Network/virtualNetworks/vnet-hub-weu/subnets/snet-private-endpoints"); }, paths: ["network.privateEndpointSubnetId"] },
    { id: "dns-zone-swapped", stack: "eu-prod", corruption: "openai zone id points at the cognitiveservices zone", corrupt: (r) => { const z = at(r, "network", "privateDnsZoneIds"); z.openai = z.cognitiveServices; }, paths: ["network.privateDnsZoneIds.openai"] },
    { id: "dns-zone-public", stack: "us-prod", corruption: "public DNS zone (Microsoft.Network/dnsZones) instead of a private one", corrupt: (r) => { const z = at(r, "network", "privateDnsZoneIds"); z.openai = String(z.openai).replace("privateDnsZones", "dnsZones"); }, paths: ["network.privateDnsZoneIds.openai", "network.privateDnsZoneIds.openai"] },
    { id: "dns-zone-keyvault-wrong", stack: "us-prod", corruption: "keyVault zone id is the openai zone", corrupt: (r) => { const z = at(r, "network", "privateDnsZoneIds"); z.keyVault = z.openai; }, paths: ["network.privateDnsZoneIds.keyVault"] },
    { id: "client-prefixes-empty", stack: "eu-dev", corruption: "no client address prefix", corrupt: (r) => { at(r, "network").clientAddressPrefixes = []; }, paths: ["network.clientAddressPrefixes"] },
    { id: "client-prefix-no-length", stack: "us-prod", corruption: "client prefix without /length", corrupt: (r) => { at(r, "network").clientAddressPrefixes = ["10.60.0.0", "10.61.0.0/16"]; }, paths: ["network.clientAddressPrefixes[0]"] },
    { id: "client-prefix-out-of-range", stack: "eu-prod", corruption: "client prefix 10.400.0.0/40 (octet and length out of range)", corrupt: (r) => { at(r, "network").clientAddressPrefixes = ["10.400.0.0/40"]; }, paths: ["network.clientAddressPrefixes[0]"] },

    // Access: personas to groups only
    { id: "group-id-not-guid", stack: "au-prod", corruption: "developer group object id is not a GUID", corrupt: (r) => { at(r, "access", "developers").groupObjectIds = ["sg-ai-developers"]; }, paths: ["access.developers.groupObjectIds[0]"] },
    { id: "persona-upn-developers", stack: "eu-dev", corruption: "developers granted to a user (UPN in groupDisplayNames)", corrupt: (r) => { at(r, "access", "developers").groupDisplayNames = ["jane.doe@contoso.com"]; }, paths: ["access.developers.groupDisplayNames[0]"] },
    { id: "persona-upn-auditors", stack: "eu-prod", corruption: "security auditors granted to a user among groups", corrupt: (r) => { at(r, "access", "securityAuditors").groupDisplayNames = ["sg-security-operations-eu", "auditor@contoso.com"]; }, paths: ["access.securityAuditors.groupDisplayNames[1]"] },
    { id: "persona-no-group", stack: "us-prod", corruption: "developers persona with no group", corrupt: (r) => { at(r, "access").developers = {}; }, paths: ["access.developers"] },
    { id: "persona-missing", stack: "au-prod", corruption: "securityAuditors persona removed", corrupt: (r) => { delete at(r, "access").securityAuditors; }, paths: ["access.securityAuditors"] },
    { id: "application-name-invalid", stack: "eu-prod", corruption: "application name 'Chat_API'", corrupt: (r) => { at(r, "access").applications = [{ name: "Chat_API" }]; }, paths: ["access.applications[0].name", "gateway.callers[0].application", "gateway.callers[1].application"] },
    { id: "application-name-duplicate", stack: "eu-prod", corruption: "two applications named chat-api (one identity, two owners)", corrupt: (r) => { at(r, "access").applications = [{ name: "chat-api" }, { name: "chat-api" }]; }, paths: ["access.applications[1].name", "gateway.callers[1].application"] },

    // Budget
    { id: "budget-zero", stack: "eu-prod", corruption: "monthly budget 0", corrupt: (r) => { at(r, "budget").monthlyAmount = 0; }, paths: ["budget.monthlyAmount"] },
    { id: "budget-negative", stack: "us-prod", corruption: "monthly budget -9000", corrupt: (r) => { at(r, "budget").monthlyAmount = -9000; }, paths: ["budget.monthlyAmount"] },
    { id: "budget-missing", stack: "au-prod", corruption: "budget block removed", corrupt: (r) => { delete r.budget; }, paths: ["budget"] },
    { id: "budget-no-contact", stack: "eu-dev", corruption: "budget without contact emails", corrupt: (r) => { at(r, "budget").contactEmails = []; }, paths: ["budget.contactEmails"] },
    { id: "budget-contact-malformed", stack: "us-prod", corruption: "budget contact 'finops' is not an email", corrupt: (r) => { at(r, "budget").contactEmails = ["finops"]; }, paths: ["budget.contactEmails[0]"] },
    { id: "action-group-wrong-type", stack: "eu-prod", corruption: "actionGroupId is a scheduled query rule id", corrupt: (r) => { at(r, "budget").actionGroupId = sub("Microsoft.Insights/scheduledQueryRules/rule"); }, paths: ["budget.actionGroupId"] },

    // Logging, encryption, content filter, tags
    { id: "retention-interactive-below-profile", stack: "us-prod", corruption: "interactive retention 90 days under us-hipaa's 365", corrupt: (r) => { at(r, "logging").interactiveRetentionDays = 90; }, paths: ["logging.interactiveRetentionDays"] },
    { id: "retention-total-below-profile", stack: "au-prod", corruption: "total retention 365 days under au-irap's 2557", corrupt: (r) => { at(r, "logging").totalRetentionDays = 365; }, paths: ["logging.totalRetentionDays"] },
    { id: "retention-total-above-azure-max", stack: "eu-prod", corruption: "total retention 5000 days, over Azure's 4383", corrupt: (r) => { r.logging = { totalRetentionDays: 5000 }; }, paths: ["logging.totalRetentionDays"] },
    { id: "retention-total-below-interactive", stack: "eu-prod", corruption: "total retention 400 below interactive 500 days", corrupt: (r) => { r.logging = { interactiveRetentionDays: 500, totalRetentionDays: 400 }; }, paths: ["logging.totalRetentionDays"] },
    { id: "cmk-disabled-hipaa", stack: "us-prod", corruption: "customer-managed key switched off under us-hipaa", corrupt: (r) => { r.customerManagedKey = false; }, paths: ["customerManagedKey"] },
    { id: "cmk-disabled-irap", stack: "au-prod", corruption: "customer-managed key switched off under au-irap", corrupt: (r) => { r.customerManagedKey = false; }, paths: ["customerManagedKey"] },
    { id: "dlp-patterns-dropped", stack: "au-prod", corruption: "DLP list reduced to creditCard", corrupt: (r) => { at(r, "contentFilter").dlpPatterns = ["creditCard"]; }, paths: ["contentFilter.dlpPatterns"] },
    { id: "dlp-pattern-misspelt", stack: "au-prod", corruption: "DLP pattern 'apikey' misspelt (so apiKey is missing)", corrupt: (r) => { at(r, "contentFilter").dlpPatterns = ["creditCard", "email", "phone", "apikey"]; }, paths: ["contentFilter.dlpPatterns", "contentFilter.dlpPatterns[3]"] },
    { id: "content-filter-high", stack: "eu-prod", corruption: "blocking threshold High (weaker than Azure's default)", corrupt: (r) => { r.contentFilter = { blockingThreshold: "High" }; }, paths: ["contentFilter.blockingThreshold"] },
    { id: "tag-required-missing", stack: "us-prod", corruption: "cost-center tag removed", corrupt: (r) => { delete at(r, "tags")["cost-center"]; }, paths: ["tags.cost-center"] },
    { id: "tag-weaker-profile", stack: "us-prod", corruption: "compliance-profile tag set to eu-gdpr on a us-hipaa stack", corrupt: (r) => { at(r, "tags")["compliance-profile"] = "eu-gdpr"; }, paths: ["tags.compliance-profile"] },
    { id: "tag-environment-contradicts", stack: "eu-prod", corruption: "environment tag nonprod on a prod stack", corrupt: (r) => { at(r, "tags").environment = "nonprod"; }, paths: ["tags.environment"] },
];

/** The corrupted raw config of a corpus entry (a fresh copy each call). */
export function badRawConfig(c: BadConfig): unknown {
    const raw = structuredClone(rawStackConfig(c.stack));
    const replaced = c.corrupt(raw);
    return replaced === undefined ? raw : replaced;
}
