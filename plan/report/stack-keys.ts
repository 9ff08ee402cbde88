/**
 * The stack config key a finding is about, so code scanning marks the line a stack owner edits: the policy's family
 * (its name, `azure-openai-<family>-...`) decides the key; deployment findings point at the deployment's own item.
 * Keys absent from the stack file fall back to their parent, then to `profile` (the profile decides the rules).
 */
import { StackReport } from "./model";

const byPolicy: [RegExp, string][] = [
    [/^azure-openai-account-restrict-outbound-access$/, "network.allowedOutboundFqdns"],
    [/^azure-openai-account-enforce-customer-managed-key$/, "customerManagedKey"],
    [/^azure-openai-(account|private-endpoint|private-dns-zone)-/, "network"],
    [/^azure-openai-resource-enforce-allowed-locations$/, "location"],
    [/^azure-openai-resource-require-tags$/, "tags"],
    [/^azure-openai-(workspace|log-analytics)-/, "logging"],
    [/^azure-openai-budget-/, "budget"],
    [/^azure-openai-role-assignment-/, "access"],
    [/^azure-openai-production-/, "environment"],
    [/^azure-openai-gateway-/, "gateway"],
    [/^azure-openai-deployment-/, "deployments"],
];

/** The stack-file line of the key a finding of `policyName` on `urn` is about, or undefined when none is known. */
export function stackKeyLine(s: StackReport, policyName: string, urn: string): number | undefined {
    const lines = s.source.keyLines;
    if (!lines) return undefined;
    const key = byPolicy.find(([pattern]) => pattern.test(policyName))?.[1];
    const candidates: string[] = [];
    if (key === "deployments") {
        const inputs = s.resources.find((r) => r.urn === urn)?.inputs;
        const name = inputs?.deploymentName ?? inputs?.name;
        if (typeof name === "string") candidates.push(`deployments[${name}]`);
    }
    if (key) candidates.push(key, key.split(".")[0]);
    candidates.push("profile");
    return candidates.map((k) => lines[k]).find((l) => l !== undefined);
}
