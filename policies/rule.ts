/**
 * The shape of a resource rule: which types it judges (everything else is not-applicable, with the reason), and a
 * check that files problems as `<resource>: <property> <actual>: <fix>`.
 */
import { ResourceValidationArgs } from "@pulumi/policy";
import { finding, PackResourcePolicy, RuleSpecBase, ruleFields, withDefaults } from "./core";
import { canonicalType } from "./stack-index";

export type Problem = (property: string, actual: string, fix: string) => void;

export interface ResourceRuleSpec<C> extends RuleSpecBase {
    /** Judges one resource of a concerned type (canonical type passed). Unknown values: read with `known`/`peek`. */
    check: (
        type: string,
        props: Record<string, unknown>,
        config: C,
        problem: Problem,
        args: ResourceValidationArgs,
    ) => void;
    /** Optional finer filter: a reason when a resource of a concerned type is still not judged. */
    skip?: (type: string, props: Record<string, unknown>, config: C) => string | undefined;
}

/**
 * `args.notApplicable` throws an Error, whose stack V8 captures; a rule answers not-applicable for most resources it
 * sees, and that capture was the pack's top cost per resource (docs/performance.md). Only this throw skips the stack.
 */
function notApplicable(args: ResourceValidationArgs, reason: string): never {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return args.notApplicable(reason);
    } finally {
        Error.stackTraceLimit = limit;
    }
}

export function resourceRule<C extends object = Record<string, never>>(spec: ResourceRuleSpec<C>): PackResourcePolicy {
    const concerned = new Set(spec.concerns);
    // Short on purpose: every resource of another type carries this reason in every Analyze response (docs/performance.md).
    const otherType =
        spec.otherTypeReason ??
        `applies to ${[...new Set(spec.concerns.map((t) => t.split(":").pop()))].join(", ")} only`;
    // Most resources a rule sees are of a type it does not concern: that answer's error is built once and rethrown
    // (the server only reads its reason).
    let otherTypeError: unknown;
    return {
        ...ruleFields(spec),
        typeFilter: { judges: (type: string) => concerned.has(canonicalType(type)), otherTypeReason: otherType },
        validateResource: (args, report) => {
            const type = canonicalType(args.type);
            if (!concerned.has(type)) {
                if (otherTypeError === undefined) {
                    try {
                        notApplicable(args, otherType);
                    } catch (e) {
                        otherTypeError = e;
                    }
                }
                throw otherTypeError;
            }
            const config = withDefaults<C>(spec.configSchema, args.getConfig());
            const skipped = spec.skip?.(type, args.props, config);
            if (skipped) notApplicable(args, skipped);
            spec.check(
                type,
                args.props,
                config,
                (property, actual, fix) => report(finding(args, property, actual, fix)),
                args,
            );
        },
    };
}
