/**
 * `@pulumi/policy` 1.21's analyzer server deserializes a resource's properties once per policy: every Analyze call
 * decodes the same protobuf Struct once for each resource policy of the pack (13), and AnalyzeStack decodes every
 * resource of the stack once for each stack policy (13). For a fleet that was about half of the pack's policy-handling
 * CPU (docs/performance.md). This module makes the server decode each request's Struct once and hand the same plain
 * object to every policy (each still gets its own unknown-checking proxy around it). Policies must treat `props` as
 * read-only, as this pack's do. test/policies/deserialize-once.test.ts proves the shim is installed and decodes as the
 * library does; the pack's suites prove the verdicts unchanged. Remediation (secrets proxied) keeps the library's own
 * path. Import before the PolicyPack is constructed.
 */
type Deserialize = (struct: object, proxySecrets: boolean) => Record<string, unknown>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const deserializeModule = require("@pulumi/policy/deserialize") as { deserializeProperties?: Deserialize };
const original = deserializeModule.deserializeProperties;
if (typeof original !== "function") {
    throw new Error(
        "@pulumi/policy/deserialize no longer exports deserializeProperties: review policies/deserialize-once.ts for this @pulumi/policy version",
    );
}

/** The decoded properties per protobuf Struct; a request's Struct lives as long as the request. */
const decoded = new WeakMap<object, Record<string, unknown>>();

function deserializePropertiesOnce(struct: object, proxySecrets: boolean): Record<string, unknown> {
    if (proxySecrets || typeof struct !== "object" || struct === null) return original!(struct, proxySecrets);
    let props = decoded.get(struct);
    if (!props) {
        props = original!(struct, false);
        decoded.set(struct, props);
    }
    return props;
}

deserializeModule.deserializeProperties = deserializePropertiesOnce;

/** Whether the server's deserialization goes through this module (for the test). */
export function deserializesOnce(): boolean {
    return deserializeModule.deserializeProperties === deserializePropertiesOnce;
}
