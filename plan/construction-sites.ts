/**
 * Where a program constructs each resource (`new X(...)`), so the findings of a `--program` plan point at the
 * program's line. The SDK already captures each resource's call stack when it is constructed and sends it with the
 * registration (@pulumi/pulumi 3.248.0, resource.js: the Resource constructor's `Resource.stackTrace(4)`, which parses
 * `new Error().stack` with the stack trace limit lifted whatever it was; runtime/resource.js `registerResource`:
 * `RegisterResourceRequest.stackTrace`; read 2026-11-27). The construction site is the first frame of that stack in
 * the program's file: frames in the SDK, node_modules and the platform's components come first, so a component's
 * child points at the program line that constructs the component.
 */
import * as url from "url";
import * as pulumi from "@pulumi/pulumi";
import { transpiledSourceMap } from "./ts-require";

/**
 * The SDK's frame pattern reads `at fn (file:line:column)` only, so it loses the frames of anonymous functions,
 * which V8 prints as `at file:line:column` (a resource constructed in a `.map` callback or an `apply`). This one reads
 * both, with the same named groups.
 */
const anyFramePosition = /^\s*at (?:.* \()?(?<file>.+?):(?<line>[0-9]+):(?<column>[0-9]+)\)?$/;

/** Lets the SDK read anonymous functions' frames until the returned function restores its own pattern. */
export function readAnonymousFrames(): () => void {
    const resource = pulumi.Resource as unknown as { framePositionRegExp: RegExp };
    const sdkPattern = resource.framePositionRegExp;
    resource.framePositionRegExp = anyFramePosition;
    return () => {
        resource.framePositionRegExp = sdkPattern;
    };
}

interface SourcePosition {
    getUri(): string;
    getLine(): number;
    getColumn(): number;
}

/** What a RegisterResourceRequest carries of the stack its resource was constructed on. */
export interface RegistrationStack {
    getStacktrace(): { getFramesList(): { getPc(): SourcePosition | undefined }[] } | undefined;
}

/**
 * The line of `programFile` (a real path, as Node names loaded modules) at which the registration's resource was
 * constructed: its first stack frame in that file, mapped back to the TypeScript source when the plan transpiled the
 * file. Undefined when no frame is in the file (the SDK or a provider created the resource, or the program constructs
 * it in another of its files) or a transpiled position has no mapping: never a guessed line.
 */
export function constructionLine(req: RegistrationStack, programFile: string): number | undefined {
    const programUri = url.pathToFileURL(programFile).href;
    const frame = req
        .getStacktrace()
        ?.getFramesList()
        .map((f) => f.getPc())
        .find((pc) => pc?.getUri() === programUri);
    if (!frame) return undefined;
    const map = transpiledSourceMap(programFile);
    if (!map) return frame.getLine();
    const entry = map.findEntry(frame.getLine() - 1, frame.getColumn() - 1) as { originalLine?: number };
    return typeof entry.originalLine === "number" ? entry.originalLine + 1 : undefined;
}
