/**
 * The Pulumi program: one regional Azure OpenAI landing zone per stack. The configuration is validated first, so a
 * bad stack file fails with every problem listed before any resource is registered.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import { stackCostLimits } from "../catalogue/stack-settings";
import { RegionalOpenAi } from "../components/regional-openai";
import { loadStackConfig } from "./config";

const settings = loadStackConfig();
const client = authorization.getClientConfigOutput();
const zone = new RegionalOpenAi(settings.namePrefix, { settings, subscriptionId: client.subscriptionId, tenantId: client.tenantId });

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
