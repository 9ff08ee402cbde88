/**
 * The AI gateway rules: an API Management gateway in front of Azure OpenAI, whoever wrote it, authenticates callers
 * with Entra ID (never a subscription key), enforces a token rate, daily and monthly quotas within the profile's USD
 * limits and the per-request cap, calls the backend with its managed identity, is private where the profile says, logs
 * to a workspace and keeps message bodies out of the logs. Policies are judged as parsed XML elements (gateway-xml.ts,
 * gateway-scopes.ts); the rules live in gateway-access.ts, gateway-token-limits.ts, gateway-backend-identity.ts and
 * gateway-logging.ts.
 */
import { gatewayEntraCallers, gatewayPublicAccess } from "./gateway-access";
import { gatewayManagedIdentity } from "./gateway-backend-identity";
import { gatewayBodyLogging, gatewayDiagnostics } from "./gateway-logging";
import { gatewayTokenLimits } from "./gateway-token-limits";

export {
    gatewayBodyLogging,
    gatewayDiagnostics,
    gatewayEntraCallers,
    gatewayManagedIdentity,
    gatewayPublicAccess,
    gatewayTokenLimits,
};

export const gatewayPolicies = [
    gatewayPublicAccess,
    gatewayEntraCallers,
    gatewayTokenLimits,
    gatewayManagedIdentity,
    gatewayDiagnostics,
    gatewayBodyLogging,
];
