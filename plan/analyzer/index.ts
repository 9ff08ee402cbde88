/** The analyzer protocol client, as the offline plan, the bench and the tests use it. */
export { AnalyzerClient } from "./client";
export { engineRequests, stackProperties, defaultProviderName } from "./engine-requests";
export type { EngineRequests, PlannedStack } from "./engine-requests";
export { reconcilePolicyConfig } from "./policy-config";
export type { SpawnPackOptions } from "./process";
export * from "./protocol";
