/** The landing-zone components, for programs that install this package: one component per concern, and the top one. */
export * from "./shared";
export * from "./access-control";
export * from "./ai-gateway";
export * from "./gateway-policy";
export * from "./audit-logging";
export * from "./content-filter";
export * from "./cost-governance";
export * from "./customer-managed-key";
export * from "./dlp-patterns";
export * from "./model-deployments";
export * from "./openai-account";
export * from "./private-access";
export * from "./regional-openai";
