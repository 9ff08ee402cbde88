/**
 * The plan's report: one shape that every format renders. The JSON format is this object as is; its schema is
 * docs/report.schema.json (checked by test/plan/report-schema.test.ts). Change both together, never silently.
 */
import type { StackCostLimits } from "../../catalogue/stack-settings";
import type { EnforcementLevel } from "../analyzer";
import type { VerdictCounts, VerdictRecord, ViolationRecord } from "../verdicts";

export const reportSchemaVersion = 3;

export interface ResourceEntry {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    /** Custom (cloud) resource; false for components and the stack. */
    custom: boolean;
    /** Inputs as the engine sees them, unknowns as "(known after apply)", secrets as "[secret]". */
    inputs: Record<string, unknown>;
    /** The security-relevant subset of the inputs (plan/key-inputs.ts). */
    keyInputs: Record<string, unknown>;
    protect: boolean;
    dependencies: string[];
    /** Input property to the URNs its value came from (how resources link, even while ids are unknown). */
    propertyDependencies: Record<string, string[]>;
}

export interface PolicyEntry {
    name: string;
    description: string;
    type: "resource" | "stack";
    /** The level in force for this stack: policy config over the policy's default over the pack's. */
    enforcementLevel: EnforcementLevel;
    /** The policy's own level (or the pack's) before config. */
    defaultEnforcementLevel: EnforcementLevel;
    severity: string | null;
    remediation: string | null;
    url: string | null;
    concerns: string[];
    nonExemptable: boolean;
    counts: VerdictCounts;
}

export interface StackResult {
    mandatoryViolations: number;
    advisoryViolations: number;
    /** Mandatory checks that could not run (unknown values) and were not confirmed with values known; fail strict stacks. */
    mandatoryNotEvaluated: number;
    /** Mandatory checks a preview could not run that passed once cloud-computed values were known (strict stacks). */
    confirmedWithKnownValues: number;
    failed: boolean;
}

export interface StackReport {
    stack: string;
    project: string;
    profile: string | null;
    environment: string | null;
    mode: "preview" | "update";
    strict: boolean;
    /**
     * Where the stack comes from, and the lines SARIF locates findings at. `keyLines`: the line of each config key of
     * a stack file. `resourceLines`: for a program, the line at which it constructs each resource (URN to line; a
     * resource constructed with no frame of the program on its stack has none).
     */
    source: {
        kind: "stack-file" | "program";
        file: string;
        keyLines?: Record<string, number>;
        resourceLines?: Record<string, number>;
    };
    policyPack: { name: string; version: string };
    policyConfig: string | null;
    resources: ResourceEntry[];
    violations: ViolationRecord[];
    verdicts: VerdictRecord[];
    policies: PolicyEntry[];
    counts: VerdictCounts;
    result: StackResult;
    /** The stack's effective cost limits (USD and tokens, per day, month and request); null when the program does not say. */
    costLimits: StackCostLimits | null;
}

export interface PlanReport {
    schemaVersion: number;
    tool: string;
    mode: "preview" | "update";
    stacks: StackReport[];
    summary: {
        stacks: number;
        resources: number;
        counts: VerdictCounts;
        mandatoryViolations: number;
        advisoryViolations: number;
        mandatoryNotEvaluated: number;
        confirmedWithKnownValues: number;
        failedStacks: string[];
        exitCode: 0 | 1;
    };
}
