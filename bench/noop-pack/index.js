// One policy that judges nothing: what evaluation costs here is the analyzer protocol itself (gRPC, protobuf,
// @pulumi/policy's server loop), the floor under any pack. Used by bench/evaluation-bench.ts.
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("bench-noop", {
    policies: [
        {
            name: "bench-noop",
            description: "Does nothing.",
            enforcementLevel: "advisory",
            validateResource: () => undefined,
        },
    ],
});
