/**
 * The Pulumi program: one regional Azure OpenAI landing zone per stack. The configuration is validated first, so a
 * bad stack file fails with every problem listed before any resource is registered.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import { stackCostLimits } from "../catalogue/stack-settings";
import { RegionalOpenAi } from "../components/regional-openai";
import { RawStackConfig } from "../catalogue/stack-schema";
import { readStackConfig, validateStackConfig } from "./config";

// The stack file's keys are the component's arguments. They are validated before anything is asked of Azure (every
// problem at once, by key path); the component validates its arguments again, as it does for any program.
const { stack, config } = readStackConfig();
validateStackConfig(stack, config);
const client = authorization.getClientConfigOutput();
const zone = new RegionalOpenAi(String(config.namePrefix), {
    ...(config as RawStackConfig),
    stack,
    subscriptionId: client.subscriptionId,
    tenantId: client.tenantId,
});
const settings = zone.settings;

// Identifiers only: no keys, no connection strings (the account has none; callers use Entra ID).
export const endpoint = zone.endpoint;
export const accountId = zone.accountId;
export const accountName = zone.accountName;
export const deploymentNames = zone.deploymentNames;
export const workspaceId = zone.workspaceId;
export const appIdentityClientIds = zone.appIdentityClientIds;
export const resourceGroupName = zone.resourceGroupName;
export const worstCaseDailySpendUsd = zone.worstCaseDailySpendUsd;
// Where applications call when the stack has a governed gateway (docs/gateway.md), and the limits in force.
export const gatewayUrl = zone.gatewayUrl ?? null;
export const costLimits = stackCostLimits(settings);
