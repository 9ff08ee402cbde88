/**
 * The shape of a stack's configuration (the `azure-openai-landing-zone:*` keys of `stacks/Pulumi.<stack>.yaml`).
 * Structure lives here; rules that depend on the compliance profile live in `config.ts`.
 */
import { z } from "zod";
import { deploymentSkuNames } from "./azure";
import { dlpPatternNames, profileIds } from "./profiles";

/** Rollout phases of a customer-managed key (see customerManagedKey below). */
export const customerManagedKeyPhases = ["grant", "encrypt"] as const;
export type CustomerManagedKeyPhase = (typeof customerManagedKeyPhases)[number];
export const deletionLockModes = ["enforced", "suspended"] as const;
export type DeletionLockMode = (typeof deletionLockModes)[number];

const guid = z.guid("expected an Entra ID object id (GUID)");

/** An Azure resource id of the given provider type, e.g. `Microsoft.Network/virtualNetworks`. */
export function armId(resourceType: string) {
    const segments = resourceType.split("/");
    const provider = segments[0];
    const typePath = segments
        .slice(1)
        .map((t) => `${t}/[^/]+`)
        .join("/");
    const pattern = new RegExp(
        `^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/${provider}/${typePath}$`,
        "i",
    );
    return z
        .string()
        .regex(
            pattern,
            `expected a resource id of type ${resourceType} (/subscriptions/<guid>/resourceGroups/<rg>/providers/${resourceType}/<name>)`,
        );
}

/** An IPv4 CIDR with octets 0-255 and a prefix length 0-32. */
const ipv4Cidr = z.string().refine((v) => {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
    return m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}, "expected an IPv4 CIDR such as 10.20.0.0/16 (octets 0-255, prefix length 0-32)");

const persona = z.strictObject({
    /** Entra ID group object ids. */
    groupObjectIds: z.array(guid).default([]),
    /** Entra ID group display names, looked up with azuread at deploy time. */
    groupDisplayNames: z.array(z.string().min(1)).default([]),
});

export const deploymentSchema = z.strictObject({
    /** Deployment name, unique in the account; what applications call. */
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$/, "expected 2-64 letters, digits, '.', '_' or '-'"),
    /** Model name from the approved catalogue (catalogue/model-catalogue.ts). */
    model: z.string().min(1),
    /** Pinned model version. */
    version: z.string().min(1),
    sku: z.enum(deploymentSkuNames),
    /** Thousands of tokens per minute (PTUs for provisioned SKUs). */
    capacity: z.number().int().positive(),
    /** Upgrade behaviour; production stacks must pin (NoAutoUpgrade). */
    versionUpgradeOption: z
        .enum(["NoAutoUpgrade", "OnceNewDefaultVersionAvailable", "OnceCurrentVersionExpired"])
        .default("NoAutoUpgrade"),
});

/** A caller the gateway admits: one of the stack's applications, or another application's Entra ID client id. */
const gatewayCaller = z.strictObject({
    /** Name of an entry of `access.applications` (its managed identity's client id is admitted). */
    application: z.string().min(1).optional(),
    /** Client (application) id of an identity outside the stack, e.g. another subscription's managed identity. */
    clientId: guid.optional(),
    /** Team charged for the caller's tokens (a dimension of the token metrics). */
    team: z
        .string()
        .regex(/^[a-z][a-z0-9-]{1,40}$/, "expected 2-41 lower-case letters, digits or '-', starting with a letter"),
});

/** The governed AI gateway (docs/gateway.md): API Management in front of the stack's accounts. */
export const gatewaySchema = z.strictObject({
    /**
     * Subnet of network.vnetId for the gateway's outbound VNet integration: dedicated to it, delegated to
     * Microsoft.Web/serverFarms, /27 or larger, with a network security group.
     */
    integrationSubnetId: armId("Microsoft.Network/virtualNetworks/subnets"),
    /** Existing (hub) privatelink.azure-api.net zone by id; required when the stack uses hub zones, else the stack creates one. */
    privateDnsZoneId: armId("Microsoft.Network/privateDnsZones").optional(),
    /** Scale units of the Standard v2 gateway (1-10). */
    units: z.number().int().min(1).max(10).default(1),
    /** Publisher contact API Management requires; defaults to the first budget contact. */
    publisherEmail: z.email("expected an email address").optional(),
    /** Limits below the profile's defaults (never above). */
    limits: z
        .strictObject({
            dailyUsd: z.number().positive().optional(),
            monthlyUsd: z.number().positive().optional(),
            perRequestTokens: z.number().int().positive().optional(),
            perCallerPercent: z.number().positive().max(100).optional(),
        })
        .default({}),
    /** Who may call; default: every application of `access.applications`, each charged to a team named after it. */
    callers: z.array(gatewayCaller).default([]),
    /**
     * The first deployment only: Azure refuses `publicNetworkAccess: Disabled` until an approved private endpoint
     * exists, so the very first `pulumi up` creates the gateway with it Enabled (the policy still refuses every request
     * that does not come through the private endpoint); remove the key and run `pulumi up` again. docs/gateway.md.
     */
    firstDeployment: z.boolean().default(false),
});

export const stackConfigSchema = z.strictObject({
    /** Compliance profile id from catalogue/profiles.ts. */
    profile: z.enum(profileIds),
    /** `prod` stacks are protected against deletion and pinned; `nonprod` are not. */
    environment: z.enum(["prod", "nonprod"]),
    /** Azure region of every resource in the stack. */
    location: z.string().regex(/^[a-z0-9]+$/, "expected an Azure region name such as westeurope"),
    /** Short lower-case prefix for resource names, e.g. contoso-eu. */
    namePrefix: z.string().regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, "expected 3-20 lower-case letters, digits or '-'"),
    network: z.strictObject({
        /** The spoke VNet the private endpoints live in (private DNS zones are linked to it). */
        vnetId: armId("Microsoft.Network/virtualNetworks"),
        /** Subnet of that VNet for private endpoints. */
        privateEndpointSubnetId: armId("Microsoft.Network/virtualNetworks/subnets"),
        /** Existing central (hub) private DNS zones by resource id; when absent the stack creates and links its own. */
        privateDnsZoneIds: z
            .strictObject({
                openai: armId("Microsoft.Network/privateDnsZones"),
                cognitiveServices: armId("Microsoft.Network/privateDnsZones"),
                keyVault: armId("Microsoft.Network/privateDnsZones").optional(),
            })
            .optional(),
        /**
         * Hosts the account may call out to (data exfiltration protection), e.g. the Azure AI Search service and Storage
         * account of "On Your Data". Outbound access is always restricted: the default, an empty list, allows no egress
         * at all (the strictest setting). The Key Vault of a customer-managed key is added by the platform.
         */
        allowedOutboundFqdns: z
            .array(
                z
                    .string()
                    .regex(
                        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
                        "expected a lower-case host name such as srch-contoso.search.windows.net (no scheme, no path)",
                    ),
            )
            .default([]),
        /** CIDRs that legitimate callers come from; calls from elsewhere raise an alert. */
        clientAddressPrefixes: z.array(ipv4Cidr).min(1),
        /**
         * The hub's Azure Monitor Private Link Scope (in the stack's subscription), which the audit workspace is scoped
         * into where the profile requires private monitoring; required then with hub DNS zones (one AMPLS per DNS).
         * Without it the stack creates its own AMPLS, private endpoint and Azure Monitor zones.
         */
        azureMonitorPrivateLinkScopeId: armId("Microsoft.Insights/privateLinkScopes").optional(),
    }),
    deployments: z.array(deploymentSchema).min(1, "expected at least one model deployment"),
    access: z.strictObject({
        /** Call the models (Cognitive Services OpenAI User). */
        developers: persona,
        /** Deploy and manage models (Cognitive Services OpenAI Contributor). */
        dataScientists: persona,
        /** Read-only audit (Reader on the account, Log Analytics Reader on the workspace). */
        securityAuditors: persona,
        /** Applications that get a user-assigned managed identity with OpenAI User. */
        applications: z
            .array(
                z.strictObject({
                    name: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, "expected 2-31 lower-case letters, digits or '-'"),
                }),
            )
            .default([]),
    }),
    budget: z.strictObject({
        /** Monthly budget in the billing currency; defaults to the profile's. */
        monthlyAmount: z.number().positive().optional(),
        /** Worst-case daily spend limit (USD); defaults to the profile's and may only be lower. */
        dailySpendLimit: z.number().positive().optional(),
        contactEmails: z
            .array(z.email("expected an email address"))
            .min(1, "expected at least one budget contact email"),
        /** Existing action group to notify, by resource id. */
        actionGroupId: armId("Microsoft.Insights/actionGroups").optional(),
        /**
         * First month the budget tracks (YYYY-MM-01), at most twelve months ahead. Default: the first of the month of the
         * deployment that creates the budget (UTC), kept on later updates.
         */
        startDate: z
            .string()
            .regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, "expected the first of a month, YYYY-MM-01")
            .optional(),
    }),
    contentFilter: z
        .strictObject({
            /** DLP patterns blocked on prompts; must include every pattern the profile requires. */
            dlpPatterns: z.array(z.enum(dlpPatternNames)).optional(),
            /** Lowest severity that is blocked: Low blocks more than Medium. High is weaker than Azure's default and refused. */
            blockingThreshold: z.enum(["Low", "Medium"]).default("Medium"),
        })
        .default({ blockingThreshold: "Medium" }),
    logging: z
        .strictObject({
            /** Searchable (interactive) retention; at least the profile's. */
            interactiveRetentionDays: z.number().int().min(4).max(730).optional(),
            /** Total retention including archive; at least the profile's. */
            totalRetentionDays: z.number().int().min(4).max(4383).optional(),
        })
        .default({}),
    /**
     * Encrypt with a customer-managed key even where the profile does not require it (`true`), or the rollout phase of
     * the key: `{ phase: grant }` for the first update of a new stack (the account's system identity is created and
     * granted the key, no model is deployed yet), then `encrypt` (the default) from the next update on.
     */
    customerManagedKey: z
        .union(
            [
                z.boolean(),
                z.strictObject({
                    enabled: z.boolean().optional(),
                    phase: z.enum(customerManagedKeyPhases).default("encrypt"),
                }),
            ],
            { error: `expected true, false or { enabled: true|false, phase: ${customerManagedKeyPhases.join("|")} }` },
        )
        .optional(),
    /**
     * `enforced` (default): production stacks put CanNotDelete locks on the account, workspace and vault. `suspended`:
     * for one update that deletes a child of a locked resource (a deployment, a blocklist item, a table), the locks are
     * removed first and recreated by the next update; `protect` stays on the locked resources throughout.
     */
    deletionLocks: z.enum(deletionLockModes).default("enforced"),
    /** Tags on every resource; compliance-profile and environment are added by the platform. */
    tags: z.record(z.string(), z.string()),
    /** Per-model price overrides, USD per 1,000 tokens (worst-case spend). */
    prices: z.record(z.string(), z.number().positive()).default({}),
    /** The governed AI gateway in front of the accounts; required for the stacks the profile names. */
    gateway: gatewaySchema.optional(),
});

export type RawStackConfig = z.input<typeof stackConfigSchema>;
export type ParsedStackConfig = z.output<typeof stackConfigSchema>;
export type DeploymentConfig = z.output<typeof deploymentSchema>;
export type GatewayConfig = z.output<typeof gatewaySchema>;

/** `deployments[0].sku`: a key path as the stack file spells it. */
export function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>(
        (acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
        "",
    );
}
