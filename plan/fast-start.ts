/**
 * Start-up and throughput settings for the plan's worker, a process that only runs a program under mocks; measured in
 * docs/performance.md. Import it FIRST, before anything loads `@pulumi/pulumi`. Not for `pulumi up`.
 * - SDK dependencies used only for function serialization load on first use (lazy-sdk-deps.ts).
 * - The SDK captures `new Error().stack` for every promise it wraps and every resource it creates (kept for leak
 *   reports and source positions); the worker reports error messages, never stacks, so it captures none.
 */
import "./lazy-sdk-deps";

Error.stackTraceLimit = 0;
