/**
 * The shape of a stack rule: config with defaults, one StackIndex for the run, and findings filed against the
 * resource at fault as `<resource>: <property> <actual>: <fix>`.
 */
import { PolicyResource, StackValidationArgs, UnknownValueError } from "@pulumi/policy";
import { finding, PackStackPolicy, RuleSpecBase, ruleFields, withDefaults } from "./core";
import { StackIndex } from "./stack-index";

export type StackProblem = (resource: PolicyResource, property: string, actual: string, fix: string) => void;

/** `concerns`: the resources a verdict is given for; findings are filed against them. */
export interface StackRuleSpec<C> extends RuleSpecBase {
    check: (index: StackIndex, config: C, problem: StackProblem, args: StackValidationArgs) => void;
}

/**
 * One index per resource list: when the analyzer hands every stack policy the same list (policies/analyzer/analyze-stack.ts),
 * they share it. A StackIndex is never changed after it is built.
 */
const indexes = new WeakMap<PolicyResource[], StackIndex>();
export function indexOf(resources: PolicyResource[]): StackIndex {
    let index = indexes.get(resources);
    if (!index) indexes.set(resources, (index = new StackIndex(resources)));
    return index;
}

export function stackRule<C extends object = Record<string, never>>(spec: StackRuleSpec<C>): PackStackPolicy {
    return {
        ...ruleFields(spec),
        validateStack: (args, report) => {
            const config = withDefaults<C>(spec.configSchema, args.getConfig());
            const index = indexOf(args.resources);
            spec.check(
                index,
                config,
                (r, property, actual, fix) => report(finding(r, property, actual, fix), r.urn),
                args,
            );
        },
    };
}

/**
 * Judges each item, and only then reports that something could not be known: a value unknown in a preview for one
 * resource never hides a finding on another. (The SDK marks a stack policy that throws UnknownValueError as not run
 * for the whole stack; findings reported before the throw stand.)
 */
export function judgeEach<T>(items: Iterable<T>, judge: (item: T) => void): void {
    let pending: unknown;
    for (const item of items) {
        try {
            judge(item);
        } catch (e) {
            if (!(e instanceof UnknownValueError)) throw e;
            pending ??= e;
        }
    }
    if (pending) throw pending;
}
