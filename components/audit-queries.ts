/** Where the audit trail lands, and the KQL the workspace keeps: the design's usage query, searches, alert queries. */

/** Tables the account's logs (AzureDiagnostics: every Cognitive Services category) and metrics land in. */
export const auditTables = ["AzureDiagnostics", "AzureMetrics"] as const;

/** Every Azure OpenAI log record in the workspace. Cognitive Services has no resource-specific tables: all categories go to AzureDiagnostics. */
const openAiLogs = `AzureDiagnostics
| where ResourceProvider == "MICROSOFT.COGNITIVESERVICES"`;

/** The design's usage query, verbatim. */
export const usageQuery = `// Query Azure OpenAI usage logs
${openAiLogs}
| where Category == "RequestResponse"
| project
    TimeGenerated,
    OperationName,
    CallerIPAddress,
    DurationMs,
    ResultSignature,
    properties_s
| order by TimeGenerated desc
| take 100`;

/**
 * The same question answered the way a resource-specific table would: the account named, the JSON properties
 * parsed into a dynamic column (drill into caller object id, deployment, API) instead of a raw string.
 */
export const usageQueryResourceSpecific = `${openAiLogs}
| where Category == "RequestResponse"
| extend Properties = parse_json(properties_s)
| project
    TimeGenerated,
    Account = Resource,
    OperationName,
    CallerIPAddress,
    DurationMs,
    ResultSignature,
    Properties
| order by TimeGenerated desc
| take 100`;

/** Rejected calls: keys or tokens being tried against the account. */
export const authFailuresQuery = `${openAiLogs}
| where ResultSignature in ("401", "403")`;

/** Throttled calls: a deployment's capacity is exhausted (or someone is draining it). */
export const throttlingQuery = `${openAiLogs}
| where ResultSignature == "429"`;

/**
 * Calls whose caller IP lies outside the expected client ranges. Azure masks the last octet of caller IPs in these
 * logs (`10.40.1.***`); it is read as `.0`, which is exact for prefixes of /24 or shorter.
 */
export function unexpectedCallerQuery(clientAddressPrefixes: string[]): string {
    return `${openAiLogs}
| where Category in ("RequestResponse", "Audit")
| where isnotempty(CallerIPAddress)
| extend CallerIp = replace_string(CallerIPAddress, "***", "0")
| where not(ipv4_is_in_any_range(CallerIp, dynamic(${JSON.stringify(clientAddressPrefixes)})))`;
}
