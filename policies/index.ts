/** This repository's pack: every policy at its own level (mandatory unless the policy says advisory). */
// First: the SDK skips loading its function serializer (typescript, ~50 MB) that a pack never uses, the analyzer
// server decodes each resource once, not once per policy, runs only the rules that judge a resource's type and builds
// the stack's resource graph once for all stack policies (docs/performance.md).
import "../runtime/lazy-sdk-deps";
import "./deserialize-once";
import "./fast-analyzer";
import { AzureOpenAiGuard } from "./guard";

new AzureOpenAiGuard();
