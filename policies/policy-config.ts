/**
 * The pack's policy config per compliance profile, generated from the profile catalogue and the exemption register
 * (`npm run policy-config` writes policies/config/<profile>.json; a test checks the committed files are current).
 * The file is exactly what `pulumi preview --policy-pack-config` takes: `{ "<policy>": { "<prop>": value } }`.
 */
import { parse } from "yaml";
import { ComplianceProfile, profiles } from "../catalogue/profiles";
import { allPolicies } from "./all";
import { Exemption } from "./exemptions";

export type PolicyPackConfigFile = Record<string, Record<string, unknown>>;

const byName = new Map(allPolicies.map((p) => [p.name, p]));
const governance = allPolicies.filter((p) => p.name.startsWith("azure-openai-exemption-")).map((p) => p.name);

/** Parses and checks `policies/exemptions.yaml`; every problem names the entry's key and what was expected. */
export function parseExemptions(text: string): Exemption[] {
    const doc = (parse(text) ?? {}) as { exemptions?: unknown };
    const entries = doc.exemptions ?? [];
    if (!Array.isArray(entries)) throw new Error("exemptions.yaml: exemptions: expected a list of entries");
    const problems: string[] = [];
    const ids = new Set<string>();
    const out = entries.map((raw: unknown, i): Exemption => {
        const e = (raw ?? {}) as Record<string, unknown>;
        const resource = (e.resource ?? {}) as Record<string, unknown>;
        const at = (key: string) => `exemptions[${i}].${key}`;
        const text = (key: string, v: unknown, min = 1) => {
            if (typeof v !== "string" || v.trim().length < min)
                problems.push(`${at(key)}: expected a string of at least ${min} characters`);
            return typeof v === "string" ? v.trim() : "";
        };
        const id = text("id", e.id);
        if (ids.has(id)) problems.push(`${at("id")}: duplicate id '${id}': expected unique ids`);
        ids.add(id);
        const policy = text("policy", e.policy);
        const target = byName.get(policy);
        if (policy && !target)
            problems.push(`${at("policy")}: '${policy}' is not a policy of the pack: expected one of its names`);
        else if (target?.nonExemptable)
            problems.push(`${at("policy")}: '${policy}' is non-exemptable: fix the resource instead`);
        const stack = text("resource.stack", resource.stack);
        if (resource.urn === undefined && resource.name === undefined)
            problems.push(`${at("resource")}: expected urn or name`);
        if (resource.urn !== undefined && resource.name !== undefined)
            problems.push(`${at("resource")}: expected urn or name, not both`);
        if (
            resource.urn !== undefined &&
            (typeof resource.urn !== "string" || !resource.urn.startsWith(`urn:pulumi:${stack}::`))
        )
            problems.push(`${at("resource.urn")}: expected a URN of stack ${stack} (urn:pulumi:${stack}::...)`);
        if (resource.name !== undefined) text("resource.name", resource.name);
        const expires = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : String(e.expires ?? "");
        if (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(Date.parse(expires)))
            problems.push(`${at("expires")}: '${expires}' expected a date YYYY-MM-DD`);
        const entry: Exemption = {
            id,
            policy,
            stack,
            reason: text("reason", e.reason, 10),
            owner: text("owner", e.owner, 3),
            ticket: text("ticket", e.ticket),
            expires,
        };
        if (typeof resource.urn === "string") entry.urn = resource.urn;
        if (typeof resource.name === "string") entry.name = resource.name;
        return entry;
    });
    if (problems.length > 0) throw new Error(`exemptions.yaml is invalid:\n  - ${problems.join("\n  - ")}`);
    return out;
}

/** The settings a profile pins; every other setting keeps the policy's default. */
function profileSettings(p: ComplianceProfile): PolicyPackConfigFile {
    return {
        "azure-openai-resource-enforce-allowed-locations": { allowedRegions: p.allowedRegions },
        "azure-openai-deployment-enforce-data-residency-sku": { allowedSkus: p.allowedDeploymentSkus },
        "azure-openai-account-enforce-customer-managed-key": {
            requireCustomerManagedKey: p.customerManagedKeyRequired,
        },
        "azure-openai-workspace-configure-retention": {
            minInteractiveDays: p.minimumLogRetention.interactiveDays,
            minTotalDays: p.minimumLogRetention.totalDays,
        },
        "azure-openai-deployment-limit-worst-case-spend": { dailySpendLimitUsd: p.budget.dailySpendLimit },
        "azure-openai-resource-require-tags": { requiredTags: p.requiredTags, complianceProfile: p.id },
        "azure-openai-gateway-disallow-public-network-access": {
            requirePrivateInbound: !p.gateway.publicInboundAllowed,
        },
        "azure-openai-gateway-enforce-token-limits": {
            maxPerRequestTokens: p.gateway.limits.perRequestTokens,
            maxDailyUsd: p.gateway.limits.dailyUsd,
            maxMonthlyUsd: p.gateway.limits.monthlyUsd,
        },
        "azure-openai-gateway-disallow-body-logging": { forbidBodyLogging: !p.gateway.bodyLoggingAllowed },
        "azure-openai-key-vault-key-allow-key-type": { requireHsm: p.customerManagedKeyHsmRequired },
        "azure-openai-workspace-restrict-replication": { allowedRegions: p.allowedRegions },
        "azure-openai-workspace-disallow-public-network-access": { requirePrivateAccess: p.monitorPrivateLinkRequired },
        "azure-openai-workspace-require-private-link-scope": { requirePrivateAccess: p.monitorPrivateLinkRequired },
    };
}

export function policyConfigFor(profileId: string, exemptions: Exemption[]): PolicyPackConfigFile {
    const profile = (profiles as Record<string, ComplianceProfile>)[profileId];
    if (!profile) throw new Error(`policyConfigFor: unknown profile '${profileId}'`);
    const config = profileSettings(profile);
    for (const name of Object.keys(config)) {
        if (!byName.has(name)) throw new Error(`policyConfigFor: '${name}' is not a policy of the pack (renamed?)`);
    }
    for (const e of exemptions) {
        config[e.policy] = {
            ...config[e.policy],
            exemptions: [...((config[e.policy]?.exemptions as Exemption[]) ?? []), e],
        };
    }
    for (const name of governance) config[name] = { ...config[name], exemptions };
    return Object.fromEntries(
        Object.keys(config)
            .sort()
            .map((k) => [k, config[k]]),
    );
}

export const renderConfig = (c: PolicyPackConfigFile) => `${JSON.stringify(c, null, 2)}\n`;
