/**
 * The shape of a stack rule: config with defaults, one StackIndex for the run, and findings filed against the
 * resource at fault as `<resource>: <property> <actual>: <fix>`.
 */
import { PolicyConfigSchema, PolicyResource, Severity, StackValidationArgs } from "@pulumi/policy";
import { docsUrl, finding, PackStackPolicy, withDefaults } from "./core";
import { StackIndex } from "./stack-index";
import { PolicyMetadata } from "./verdict-protocol";

export type StackProblem = (resource: PolicyResource, property: string, actual: string, fix: string) => void;

export interface StackRuleSpec<C> extends Pick<PolicyMetadata, "anchors" | "nonExemptable"> {
    name: string;
    description: string;
    severity: Severity;
    remediationSteps: string;
    enforcementLevel?: "mandatory" | "advisory";
    /** The resources a verdict is given for; findings are filed against them. */
    concerns: readonly string[];
    configSchema?: PolicyConfigSchema;
    check: (index: StackIndex, config: C, problem: StackProblem, args: StackValidationArgs) => void;
}

export function stackRule<C extends object = Record<string, never>>(spec: StackRuleSpec<C>): PackStackPolicy {
    return {
        name: spec.name,
        description: spec.description,
        severity: spec.severity,
        remediationSteps: spec.remediationSteps,
        enforcementLevel: spec.enforcementLevel ?? "mandatory",
        configSchema: spec.configSchema,
        concerns: [...spec.concerns],
        anchors: spec.anchors,
        nonExemptable: spec.nonExemptable,
        url: docsUrl(spec.name),
        validateStack: (args, report) => {
            const config = withDefaults<C>(spec.configSchema, args.getConfig());
            const index = new StackIndex(args.resources);
            spec.check(index, config, (r, property, actual, fix) => report(finding(r, property, actual, fix), r.urn), args);
        },
    };
}
