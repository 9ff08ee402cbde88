/**
 * Runs a Pulumi program under Pulumi's mock runtime and records what it would register, as the engine would see it
 * (plan/program-run.ts). The program itself sees the provider's outputs, as it would in a real run (a preview's
 * `name` and `id` are unknown). Shared by the offline plan and the component tests, so both see the same placeholder
 * world. The parts: the recorded shapes (program-run.ts), the mocks' answers (mock-answers.ts, placeholder-invokes.ts)
 * and the monitor wrapper that records each registration (registration-recorder.ts).
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { readAnonymousFrames } from "./construction-sites";
import { makeMocks, PendingState } from "./mock-answers";
import { InvokeHandler, placeholderInvokes, UnexpectedInvokeError } from "./placeholder-invokes";
import type { InvokeRecord, PlannedResource, ProgramRun } from "./program-run";
import { releaseDeclarationBytes } from "./provider/sdk-schema";
import { recordRegistrations } from "./registration-recorder";
import { unknownSentinel } from "./sentinel";

/** The value Pulumi's wire format uses for "known only after apply". */
export { unknownSentinel };
export type { InvokeHandler, InvokeRecord, PlannedResource, ProgramRun };
export { placeholderInvokes, UnexpectedInvokeError };
export { durationSeconds } from "./registration-recorder";

export class ProgramRunError extends Error {
    constructor(
        message: string,
        public readonly causes: unknown[],
    ) {
        super(message);
        this.name = "ProgramRunError";
    }
}

export interface RunOptions {
    project: string;
    stack: string;
    /** Flat config as Pulumi holds it: `<namespace>:<key>` to string (objects JSON-encoded). */
    config: Record<string, string>;
    /** Preview: ids and cloud-computed outputs unknown, as in `pulumi preview`. */
    preview: boolean;
    /** A program module path (its exports become stack outputs; a default-exported function is called), or a function. */
    program: string | (() => unknown);
    /** Extra or overriding invoke answers. */
    invokes?: Record<string, InvokeHandler>;
    /**
     * A program file: record the line of it at which each resource was constructed (`PlannedResource.programLine`).
     * Off unless asked: the offline plan asks for `--program` plans only.
     */
    constructionSitesIn?: string;
}

/** Resolves when the promise settles or every outstanding registration has drained. */
async function drainRpcs(): Promise<void> {
    // waitForRPCs is internal to @pulumi/pulumi but stable since 1.0; it is what the SDK awaits before disconnecting.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
}

/**
 * Runs a program under mocks and returns what it registered. Throws ProgramRunError when the program throws,
 * an invoke has no placeholder, or a registration fails; no partial result is returned.
 */
export async function runProgram(options: RunOptions): Promise<ProgramRun> {
    // Node names a loaded module by its real path, and so do the stack frames.
    const programFile = options.constructionSitesIn ? fs.realpathSync(options.constructionSitesIn) : undefined;
    const resources = new Map<string, PlannedResource>();
    const calls: InvokeRecord[] = [];
    const errors: unknown[] = [];
    const onRejection = (reason: unknown) => errors.push(reason);
    process.on("unhandledRejection", onRejection);
    // The SDK captures `new Error().stack` for every promise it wraps (for leak reports); where source maps are
    // installed (ts-node, jest) each capture maps every frame. A run reports error messages, never stacks: capture
    // none while it runs. Each resource's construction stack is captured regardless (Resource.callsites lifts the
    // limit), which is what construction sites read.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const restoreFramePattern = programFile ? readAnonymousFrames() : undefined;
    try {
        pulumi.runtime.setAllConfig(options.config);
        const pending: { state?: PendingState } = {};
        await pulumi.runtime.setMocks(
            makeMocks(pending, { ...placeholderInvokes, ...options.invokes }, calls, errors),
            options.project,
            options.stack,
            options.preview,
        );
        recordRegistrations(resources, options.preview, pending, programFile);
        const program = options.program;
        // The program's own errors are caught inside the stack's init: a rejection escaping it would surface as an
        // unhandled rejection inside the SDK instead of as this run's error.
        const outputs = (await pulumi.runtime.runInPulumiStack(async () => {
            try {
                if (typeof program === "function") return await program();
                const mod = await import(path.resolve(program));
                return typeof mod.default === "function" ? await mod.default() : mod;
            } catch (e) {
                errors.push(e);
                return {};
            }
        })) as Record<string, unknown>;
        await drainRpcs();
        if (errors.length > 0) {
            const first = errors.find((e) => e instanceof UnexpectedInvokeError) ?? errors[0];
            const message = first instanceof Error ? first.message : String(first);
            throw new ProgramRunError(`Program for stack '${options.stack}' failed: ${message}`, errors);
        }
        return {
            project: options.project,
            stack: options.stack,
            preview: options.preview,
            resources: [...resources.values()],
            invokes: calls,
            outputs: outputs ?? {},
        };
    } finally {
        releaseDeclarationBytes();
        Error.stackTraceLimit = stackTraceLimit;
        restoreFramePattern?.();
        process.off("unhandledRejection", onRejection);
    }
}
