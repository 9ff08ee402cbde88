/**
 * AnalyzeStack as server.js makeAnalyzeStackRpcFun answers it, except that the resource graph is built once for all
 * stack policies and handed to each (stack rules then share one StackIndex, policies/stack-rule.ts).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { PackPolicy } from "../core";
import { Answers, throwNotApplicable } from "./answers";
import { getConfigFun, levelOf, PackState } from "./pack-state";
import { resourceGraph } from "./resource-graph";
import { Handler, Level, policyModule } from "./sdk";

export function analyzeStackHandler(
    packName: string,
    packVersion: string,
    packLevel: Level,
    policies: PackPolicy[],
    state: PackState,
): Handler {
    return (call, callback) => {
        (async () => {
            const resources = call.request.getResourcesList();
            const answers = new Answers(packName, packVersion);
            let graph: unknown[] | undefined;
            for (const p of policies) {
                let level = levelOf(state, p, packLevel);
                if (level === "disabled" || !policyModule.isStackPolicy(p)) continue;
                if (level === "remediate") level = "mandatory";
                const validateStack = (p as any).validateStack;
                const pulumiType = policyModule.getPulumiType(validateStack);
                if (pulumiType && !resources.some((r: any) => r.getType() === pulumiType)) {
                    answers.notApplicable(p.name, `Policy only applies to resources of type '${pulumiType}'`);
                    continue;
                }
                const report = answers.reporter(p, level);
                try {
                    graph ??= resourceGraph(resources);
                    await Promise.resolve(
                        validateStack(
                            {
                                resources: graph,
                                getConfig: getConfigFun(state, p.name),
                                stackTags: state.stackTags,
                                notApplicable: throwNotApplicable,
                            },
                            report,
                        ),
                    );
                } catch (e) {
                    answers.failed(p, "validateStack", e);
                }
            }
            callback(undefined, answers.response());
        })().catch((err) => callback(err, undefined));
    };
}
