/** This repository's pack: every policy at its own level (mandatory unless the policy says advisory). */
// First: the SDK skips loading its function serializer (typescript, ~50 MB) that a pack never uses, and the analyzer
// server decodes each resource once, not once per policy (docs/performance.md).
import "../runtime/lazy-sdk-deps";
import "./deserialize-once";
import { AzureOpenAiGuard } from "./guard";

new AzureOpenAiGuard();
