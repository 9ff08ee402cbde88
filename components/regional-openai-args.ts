/** The landing zone's arguments, and the checks of the wiring that the stack validator cannot know about. */
import * as pulumi from "@pulumi/pulumi";
import { privateDnsZones } from "../catalogue/azure";
import { RawStackConfig } from "../catalogue/stack-schema";
import { StackSettings } from "../catalogue/stack-settings";

/**
 * The landing zone's arguments: the configuration a stack file holds, key for key (each documented in
 * catalogue/stack-schema.ts: profile, environment, location, namePrefix, network, deployments, access, budget,
 * contentFilter, logging, customerManagedKey, gateway, tags, prices, deletionLocks), validated against its compliance
 * profile before anything registers (every problem at once, by key path), and where it deploys.
 */
export interface RegionalOpenAiArgs extends RawStackConfig {
    /** The stack the zone belongs to, as errors name it (default: the running stack, `pulumi.getStack()`). */
    stack?: string;
    /** Subscription the stack deploys into (`authorization.getClientConfigOutput().subscriptionId`). */
    subscriptionId: pulumi.Input<string>;
    /** Entra ID tenant of that subscription; the Key Vault of a customer-managed key trusts it. */
    tenantId: pulumi.Input<string>;
}

/**
 * Checks what the stack validator cannot know about the wiring; throws naming the config key. Runs before the
 * component registers anything.
 */
export function validateRegionalOpenAiSettings(s: StackSettings): void {
    const hub = s.network.privateDnsZoneIds;
    if (s.customerManagedKeyEnabled && hub && !hub.keyVault) {
        throw new Error(
            `RegionalOpenAi: network.privateDnsZoneIds.keyVault: stack '${s.stack}' uses hub DNS zones and a customer-managed key: expected the hub's ${privateDnsZones.keyVault} zone id, so the Key Vault is reached privately`,
        );
    }
    if (s.resolvedProfile.monitorPrivateLinkRequired && hub && !s.network.azureMonitorPrivateLinkScopeId) {
        throw new Error(
            `RegionalOpenAi: network.azureMonitorPrivateLinkScopeId: stack '${s.stack}' uses hub DNS zones and profile ${s.resolvedProfile.id} requires private access to the audit workspace: expected the hub's Azure Monitor Private Link Scope id (one AMPLS per DNS)`,
        );
    }
}
