/**
 * The policy that carries the exemption notices of stack policies. A stack-policy finding an exemption covers is
 * re-filed as an advisory diagnostic under this policy's name (policies/exemptions.ts `exemptableStackPolicy`), so the
 * engine's policy summary must find the name among the pack's policies (GetAnalyzerInfo), or it lists a failed policy
 * the pack does not declare (pulumi/pulumi pkg/resource/analyzer/summary.go, read 2026-11-27). It judges nothing
 * itself: its diagnostics are the notices.
 */
import { docsUrl, PackStackPolicy } from "./core";
import { exemptionsAppliedPolicy } from "./verdict-protocol";

export const exemptionsApplied: PackStackPolicy = {
    name: exemptionsAppliedPolicy,
    description:
        "Reports, on each resource, the stack-policy findings that an exemption of the register waived, with the exemption's owner, ticket and expiry.",
    severity: "low",
    enforcementLevel: "advisory",
    nonExemptable: true,
    concerns: [],
    anchors: {},
    remediationSteps:
        "Nothing to fix here: each notice names the waived finding and its exemption in policies/exemptions.yaml; fix the finding before the exemption expires, then remove the entry.",
    url: docsUrl(exemptionsAppliedPolicy),
    validateStack: () => undefined,
};
