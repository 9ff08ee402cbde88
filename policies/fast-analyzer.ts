/**
 * The analyzer server of `@pulumi/policy` 1.21 runs every policy of the pack for every request, and rebuilds the stack's
 * resource graph once per stack policy. Importing this module installs the pack's own Analyze and AnalyzeStack handlers
 * in their place, with the same answers (test/policies/fast-analyzer.test.ts compares both servers' responses over the
 * protocol; what this saves, measured: docs/performance.md):
 *
 * - Analyze (policies/analyzer/analyze.ts): a resource rule that does not judge the request's type is answered
 *   not-applicable without running, unless the policy is disabled, as the SDK does; the rules that judge it run as the
 *   SDK runs them.
 * - AnalyzeStack (policies/analyzer/analyze-stack.ts): the SDK's loop, with one resource graph
 *   (policies/analyzer/resource-graph.ts) for all stack policies.
 *
 * Configure and ConfigureStack still go to the SDK; their payload is also kept (policies/analyzer/pack-state.ts). A pack
 * that does not import this module is served by the SDK's handlers, as the comparison test's fixture pack is. Import it
 * before the PolicyPack is constructed; any other @pulumi/policy version fails loudly (policies/analyzer/sdk.ts) so
 * this code is reviewed. It reads no environment: nothing outside the policy config changes how the pack answers.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { analyzeHandler, serializeWithTail } from "./analyzer/analyze";
import { analyzeStackHandler } from "./analyzer/analyze-stack";
import { configureHandlers, initialPackState } from "./analyzer/pack-state";
import { grpc, Handler, Level, server } from "./analyzer/sdk";
import { PackPolicy } from "./core";

function fastImplementation(
    impl: Record<string, Handler>,
    packName: string,
    packVersion: string,
    packLevel: Level,
    policies: PackPolicy[],
): Record<string, Handler> {
    const state = initialPackState();
    return {
        ...impl,
        ...configureHandlers(impl, state),
        analyze: analyzeHandler(packName, packVersion, packLevel, policies, state),
        analyzeStack: analyzeStackHandler(packName, packVersion, packLevel, policies, state),
    };
}

{
    const serve = server.serve;
    // policy.js calls `server_1.serve(...)` through the module object, so replacing the export reaches it.
    server.serve = (
        packName: string,
        packVersion: string,
        packLevel: Level,
        packArgs: { policies?: PackPolicy[] },
        initialConfig: unknown,
    ) => {
        const addService = grpc.Server.prototype.addService;
        grpc.Server.prototype.addService = function (service: any, impl: Record<string, Handler>) {
            const isAnalyzer =
                typeof impl.analyze === "function" &&
                typeof impl.analyzeStack === "function" &&
                typeof impl.configure === "function" &&
                typeof service?.analyze?.responseSerialize === "function";
            if (!isAnalyzer) return addService.call(this, service, impl);
            const fastService = {
                ...service,
                analyze: {
                    ...service.analyze,
                    responseSerialize: serializeWithTail(service.analyze.responseSerialize),
                },
            };
            return addService.call(
                this,
                fastService,
                fastImplementation(impl, packName, packVersion, packLevel, packArgs.policies ?? []),
            );
        };
        try {
            return serve(packName, packVersion, packLevel, packArgs, initialConfig);
        } finally {
            grpc.Server.prototype.addService = addService;
        }
    };
}
