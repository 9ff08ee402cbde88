/** The pack's analyzer server decodes a request's properties once and hands every policy the same decoded object. */
import * as structpb from "google-protobuf/google/protobuf/struct_pb";
import { deserializesOnce } from "../../policies/deserialize-once";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
    deserializeProperties(s: object, proxySecrets: boolean): Record<string, unknown>;
};

/** Pulumi's wire forms: an unknown value, and a secret (signature key and value). */
const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const secret = (value: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
const props = {
    kind: "OpenAI",
    properties: { publicNetworkAccess: "Disabled", networkAcls: { ipRules: [] } },
    tags: { owner: unknown },
    key: secret("s3cret"),
};

describe("deserialize-once", () => {
    it("is what the server's deserialization goes through once the pack loads", () => {
        expect(deserializesOnce()).toBe(true);
    });

    it("decodes a Struct once: every policy of a request gets the same object, equal to the library's decoding", () => {
        const struct = structpb.Struct.fromJavaScript(props as never);
        const first = deserializeProperties(struct, false);
        expect(deserializeProperties(struct, false)).toBe(first);
        // Secrets unwrapped to their value, unknowns kept as the sentinel, as @pulumi/policy decodes them.
        expect(first).toEqual({ ...props, key: "s3cret" });
    });

    it("decodes different requests separately, and remediation (secrets proxied) on the library's own path every time", () => {
        const a = structpb.Struct.fromJavaScript(props as never);
        const b = structpb.Struct.fromJavaScript(props as never);
        expect(deserializeProperties(a, false)).not.toBe(deserializeProperties(b, false));
        expect(deserializeProperties(a, true)).not.toBe(deserializeProperties(a, true));
    });
});
