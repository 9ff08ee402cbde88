/**
 * What the program hands the landing-zone component: a stack's configuration validated against its compliance
 * profile, with the values derived from both.
 */
import { ComplianceProfile, LogRetention } from "./profiles";
import { CustomerManagedKeyPhase, ParsedStackConfig } from "./stack-schema";

/** A validated stack: its config with defaults applied, and the profile it is held to. */
export interface StackSettings extends ParsedStackConfig {
    stack: string;
    resolvedProfile: ComplianceProfile;
    /** Retention actually configured on the workspace (at least the profile's). */
    retention: LogRetention;
    /** Whether the account encrypts with a customer-managed key. */
    customerManagedKeyEnabled: boolean;
    /** Where the key's rollout stands (`grant` only on a new stack's first update; see docs/components-core.md). */
    customerManagedKeyPhase: CustomerManagedKeyPhase;
    monthlyBudget: number;
    dailySpendLimit: number;
    /** Worst-case daily spend of the deployments, USD. */
    worstCaseDailySpend: number;
    /** Tags on every resource, platform tags included. */
    allTags: Record<string, string>;
    /** Production stacks protect and lock their stateful resources. */
    protect: boolean;
}
