/** What the gateway's policy is generated from, and its synchronous checks. */
import { GatewayTokenLimits } from "../catalogue/gateway-limits";

export interface GatewayPolicyConfig {
    /** Makes the stack-wide counter keys unique to the stack, e.g. the name prefix `contoso-weu`. */
    counterPrefix: string;
    /**
     * Named value holding the Entra ID tenant whose tokens are accepted. Ids live in named values, referenced as
     * `{{name}}` (the validate-azure-ad-token reference's own examples do so), so the policy text is the same in a preview
     * as in a deployment, where the ids of new identities are not known yet.
     */
    tenantNamedValue: string;
    /** Accepted token audiences (the resource callers request a token for). */
    audiences: string[];
    /** Admitted callers: the named value holding each one's client (application) id, lower-case, and its team. */
    callers: { namedValue: string; team: string }[];
    limits: GatewayTokenLimits;
    /** The Entra ID resource the gateway's managed identity requests a token for, towards the backend. */
    backendResource: string;
    /** API Management backend (single or pool) that requests go to. */
    backendId: string;
    /** Operation ids that generate text: they must state `max_tokens` or `max_completion_tokens`. */
    completionOperations: string[];
    /** Refuse every request that does not arrive through a private endpoint (the profile forbids public inbound). */
    privateEndpointOnly: boolean;
    /** Namespace of the token metrics in Application Insights. */
    metricNamespace: string;
}

const safeKey = /^[a-z0-9][a-z0-9-]*$/;
/** `{{name}}`: a named value reference. */
export const namedValueRef = (name: string) => `{{${name}}}`;

/** Synchronous checks of the configuration; every problem names the field and what was expected. */
export function validateGatewayPolicyConfig(c: GatewayPolicyConfig): void {
    const problems: string[] = [];
    if (!safeKey.test(c.counterPrefix))
        problems.push(`counterPrefix: '${c.counterPrefix}' expected lower-case letters, digits and '-'`);
    if (c.audiences.length === 0) problems.push("audiences: expected at least one token audience");
    if (!safeKey.test(c.tenantNamedValue))
        problems.push(`tenantNamedValue: '${c.tenantNamedValue}' expected lower-case letters, digits and '-'`);
    if (c.callers.length === 0) problems.push("callers: expected at least one admitted caller");
    const seen = new Set<string>();
    c.callers.forEach((caller, i) => {
        // Both end up inside C# string literals of the policy: only these shapes are safe there.
        if (!safeKey.test(caller.namedValue))
            problems.push(
                `callers[${i}].namedValue: '${caller.namedValue}' expected lower-case letters, digits and '-'`,
            );
        if (!safeKey.test(caller.team))
            problems.push(`callers[${i}].team: '${caller.team}' expected lower-case letters, digits and '-'`);
        if (seen.has(caller.namedValue))
            problems.push(`callers[${i}].namedValue: duplicate '${caller.namedValue}': expected each caller once`);
        seen.add(caller.namedValue);
    });
    if (!/^[a-zA-Z0-9-]{1,80}$/.test(c.backendId))
        problems.push(`backendId: '${c.backendId}' expected letters, digits and '-'`);
    c.completionOperations.forEach((op, i) => {
        if (!safeKey.test(op))
            problems.push(`completionOperations[${i}]: '${op}' expected lower-case letters, digits and '-'`);
    });
    const { tokens, perCaller } = c.limits;
    for (const [k, v] of Object.entries({
        ...tokens,
        ...Object.fromEntries(Object.entries(perCaller).map(([pk, pv]) => [`perCaller.${pk}`, pv])),
    })) {
        if (!Number.isInteger(v) || v < 1)
            problems.push(`limits.${k}: ${v} expected a positive whole number of tokens`);
    }
    if (problems.length > 0) throw new Error(`Gateway policy: invalid configuration:\n  - ${problems.join("\n  - ")}`);
}
