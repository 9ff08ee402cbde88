/**
 * Every policy of the pack, in evaluation order, each with its metadata (policies/verdict-protocol.ts).
 * Importing this module starts nothing: only index.ts constructs the PolicyPack (which starts a gRPC server).
 * Exemptable rules are wrapped so that exemptions apply; the exemption governance policies come last because the
 * stale check needs to know what the others used.
 */
import { accountPolicies } from "./account";
import { budgetCoverage, budgetPeriod } from "./budget";
import { contentFilter } from "./content-filter";
import { PackPolicy } from "./core";
import { approvedModel, deploymentSku, retiredModel, retiringModel } from "./deployments";
import { genericBypass } from "./bypass";
import { governancePolicies, makeExemptable } from "./exemptions";
import { exemptionsApplied } from "./exemptions-applied";
import { gatewayPolicies } from "./gateway";
import { keyVaultPolicies } from "./key-vault";
import { keyVaultStackPolicies } from "./key-vault-stack";
import { allowedLocations } from "./location";
import { logAnalyticsPolicies } from "./log-analytics";
import { diagnosticSettings, workspaceRetention } from "./logging";
import { dnsZoneGroup, privateEndpoint, zoneVnetLink } from "./network";
import { deletionProtection } from "./protection";
import { roleAssignments } from "./rbac";
import { worstCaseSpend } from "./spend";
import { requiredTags } from "./tags";

/** The rules, in the order of the rule table in docs/policies.md (the AI gateway rules: docs/gateway.md). */
export const rules: PackPolicy[] = [
    ...accountPolicies,
    allowedLocations,
    deploymentSku,
    contentFilter,
    approvedModel,
    retiredModel,
    retiringModel,
    worstCaseSpend,
    privateEndpoint,
    dnsZoneGroup,
    zoneVnetLink,
    diagnosticSettings,
    workspaceRetention,
    roleAssignments,
    budgetCoverage,
    budgetPeriod,
    requiredTags,
    deletionProtection,
    genericBypass,
    ...gatewayPolicies,
    ...keyVaultPolicies,
    ...keyVaultStackPolicies,
    ...logAnalyticsPolicies,
].map(makeExemptable);

/** The notices of applied exemptions are filed under a policy of their own, declared like any other. */
export const allPolicies: PackPolicy[] = [...rules, ...governancePolicies(rules), exemptionsApplied];

export const packName = "azure-openai";
