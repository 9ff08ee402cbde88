/**
 * Validates a stack's configuration once, before any resource is registered: its shape (stack-schema.ts), then the
 * rules of its profile (stack-rules.ts), every problem at once with its key path; then the settings derived from both.
 */
import { getProfile } from "./profiles";
import { formatPath, ParsedStackConfig, stackConfigSchema } from "./stack-schema";
import { ConfigProblem, effectiveGateway, profileProblems, StackConfigError, ValidationOptions } from "./stack-rules";
import { EffectiveGateway, StackSettings } from "./stack-settings";
import { totalWorstCaseDailySpend, utcToday } from "./models";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
    return path.reduce<unknown>(
        (v, k) => (typeof v === "object" && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined),
        raw,
    );
}

/** Validates raw config (already parsed from YAML or Pulumi) and resolves defaults from the profile. Throws StackConfigError. */
export function validateStackConfig(stack: string, raw: unknown, options: ValidationOptions = {}): StackSettings {
    const today = options.today ?? utcToday();
    const parsed = stackConfigSchema.safeParse(raw);
    const problems: ConfigProblem[] = [];
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            if (issue.code === "unrecognized_keys") {
                for (const key of issue.keys)
                    problems.push({
                        path: formatPath([...issue.path, key]),
                        message: "unknown key (a typo?): remove it or use a documented key",
                    });
            } else if (valueAt(raw, issue.path) === undefined) {
                problems.push({
                    path: formatPath(issue.path),
                    message: `missing required value: ${issue.message.replace(/^Invalid [a-zA-Z ]+: /, "").replace(", received undefined", "")}`,
                });
            } else {
                problems.push({
                    path: formatPath(issue.path),
                    message: issue.message.replace(/^Invalid [a-zA-Z ]+: /, ""),
                });
            }
        }
    }
    if (isObject(raw)) problems.push(...profileProblems(raw, today));
    if (problems.length > 0 || !parsed.success) {
        throw new StackConfigError(stack, problems);
    }
    const config = parsed.data;
    const profile = getProfile(config.profile);
    let gateway: EffectiveGateway | undefined;
    if (config.gateway) {
        try {
            gateway = effectiveGateway({ ...config, gateway: config.gateway }, profile);
        } catch (e) {
            throw new StackConfigError(stack, [
                {
                    path: "gateway.limits",
                    message: (e as Error).message
                        .replace(/^Gateway limits: invalid input:\n\s*- /, "")
                        .replace(/\n\s*- /g, "; "),
                },
            ]);
        }
    }
    const retention = {
        interactiveDays: config.logging.interactiveRetentionDays ?? profile.minimumLogRetention.interactiveDays,
        // Unset total retention never falls below the interactive one (Azure refuses that).
        totalDays:
            config.logging.totalRetentionDays ??
            Math.max(profile.minimumLogRetention.totalDays, config.logging.interactiveRetentionDays ?? 0),
    };
    return {
        ...config,
        stack,
        contentFilter: {
            ...config.contentFilter,
            dlpPatterns: config.contentFilter.dlpPatterns ?? profile.dlpPatterns,
        },
        resolvedProfile: profile,
        retention,
        customerManagedKeyEnabled: cmkEnabled(config.customerManagedKey, profile.customerManagedKeyRequired),
        customerManagedKeyPhase:
            typeof config.customerManagedKey === "object" ? config.customerManagedKey.phase : "encrypt",
        monthlyBudget: config.budget.monthlyAmount ?? profile.budget.monthlyAmount,
        dailySpendLimit: config.budget.dailySpendLimit ?? profile.budget.dailySpendLimit,
        worstCaseDailySpend: totalWorstCaseDailySpend(config.deployments, config.prices, gateway?.dailyCostUsd ?? 0),
        effectiveGateway: gateway,
        allTags: { ...config.tags, "compliance-profile": profile.id, environment: config.environment },
        protect: config.environment === "prod",
    };
}

function cmkEnabled(v: ParsedStackConfig["customerManagedKey"], required: boolean): boolean {
    if (typeof v === "boolean") return v;
    if (v === undefined) return required;
    // An object names a rollout phase, which only makes sense with a key: on unless it says enabled: false.
    return v.enabled ?? true;
}
