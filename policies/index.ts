/** Entry point of the pack: constructing the PolicyPack starts the analyzer gRPC server the Pulumi CLI talks to. */
// First: the SDK skips loading its function serializer (typescript, ~50 MB) that a pack never uses, the analyzer
// server decodes each resource once, not once per policy, runs only the rules that judge a resource's type and builds
// the stack's resource graph once for all stack policies (docs/performance.md).
import "../runtime/lazy-sdk-deps";
import "./deserialize-once";
import "./fast-analyzer";
import { PolicyPack } from "@pulumi/policy";
import { allPolicies, packName } from "./all";

new PolicyPack(packName, { policies: allPolicies, enforcementLevel: "mandatory" });
