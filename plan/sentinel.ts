/**
 * Pulumi's wire value for "known only after apply", on its own so that the plan's parent process can use it without
 * loading `@pulumi/pulumi` (about 0.6 s and 140 MB: only the worker needs the SDK). See docs/performance.md.
 */
export const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
