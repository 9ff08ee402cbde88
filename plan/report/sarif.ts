/**
 * SARIF 2.1.0 for code scanning: one run per stack, one rule per policy, one result per violation (error for
 * mandatory, warning for advisory) located at the line of the stack file's key it is about (stack-keys.ts), or of
 * the program's line that constructs the resource (program-lines.ts), with the URN as logical location.
 * Exemptions are results with an accepted suppression and its justification; checks that could not run are
 * tool execution notifications.
 */
import { createHash } from "crypto";
import { PlanReport, StackReport } from "./model";
import { toolName } from "../planner";
import { programLine } from "./program-lines";
import { stackKeyLine } from "./stack-keys";

const schemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

/** The line a finding is located at, with a note when it is not the finding's own line. */
function findingLine(s: StackReport, policyName: string, urn: string): { line: number; note?: string } {
    if (s.source.kind === "program") {
        const at = programLine(s, urn);
        if (!at)
            return {
                line: 1,
                note: `The line that constructs this resource is not known (no frame of ${s.source.file} was on the stack when it was constructed): located at line 1.`,
            };
        if (!at.ancestor) return { line: at.line };
        return {
            line: at.line,
            note: `Located where the program constructs ${nameOf(at.ancestor)}, which contains this resource (no frame of ${s.source.file} was on the stack when the resource itself was constructed).`,
        };
    }
    const line = stackKeyLine(s, policyName, urn);
    return line === undefined
        ? { line: 1, note: "No stack config key is known for this finding: located at line 1." }
        : { line };
}

function location(s: StackReport, policyName: string, urn: string) {
    const { line, note } = findingLine(s, policyName, urn);
    return {
        physicalLocation: {
            artifactLocation: { uri: s.source.file.split("\\").join("/"), uriBaseId: "%SRCROOT%" },
            region: { startLine: line },
        },
        ...(note ? { message: { text: note } } : {}),
        logicalLocations: [{ fullyQualifiedName: urn, name: nameOf(urn), kind: "resource" }],
    };
}

const fingerprint = (...parts: string[]) =>
    createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);

function run(s: StackReport, version: string) {
    const rules = s.policies.map((p) => ({
        id: p.name,
        name: p.name,
        shortDescription: { text: p.description },
        fullDescription: { text: p.description },
        help: { text: p.remediation ?? p.description, markdown: p.remediation ?? p.description },
        ...(p.url ? { helpUri: p.url } : {}),
        defaultConfiguration: {
            level: p.enforcementLevel === "advisory" ? "warning" : p.enforcementLevel === "disabled" ? "none" : "error",
            enabled: p.enforcementLevel !== "disabled",
        },
        properties: {
            enforcementLevel: p.enforcementLevel,
            nonExemptable: p.nonExemptable,
            concerns: p.concerns,
            ...(p.severity ? { severity: p.severity } : {}),
        },
    }));
    const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    const results: object[] = s.violations.map((v) => ({
        ruleId: v.policyName,
        ...(ruleIndex.has(v.policyName) ? { ruleIndex: ruleIndex.get(v.policyName) } : {}),
        level: v.enforcementLevel === "mandatory" ? "error" : "warning",
        message: { text: `${v.message}${v.remediation ? ` Remediation: ${v.remediation}` : ""}` },
        locations: [location(s, v.policyName, v.urn)],
        partialFingerprints: { "policyUrn/v1": fingerprint(v.policyName, v.urn, v.message) },
        properties: { stack: s.stack, urn: v.urn, enforcementLevel: v.enforcementLevel },
    }));
    for (const v of s.verdicts.filter((x) => x.verdict === "exempted")) {
        const policy = s.policies.find((p) => p.name === v.policyName);
        const e = v.exemption;
        results.push({
            ruleId: v.policyName,
            ...(ruleIndex.has(v.policyName) ? { ruleIndex: ruleIndex.get(v.policyName) } : {}),
            level: policy?.enforcementLevel === "advisory" ? "warning" : "error",
            message: { text: `Exempted: ${e ? `${e.exemptionId}: ${e.reason}` : (v.message ?? "")}` },
            locations: [location(s, v.policyName, v.urn)],
            partialFingerprints: { "policyUrn/v1": fingerprint(v.policyName, v.urn, "exempted") },
            suppressions: [
                {
                    kind: "external",
                    status: "accepted",
                    justification: e
                        ? `${e.reason} (owner ${e.owner}, ticket ${e.ticket}, expires ${e.expires})`
                        : (v.message ?? "exempted"),
                    ...(e
                        ? {
                              properties: {
                                  exemptionId: e.exemptionId,
                                  owner: e.owner,
                                  ticket: e.ticket,
                                  expires: e.expires,
                              },
                          }
                        : {}),
                },
            ],
            properties: { stack: s.stack, urn: v.urn },
        });
    }
    const notifications = s.verdicts
        .filter((v) => v.verdict === "not-evaluated")
        .map((v) => ({
            level: v.enforcementLevel === "mandatory" && s.strict ? "error" : "warning",
            message: {
                text: `${v.policyName} could not be evaluated on ${v.urn}: ${v.message ?? "a value was unknown"}`,
            },
            descriptor: { id: v.policyName },
            locations: [location(s, v.policyName, v.urn)],
        }));
    return {
        tool: {
            driver: {
                name: toolName,
                version,
                semanticVersion: version,
                informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
                rules,
            },
        },
        automationDetails: { id: `${toolName}/${s.project}/${s.stack}/` },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository root." } } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
        properties: {
            stack: s.stack,
            project: s.project,
            profile: s.profile,
            mode: s.mode,
            strict: s.strict,
            counts: s.counts,
            policyPack: s.policyPack,
        },
    };
}

export function renderSarif(report: PlanReport, version = "0.1.0"): string {
    return `${JSON.stringify({ $schema: schemaUri, version: "2.1.0", runs: report.stacks.map((s) => run(s, version)) }, null, 2)}\n`;
}
