/**
 * Pulumi's mocks for a program run: a custom resource's registration is answered with its provider's outputs (handed
 * over by the registration recorder just before the mock monitor asks), an invoke with its placeholder answer.
 */
import * as pulumi from "@pulumi/pulumi";
import { InvokeHandler, UnexpectedInvokeError } from "./placeholder-invokes";
import type { InvokeRecord } from "./program-run";

/** What the mock answers for the registration in flight (set just before the mock monitor calls `newResource`). */
export interface PendingState {
    type: string;
    name: string;
    id: string;
    outputs: Record<string, unknown>;
}

export function makeMocks(
    pending: { state?: PendingState },
    invokes: Record<string, InvokeHandler>,
    calls: InvokeRecord[],
    errors: unknown[],
): pulumi.runtime.Mocks {
    return {
        newResource(args) {
            if (!args.custom) return { id: undefined, state: {} };
            const state = pending.state;
            pending.state = undefined;
            if (!state || state.type !== args.type || state.name !== args.name) {
                throw new Error(
                    `The offline plan has no provider outputs for ${args.type} '${args.name}': the mock monitor's registration order changed`,
                );
            }
            // An empty id is an unknown id (a preview's create).
            return { id: state.id, state: state.outputs };
        },
        call(args) {
            calls.push({ token: args.token, args: args.inputs });
            const handler = invokes[args.token];
            if (!handler) {
                // Throwing here would surface as an unhandled rejection inside the SDK; record it and fail the run at the end.
                errors.push(new UnexpectedInvokeError(args.token));
                return {};
            }
            return handler(args.inputs);
        },
    };
}
