/** The audit trail's arguments and their synchronous checks. */
import * as pulumi from "@pulumi/pulumi";
import { azureMonitorPrivateDnsZones } from "../catalogue/azure";
import { LogRetention } from "../catalogue/profiles";
import { CommonArgs } from "./shared";

/** How many events in an alert's window fire it. */
export interface AlertThresholds {
    /** 401/403 responses in 15 minutes (default 10). */
    authFailures?: number;
    /** 429 responses in 15 minutes (default 50). */
    throttledRequests?: number;
}

/**
 * Private access to the workspace through an Azure Monitor Private Link Scope (AMPLS): the workspace then refuses
 * public ingestion and queries. Either the stack creates the AMPLS (private-only access modes), a private endpoint to it
 * in `subnetId` and the five Azure Monitor zones (linked to `vnetId`, or the hub's by id), or it scopes the workspace
 * into the hub's existing AMPLS (`existingScopeId`; Microsoft's guidance is one AMPLS per DNS, so a hub that already
 * has one keeps it). The existing scope must be in the stack's subscription (the provider's).
 */
export type AuditPrivateLinkSpec =
    | {
          subnetId: pulumi.Input<string>;
          vnetId: pulumi.Input<string>;
          privateDnsZoneIds?: undefined;
          existingScopeId?: undefined;
      }
    | {
          subnetId: pulumi.Input<string>;
          privateDnsZoneIds: pulumi.Input<string>[];
          vnetId?: undefined;
          existingScopeId?: undefined;
      }
    | { existingScopeId: string; subnetId?: undefined; vnetId?: undefined; privateDnsZoneIds?: undefined };

/** An AMPLS id; captures its resource group and name. */
export const scopeIdPattern =
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/([^/]+)\/providers\/microsoft\.insights\/privateLinkScopes\/([^/]+)$/i;

export interface AuditLoggingArgs extends Omit<CommonArgs, "privateEndpoint"> {
    /** Name of the workspace, e.g. `log-<prefix>-openai`. */
    workspaceName: string;
    /** Interactive retention (workspace and tables) and total retention including archive (tables). */
    retention: LogRetention;
    /** CIDRs legitimate callers come from; calls from anywhere else raise an alert. */
    clientAddressPrefixes: string[];
    /** Action groups the alerts notify (none: alerts are recorded in Azure Monitor only). */
    alertActionGroupIds?: pulumi.Input<string>[];
    alertThresholds?: AlertThresholds;
    /** Subscription id; required with `roleAssignments` (role definition ids are subscription-scoped). */
    subscriptionId?: pulumi.Input<string>;
    /** Reach the workspace only privately, through an Azure Monitor Private Link Scope (the profile decides). */
    privateLink?: AuditPrivateLinkSpec;
}

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Synchronous checks of the arguments; every problem names the argument and what was expected. */
export function validateAuditLoggingArgs(
    args: Pick<
        AuditLoggingArgs,
        "retention" | "clientAddressPrefixes" | "alertThresholds" | "roleAssignments" | "subscriptionId" | "privateLink"
    >,
): void {
    const problems: string[] = [];
    const { interactiveDays, totalDays } = args.retention;
    // PerGU2018 workspaces keep 30-730 days interactively; tables keep up to 12 years in total.
    if (!Number.isInteger(interactiveDays) || interactiveDays < 30 || interactiveDays > 730)
        problems.push(`retention.interactiveDays: ${interactiveDays} expected a whole number of days from 30 to 730`);
    if (!Number.isInteger(totalDays) || totalDays < interactiveDays || totalDays > 4383)
        problems.push(
            `retention.totalDays: ${totalDays} expected a whole number of days from retention.interactiveDays (${interactiveDays}) to 4383`,
        );
    if (args.clientAddressPrefixes.length === 0)
        problems.push(
            "clientAddressPrefixes: expected at least one CIDR (the unexpected-caller alert needs to know who is expected)",
        );
    args.clientAddressPrefixes.forEach((cidr, i) => {
        const m = cidrPattern.exec(cidr);
        if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32)
            problems.push(`clientAddressPrefixes[${i}]: '${cidr}' expected an IPv4 CIDR such as 10.20.0.0/16`);
    });
    for (const [key, value] of Object.entries(args.alertThresholds ?? {})) {
        if (value !== undefined && (!Number.isInteger(value) || value < 1))
            problems.push(`alertThresholds.${key}: ${value} expected a whole number of events of at least 1`);
    }
    if ((args.roleAssignments?.length ?? 0) > 0 && args.subscriptionId === undefined)
        problems.push("subscriptionId: expected with roleAssignments (role definition ids are subscription-scoped)");
    const link = args.privateLink;
    if (link?.existingScopeId !== undefined && !scopeIdPattern.test(link.existingScopeId))
        problems.push(
            `privateLink.existingScopeId: '${link.existingScopeId}' expected /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Insights/privateLinkScopes/<name>`,
        );
    if (
        link?.privateDnsZoneIds !== undefined &&
        link.privateDnsZoneIds.length !== Object.keys(azureMonitorPrivateDnsZones).length
    )
        problems.push(
            `privateLink.privateDnsZoneIds: ${link.privateDnsZoneIds.length} zone id(s), expected the ${Object.keys(azureMonitorPrivateDnsZones).length} Azure Monitor zones (${Object.values(azureMonitorPrivateDnsZones).join(", ")})`,
        );
    if (problems.length > 0) throw new Error(`AuditLogging: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
