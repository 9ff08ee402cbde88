/**
 * Every policy of the pack, in evaluation order, each with its metadata (policies/verdict-protocol.ts).
 * Importing this module starts nothing: only index.ts constructs the PolicyPack (which starts a gRPC server).
 * Exemptable rules are wrapped so that exemptions apply; the exemption governance policies come last because the
 * stale check needs to know what the others used.
 */
import { accountPolicies } from "./account";
import { budgetCoverage } from "./budget";
import { contentFilter } from "./content-filter";
import { PackPolicy } from "./core";
import { approvedModel, deploymentSku } from "./deployments";
import { genericBypass } from "./bypass";
import { governancePolicies, makeExemptable } from "./exemptions";
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

/** Rules 1-23 of issue 4, then the Key Vault and Log Analytics families, in the order of the rule table in docs/policies.md. */
export const rules: PackPolicy[] = [
    ...accountPolicies,
    allowedLocations,
    deploymentSku,
    contentFilter,
    approvedModel,
    worstCaseSpend,
    privateEndpoint,
    dnsZoneGroup,
    zoneVnetLink,
    diagnosticSettings,
    workspaceRetention,
    roleAssignments,
    budgetCoverage,
    requiredTags,
    deletionProtection,
    genericBypass,
    ...keyVaultPolicies,
    ...keyVaultStackPolicies,
    ...logAnalyticsPolicies,
].map(makeExemptable);

export const allPolicies: PackPolicy[] = [...rules, ...governancePolicies(rules)];

export const packName = "azure-openai";
