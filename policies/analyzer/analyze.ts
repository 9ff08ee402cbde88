/**
 * Analyze as server.js makeAnalyzeRpcFun answers it, except that a rule whose typeFilter (policies/core.ts) does not
 * judge the request's type is answered not-applicable, with the reason the rule itself gives, without running; and the
 * request's options, provider and property proxy are built once and shared by the rules that run (they only read them).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { PackPolicy, PackResourcePolicy } from "../core";
import { Answers, notApplicableEntry, throwNotApplicable } from "./answers";
import { getConfigFun, levelOf, PackState } from "./pack-state";
import { isTypeOf, providerResource, resourceOptions } from "./resource-decoding";
import { analyzerproto, deserialize, Handler, Level, policyModule, proxy } from "./sdk";

/**
 * The not-applicable entries of the rules that do not judge a type, encoded once per type (and per Configure, which may
 * disable rules): appended to the encoded response, they decode as the same entries after the others'.
 */
const encodedTails = new WeakMap<object, Buffer>();

/** The Analyze response serializer, appending the response's encoded tail. */
export function serializeWithTail(original: (response: any) => Buffer) {
    return (response: any): Buffer => {
        const tail = encodedTails.get(response);
        const head = original(response);
        return tail ? Buffer.concat([head, tail]) : head;
    };
}

/** Which rules judge a type, and the encoded not-applicable entries of the others, per type. */
function typeJudgements(policies: PackPolicy[], packLevel: Level, state: PackState) {
    const byType = new Map<string, { judged: boolean[]; tail?: Buffer; generation: number }>();
    return (type: string) => {
        let d = byType.get(type);
        if (!d)
            byType.set(
                type,
                (d = {
                    judged: policies.map((p) => (p as PackResourcePolicy).typeFilter?.judges(type) ?? true),
                    generation: -1,
                }),
            );
        if (d.generation !== state.generation) {
            // Rules the handler's loop skips for this type (it checks them in the same order); disabled rules give no entry.
            const skipped = policies.filter((p, i) => {
                if (d!.judged[i] || !policyModule.isResourcePolicy(p) || levelOf(state, p, packLevel) === "disabled")
                    return false;
                const validate = (p as PackResourcePolicy).validateResource as unknown;
                const pulumiType =
                    validate && !Array.isArray(validate) ? policyModule.getPulumiType(validate) : undefined;
                return Boolean(validate) && !(pulumiType && type !== pulumiType);
            });
            const tail = new analyzerproto.AnalyzeResponse();
            tail.setNotApplicableList(
                skipped.map((p) => notApplicableEntry(p.name, (p as PackResourcePolicy).typeFilter!.otherTypeReason)),
            );
            d.tail = skipped.length ? Buffer.from(tail.serializeBinary()) : undefined;
            d.generation = state.generation;
        }
        return d;
    };
}

export function analyzeHandler(
    packName: string,
    packVersion: string,
    packLevel: Level,
    policies: PackPolicy[],
    state: PackState,
): Handler {
    const judgesOf = typeJudgements(policies, packLevel, state);
    return (call, callback) => {
        (async () => {
            const req = call.request;
            const type: string = req.getType();
            const { judged, tail } = judgesOf(type);
            const answers = new Answers(packName, packVersion);
            let shared: { props: unknown; opts: unknown; provider: unknown } | undefined;
            for (let i = 0; i < policies.length; i++) {
                const p = policies[i] as PackResourcePolicy;
                let level = levelOf(state, p, packLevel);
                if (level === "disabled" || !policyModule.isResourcePolicy(p)) continue;
                const validate = p.validateResource as unknown;
                if (!validate) {
                    answers.notApplicable(p.name, "Policy does not implement validateResource");
                    continue;
                }
                if (level === "remediate") level = "mandatory";
                if (!Array.isArray(validate)) {
                    const pulumiType = policyModule.getPulumiType(validate);
                    if (pulumiType && type !== pulumiType) {
                        answers.notApplicable(p.name, `Policy only applies to resources of type '${pulumiType}'`);
                        continue;
                    }
                }
                // In the encoded tail (see above).
                if (!judged[i]) continue;
                const report = answers.reporter(p, level);
                for (const validation of (Array.isArray(validate) ? validate : [validate]) as ((
                    args: unknown,
                    report: unknown,
                ) => unknown)[]) {
                    try {
                        if (!shared) {
                            const props = proxy.unknownCheckingProxy(
                                deserialize.deserializeProperties(req.getProperties(), false),
                            );
                            shared = { props, opts: resourceOptions(req), provider: providerResource(req) };
                        }
                        const { props } = shared;
                        const args: Record<string, unknown> = {
                            type,
                            props,
                            urn: req.getUrn(),
                            name: req.getName(),
                            opts: shared.opts,
                            stackTags: state.stackTags,
                            isType: (resourceClass: unknown) => isTypeOf(type, resourceClass),
                            asType: (resourceClass: unknown) => (isTypeOf(type, resourceClass) ? props : undefined),
                            getConfig: getConfigFun(state, p.name),
                            notApplicable: throwNotApplicable,
                        };
                        if (shared.provider) args.provider = shared.provider;
                        const result = validation(args, report);
                        if (result !== undefined && typeof (result as Promise<unknown>).then === "function")
                            await result;
                    } catch (e) {
                        answers.failed(p, "validateResource", e);
                    }
                }
            }
            const response = answers.response();
            if (tail) encodedTails.set(response, tail);
            callback(undefined, response);
        })().catch((err) => callback(err, undefined));
    };
}
