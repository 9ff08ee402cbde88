/** The AI gateway's arguments and their synchronous checks: backends must keep data where the profile says. */
import * as pulumi from "@pulumi/pulumi";
import { deploymentSkus } from "../catalogue/azure";
import { gatewayPrivateLink } from "../catalogue/gateway";
import { GatewayTokenLimits } from "../catalogue/gateway-limits";
import { CommonArgs, PrivateEndpointSpec } from "./shared";

/** An account the gateway forwards to. Its region and deployment SKUs are checked against the residency rules. */
export interface AiGatewayBackend {
    /** Stable key (e.g. the account's name); the backend's id is `openai-<key>`. */
    key: string;
    accountId: pulumi.Input<string>;
    /** The account's custom subdomain: the backend is `https://<subdomain>.openai.azure.com/openai`, resolved privately. */
    customSubDomainName: string;
    /** Region of the account. */
    location: string;
    /** The account's deployments: their SKUs say where prompts are processed; pooled accounts must serve the same names. */
    deployments: { name: string; sku: string }[];
    /** Lower is preferred; equal priorities share the load (a pool). Default 1. */
    priority?: number;
}

/** Where the gateway may send data: the compliance profile's rules. */
export interface AiGatewayResidency {
    /** Profile id, for messages. */
    profile: string;
    allowedRegions: string[];
    allowedDeploymentSkus: string[];
    publicInboundAllowed: boolean;
    bodyLoggingAllowed: boolean;
}

/** An admitted caller: a client (application) id and the team its tokens are charged to. */
export interface AiGatewayCaller {
    /** Stable key naming the caller's named value (`caller-<key>`), e.g. the application name. */
    key: string;
    clientId: pulumi.Input<string>;
    team: string;
}

export interface AiGatewayArgs extends CommonArgs {
    /** Short lower-case prefix of the stack's names; the service is `apim-<namePrefix>-<suffix>`. */
    namePrefix: string;
    /** Plain string that makes the service name globally unique but stable (as for the account's subdomain). */
    uniquenessSeed: string;
    subscriptionId: pulumi.Input<string>;
    /** Entra ID tenant whose tokens the gateway accepts. */
    tenantId: pulumi.Input<string>;
    residency: AiGatewayResidency;
    /** Subnet for outbound VNet integration (dedicated, delegated to Microsoft.Web/serverFarms). */
    integrationSubnetId: pulumi.Input<string>;
    /** Standard v2 units (1-10). */
    units?: number;
    publisherEmail: string;
    backends: AiGatewayBackend[];
    callers: AiGatewayCaller[];
    /** Token limits (catalogue/gateway-limits.ts `gatewayTokenLimits`). */
    limits: GatewayTokenLimits;
    /** Inbound private endpoint: the subnet and the privatelink.azure-api.net zone(s); none with `dnsZoneVnetId` set. */
    privateEndpoint?: PrivateEndpointSpec;
    /** Create a privatelink.azure-api.net zone linked to this VNet (stacks without hub zones). */
    dnsZoneVnetId?: pulumi.Input<string>;
    /** Workspace-based Application Insights for the token metrics goes to this Log Analytics workspace. */
    workspaceId: pulumi.Input<string>;
    /** Log request and response bodies; only where the profile allows it. Default false. */
    logBodies?: boolean;
    /**
     * First deployment only: Azure refuses publicNetworkAccess Disabled until an approved private endpoint exists
     * (Azure/azure-rest-api-specs#24947, read 2026-11-27), so the gateway is created with it Enabled; the policy still
     * refuses every request that does not come through the private endpoint.
     */
    firstDeployment?: boolean;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const keyPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Synchronous checks; every problem names the argument and what was expected. Backends must keep data where the profile says. */
export function validateAiGatewayArgs(
    args: Pick<
        AiGatewayArgs,
        | "namePrefix"
        | "uniquenessSeed"
        | "location"
        | "residency"
        | "units"
        | "backends"
        | "callers"
        | "privateEndpoint"
        | "dnsZoneVnetId"
        | "logBodies"
        | "publisherEmail"
    >,
): void {
    const problems: string[] = [];
    const r = args.residency;
    if (!/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/.test(args.namePrefix))
        problems.push(
            `namePrefix: '${args.namePrefix}' expected 3-20 lower-case letters, digits or '-', starting with a letter`,
        );
    if (args.uniquenessSeed.trim() === "") problems.push("uniquenessSeed: expected a non-empty string");
    if (!r.allowedRegions.includes(args.location))
        problems.push(
            `location: '${args.location}' is outside profile ${r.profile}'s regions: expected one of ${r.allowedRegions.join(", ")}`,
        );
    const units = args.units ?? 1;
    if (!Number.isInteger(units) || units < 1 || units > 10)
        problems.push(`units: ${units} expected 1 to 10 (Standard v2)`);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(args.publisherEmail))
        problems.push(`publisherEmail: '${args.publisherEmail}' expected an email address`);
    if (args.backends.length === 0) problems.push("backends: expected at least one account");
    const keys = new Set<string>();
    args.backends.forEach((b, i) => {
        const at = `backends[${i}]`;
        if (!keyPattern.test(b.key)) problems.push(`${at}.key: '${b.key}' expected lower-case letters, digits and '-'`);
        if (keys.has(b.key)) problems.push(`${at}.key: duplicate '${b.key}': expected unique keys`);
        keys.add(b.key);
        // Load balancing or failover must never carry prompts out of the profile's boundary.
        if (!r.allowedRegions.includes(b.location))
            problems.push(
                `${at}.location: '${b.location}' is outside profile ${r.profile}'s regions, so prompts would leave its boundary: expected one of ${r.allowedRegions.join(", ")}`,
            );
        if (b.deployments.length === 0) problems.push(`${at}.deployments: expected the account's deployments`);
        b.deployments.forEach((d, j) => {
            if (!r.allowedDeploymentSkus.includes(d.sku)) {
                const scope = (deploymentSkus as Record<string, string>)[d.sku];
                problems.push(
                    `${at}.deployments[${j}].sku: '${d.sku}' processes prompts ${scope === "global" ? "in any Azure region" : "outside the profile's boundary"}: expected one of ${r.allowedDeploymentSkus.join(", ")}`,
                );
            }
        });
        // A pool sends a request to any of its accounts: each must serve every deployment name, or calls fail at random.
        const names = (x: AiGatewayBackend) =>
            x.deployments
                .map((d) => d.name)
                .sort()
                .join(", ");
        if (i > 0 && names(b) !== names(args.backends[0]))
            problems.push(
                `${at}.deployments: serves [${names(b)}], backends[0] serves [${names(args.backends[0])}]: expected the same deployment names on every account of the pool`,
            );
        if (b.priority !== undefined && (!Number.isInteger(b.priority) || b.priority < 1 || b.priority > 100))
            problems.push(`${at}.priority: ${b.priority} expected 1 to 100`);
    });
    if (args.callers.length === 0) problems.push("callers: expected at least one caller the gateway admits");
    const callerKeys = new Set<string>();
    args.callers.forEach((c, i) => {
        if (!keyPattern.test(c.key))
            problems.push(`callers[${i}].key: '${c.key}' expected lower-case letters, digits and '-'`);
        if (callerKeys.has(c.key)) problems.push(`callers[${i}].key: duplicate '${c.key}': expected unique keys`);
        callerKeys.add(c.key);
        if (typeof c.clientId === "string" && !guid.test(c.clientId))
            problems.push(`callers[${i}].clientId: '${c.clientId}' expected a GUID`);
    });
    if (!r.publicInboundAllowed && !args.privateEndpoint)
        problems.push(
            `privateEndpoint: profile ${r.profile} forbids public inbound access: expected a private endpoint subnet`,
        );
    if (args.privateEndpoint && args.privateEndpoint.privateDnsZoneIds.length === 0 && args.dnsZoneVnetId === undefined)
        problems.push(
            `privateEndpoint.privateDnsZoneIds: expected the ${gatewayPrivateLink.zone} zone id, or dnsZoneVnetId to create one`,
        );
    if (args.logBodies && !r.bodyLoggingAllowed)
        problems.push(
            `logBodies: profile ${r.profile} keeps request and response bodies (prompts, completions, personal data) out of logs: expected false`,
        );
    if (problems.length > 0) throw new Error(`AiGateway: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
