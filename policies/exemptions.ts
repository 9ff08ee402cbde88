/**
 * Exemptions as code (issue 9). Entries live in `policies/exemptions.yaml`, reach the pack through its policy config
 * (each exemptable policy's `exemptions` property; the governance policies get every entry) and are applied here,
 * so `pulumi preview --policy-pack` and the offline plan honour exactly the same waivers:
 * - a resource-policy finding an exemption covers becomes not-applicable with `formatExemption(...)`;
 * - a stack-policy finding it covers becomes an advisory diagnostic of `exemptionsAppliedPolicy`;
 * - an expired exemption covers nothing and is itself a mandatory violation naming its owner;
 * - an exemption that matched nothing in the run is reported stale (advisory);
 * - an exemption of a non-exemptable or unknown policy is a mandatory violation (and the generator refuses it).
 */
import { PolicyConfigSchema, PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { docsUrl, PackPolicy, PackResourcePolicy, PackStackPolicy, stackOfUrn, withDefaults } from "./core";
import { canonicalType } from "./stack-index";
import { exemptionsAppliedPolicy, formatExemption } from "./verdict-protocol";

export interface Exemption {
    /** Stable id, e.g. EX-2025-014. */
    id: string;
    /** The policy it waives. */
    policy: string;
    /** The stack it applies in. */
    stack: string;
    /** The exact URN of the resource, or */
    urn?: string;
    /** a glob (`*`, `?`) over the resource's logical name. */
    name?: string;
    reason: string;
    owner: string;
    ticket: string;
    /** Last day the exemption holds, YYYY-MM-DD. */
    expires: string;
}

const datePattern = "^\\d{4}-\\d{2}-\\d{2}$";

/** JSON schema of one exemption as it travels in policy config. */
export const exemptionSchema = {
    type: "object",
    properties: {
        id: { type: "string", minLength: 1 },
        policy: { type: "string", pattern: "^azure-openai-[a-z0-9-]+$" },
        stack: { type: "string", minLength: 1 },
        urn: { type: "string", pattern: "^urn:pulumi:" },
        name: { type: "string", minLength: 1 },
        reason: { type: "string", minLength: 10 },
        owner: { type: "string", minLength: 3 },
        ticket: { type: "string", minLength: 1 },
        expires: { type: "string", pattern: datePattern },
    },
    required: ["id", "policy", "stack", "reason", "owner", "ticket", "expires"],
    additionalProperties: false,
} as const;

const exemptionsProperty = { type: "array", items: exemptionSchema, default: [] } as const;

// "Today" is injectable: tests and reproducible plans pin it; otherwise the UTC date of the run.
let todayOverride: string | undefined;
export function setToday(date: string | undefined): void {
    if (date !== undefined && !new RegExp(datePattern).test(date)) throw new Error(`setToday: '${date}' expected YYYY-MM-DD`);
    todayOverride = date;
}
export function today(): string {
    return todayOverride ?? process.env.AZURE_OPENAI_POLICY_TODAY ?? new Date().toISOString().slice(0, 10);
}

export const isExpired = (e: Exemption, on = today()) => e.expires < on;

function globToRegExp(glob: string): RegExp {
    const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${escaped}$`);
}

/** Logical name: the last segment of the URN (what `name` globs match). */
const logicalName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

export function matches(e: Exemption, urn: string): boolean {
    if (stackOfUrn(urn) !== e.stack) return false;
    if (e.urn !== undefined) return e.urn === urn;
    return e.name !== undefined && globToRegExp(e.name).test(logicalName(urn));
}

export const noticeOf = (e: Exemption) => formatExemption({ exemptionId: e.id, policyName: e.policy, reason: e.reason, owner: e.owner, ticket: e.ticket, expires: e.expires });

// What this process saw: which exemptions covered a finding, and which URNs went through exemptable resource policies.
// The pack serves one run per process (the CLI starts one per preview/update), so this is per run.
const usedExemptions = new Set<string>();
const analyzedUrns = new Set<string>();
export function resetExemptionState(): void {
    usedExemptions.clear();
    analyzedUrns.clear();
}

function coveringExemption(policyName: string, config: { exemptions?: Exemption[] }, urn: string | undefined): Exemption | undefined {
    if (!urn) return undefined;
    const on = today();
    return (config.exemptions ?? []).find((e) => e.policy === policyName && !isExpired(e, on) && matches(e, urn));
}

function withExemptionsSchema(schema: PolicyConfigSchema | undefined): PolicyConfigSchema {
    return { ...schema, properties: { ...(schema?.properties ?? {}), exemptions: exemptionsProperty } } as unknown as PolicyConfigSchema;
}

type Finding = Parameters<ReportViolation>;

/**
 * The SDK's reportViolation also takes an object that names another policy and level (server.js
 * makeReportViolationFun); its type declaration only shows the string form.
 */
interface DiagnosticOverride { name: string; message: string; urn?: string; enforcementLevel: "advisory" | "mandatory" }
const reportAs = (report: ReportViolation, d: DiagnosticOverride) => (report as unknown as (d: DiagnosticOverride) => void)(d);

/** Makes a resource policy honour exemptions: a covered finding turns into not-applicable with the exemption's notice. */
export function exemptableResourcePolicy(policy: PackResourcePolicy): PackResourcePolicy {
    const validate = policy.validateResource;
    if (!validate || Array.isArray(validate)) throw new Error(`${policy.name}: expected a single validateResource function`);
    return {
        ...policy,
        configSchema: withExemptionsSchema(policy.configSchema),
        validateResource: async (args: ResourceValidationArgs, report: ReportViolation) => {
            analyzedUrns.add(args.urn);
            const findings: Finding[] = [];
            await validate(args, (...f: Finding) => findings.push(f));
            if (findings.length === 0) return;
            const exemption = coveringExemption(policy.name, withDefaults(policy.configSchema, args.getConfig()), args.urn);
            if (exemption) {
                usedExemptions.add(exemption.id);
                args.notApplicable(noticeOf(exemption));
            }
            for (const f of findings) report(...f);
        },
    };
}

/** Makes a stack policy honour exemptions: each covered finding is re-filed as an advisory `exemptionsAppliedPolicy` notice. */
export function exemptableStackPolicy(policy: PackStackPolicy): PackStackPolicy {
    return {
        ...policy,
        configSchema: withExemptionsSchema(policy.configSchema),
        validateStack: async (args: StackValidationArgs, report: ReportViolation) => {
            const config = args.getConfig<{ exemptions?: Exemption[] }>();
            await policy.validateStack(args, (...f: Finding) => {
                const urn = f[1];
                const exemption = coveringExemption(policy.name, config, urn);
                if (!exemption) return report(...f);
                usedExemptions.add(exemption.id);
                reportAs(report, { name: exemptionsAppliedPolicy, message: noticeOf(exemption), urn, enforcementLevel: "advisory" });
            });
        },
    };
}

export function makeExemptable(policy: PackPolicy): PackPolicy {
    if (policy.nonExemptable) return policy;
    return "validateStack" in policy ? exemptableStackPolicy(policy) : exemptableResourcePolicy(policy as PackResourcePolicy);
}

interface GovernanceConfig {
    exemptions: Exemption[];
    /** Longest an exemption may be granted for, counted from today. */
    maxDays: number;
}

const governanceSchema: PolicyConfigSchema = {
    properties: {
        exemptions: exemptionsProperty as never,
        maxDays: { type: "integer", minimum: 1, maximum: 730, default: 365 },
    },
};

function addDays(date: string, days: number): string {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
}

/** The resources of this stack an exemption covers (of the types its policy judges), in one pass. */
function matchedBy(exemptions: Exemption[], resources: PolicyResource[], policies: Map<string, PackPolicy>): Map<string, PolicyResource[]> {
    const out = new Map<string, PolicyResource[]>(exemptions.map((e) => [e.id, []]));
    const byUrn = new Map(exemptions.filter((e) => e.urn).map((e) => [e.urn as string, e]));
    const globbed = exemptions.filter((e) => !e.urn);
    const judged = (e: Exemption, r: PolicyResource) => {
        const concerns = policies.get(e.policy)?.concerns ?? [];
        return concerns.length === 0 || concerns.includes(canonicalType(r.type));
    };
    for (const r of resources) {
        const exact = byUrn.get(r.urn);
        if (exact && matches(exact, r.urn) && judged(exact, r)) out.get(exact.id)?.push(r);
        for (const e of globbed) if (matches(e, r.urn) && judged(e, r)) out.get(e.id)?.push(r);
    }
    return out;
}

const isExemptable = (p: PackPolicy | undefined) => p !== undefined && !p.nonExemptable;

const currentStack = (args: StackValidationArgs) => (args.resources[0] ? stackOfUrn(args.resources[0].urn) : process.env.PULUMI_STACK ?? "");

/**
 * The three governance policies of the exemption register. `rules` is the rest of the pack: an exemption must name
 * one of them, and not a non-exemptable one. They run after every other policy (stale needs to know what was used).
 */
export function governancePolicies(rules: readonly PackPolicy[]): PackStackPolicy[] {
    const byName = new Map(rules.map((p) => [p.name, p]));
    const common = { concerns: [] as string[], configSchema: governanceSchema, anchors: {} };
    const expired: PackStackPolicy = {
        ...common,
        name: "azure-openai-exemption-expired",
        description: "An exemption past its expiry date no longer waives anything and must be renewed or removed by its owner.",
        severity: "high",
        enforcementLevel: "mandatory",
        nonExemptable: true,
        remediationSteps: "Fix the finding the exemption covered, or have the exemption's owner renew it in policies/exemptions.yaml with a new expiry date and ticket, then run `npm run policy-config`.",
        url: docsUrl("azure-openai-exemption-expired"),
        validateStack: (args, report) => {
            const { exemptions } = withDefaults<GovernanceConfig>(governanceSchema, args.getConfig());
            const stack = currentStack(args);
            const mine = exemptions.filter((e) => e.stack === stack && isExpired(e));
            const matched = matchedBy(mine, args.resources, byName);
            for (const e of mine) {
                const target = matched.get(e.id)?.[0];
                report(`exemption ${e.id} of ${e.policy} expired on ${e.expires}: owner ${e.owner} must renew it (ticket ${e.ticket}) or the finding must be fixed; until then the finding is enforced.`, target?.urn);
            }
        },
    };
    const invalid: PackStackPolicy = {
        ...common,
        name: "azure-openai-exemption-invalid",
        description: "Every exemption names an exemptable policy of this pack and is granted for a limited time.",
        severity: "high",
        enforcementLevel: "mandatory",
        nonExemptable: true,
        remediationSteps: "Correct or remove the entry in policies/exemptions.yaml: name an existing, exemptable policy and an expiry date within the allowed window; then run `npm run policy-config`.",
        url: docsUrl("azure-openai-exemption-invalid"),
        validateStack: (args, report) => {
            const { exemptions, maxDays } = withDefaults<GovernanceConfig>(governanceSchema, args.getConfig());
            const stack = currentStack(args);
            const limit = addDays(today(), maxDays);
            for (const e of exemptions.filter((x) => x.stack === stack)) {
                const target = byName.get(e.policy);
                if (!target) report(`exemption ${e.id}: policy '${e.policy}' is not in this pack: name one of its policies (owner ${e.owner}).`);
                else if (target.nonExemptable) report(`exemption ${e.id}: policy '${e.policy}' is non-exemptable: no exemption can cover it, fix the resource instead (owner ${e.owner}).`);
                if (e.urn === undefined && e.name === undefined) report(`exemption ${e.id}: resource has neither urn nor name: set one so the exemption covers a specific resource (owner ${e.owner}).`);
                if (e.expires > limit) report(`exemption ${e.id}: expires ${e.expires}, more than ${maxDays} days ahead: set an expiry on or before ${limit} (owner ${e.owner}).`);
            }
        },
    };
    const stale: PackStackPolicy = {
        ...common,
        name: "azure-openai-exemption-stale",
        description: "An exemption that matched nothing in this run is stale and should be removed from the register.",
        severity: "low",
        enforcementLevel: "advisory",
        nonExemptable: true,
        remediationSteps: "Remove the entry from policies/exemptions.yaml (the resource is gone or now complies), then run `npm run policy-config`.",
        url: docsUrl("azure-openai-exemption-stale"),
        validateStack: (args, report) => {
            const { exemptions } = withDefaults<GovernanceConfig>(governanceSchema, args.getConfig());
            const stack = currentStack(args);
            const mine = exemptions.filter((e) => e.stack === stack && !isExpired(e) && isExemptable(byName.get(e.policy)));
            const matched = matchedBy(mine, args.resources, byName);
            for (const e of mine) {
                const resources = matched.get(e.id) ?? [];
                if (resources.length === 0) {
                    report(`exemption ${e.id} of ${e.policy} matches no resource of stack ${stack} (${e.urn ?? e.name}): remove it (owner ${e.owner}).`);
                    continue;
                }
                if (usedExemptions.has(e.id)) continue;
                // A resource policy's exemption can only be judged unused if this process analyzed every resource it covers.
                const isStack = "validateStack" in (byName.get(e.policy) ?? {});
                if (isStack || resources.every((r) => analyzedUrns.has(r.urn))) {
                    report(`exemption ${e.id}: ${e.policy} found nothing to waive on ${resources.map((r) => r.name).join(", ")}: remove it (owner ${e.owner}).`, resources[0].urn);
                }
            }
        },
    };
    return [expired, invalid, stale];
}
