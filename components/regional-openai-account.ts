/**
 * The landing zone's account and what it serves: the customer-managed key where the profile requires one, the account
 * behind its private endpoint, the content filter, and the model deployments bound to it.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackSettings } from "../catalogue/stack-settings";
import { ContentFilter } from "./content-filter";
import { CustomerManagedKey } from "./customer-managed-key";
import { ModelDeployments } from "./model-deployments";
import { OpenAiAccount } from "./openai-account";
import { PrivateAccess } from "./private-access";
import { ZoneScope } from "./regional-openai-wiring";

export interface ZoneAccount {
    cmk?: CustomerManagedKey;
    account: OpenAiAccount;
    filter: ContentFilter;
    /** None while a new customer-managed key is only granted (`customerManagedKey.phase: grant`). */
    deployments?: ModelDeployments;
}

export function zoneAccount(
    owner: pulumi.ComponentResource,
    name: string,
    s: StackSettings,
    zone: ZoneScope & { dns: PrivateAccess },
): ZoneAccount {
    const { resourceGroupName, uniquenessSeed, dns, workspaceId } = zone;
    const { location, protect } = s;
    const tags = s.allTags;
    const grantPhase = s.customerManagedKeyEnabled && s.customerManagedKeyPhase === "grant";
    const child = { parent: owner };

    const cmk = s.customerManagedKeyEnabled
        ? new CustomerManagedKey(
              `${name}-cmk`,
              {
                  resourceGroupName,
                  location,
                  tags,
                  namePrefix: s.namePrefix,
                  uniquenessSeed,
                  tenantId: zone.tenantId,
                  subscriptionId: zone.subscriptionId,
                  privateEndpoint: {
                      subnetId: s.network.privateEndpointSubnetId,
                      privateDnsZoneIds: dns.keyVaultZoneIds ?? [],
                  },
                  diagnosticSettings: { workspaceId },
                  protect,
              },
              child,
          )
        : undefined;

    const account = new OpenAiAccount(
        `${name}-openai`,
        {
            resourceGroupName,
            location,
            tags,
            namePrefix: s.namePrefix,
            uniquenessSeed,
            subscriptionId: zone.subscriptionId,
            privateEndpoint: { subnetId: s.network.privateEndpointSubnetId, privateDnsZoneIds: dns.accountZoneIds },
            diagnosticSettings: { workspaceId },
            allowedFqdns: s.network.allowedOutboundFqdns,
            encryption: cmk?.accountEncryption,
            encryptionPhase: cmk ? s.customerManagedKeyPhase : undefined,
            protect,
        },
        child,
    );

    // The filter names the account (so it waits for it); deployments are bound to it and created one at a time.
    const filter = new ContentFilter(
        `${name}-filter`,
        {
            resourceGroupName,
            tags,
            accountName: account.accountName,
            // validateStackConfig resolves the list; the profile's is the floor either way.
            dlpPatterns: s.contentFilter.dlpPatterns ?? s.resolvedProfile.dlpPatterns,
            blockingThreshold: s.contentFilter.blockingThreshold,
        },
        child,
    );
    // While the key is only granted (a new CMK stack's first update), the account runs on Microsoft-managed keys: no
    // model is deployed, so no prompt reaches it before the next update turns encryption on.
    if (grantPhase) {
        pulumi.log.warn(
            `${name}: customerManagedKey.phase is grant: the account and its key grant are created without model deployments; set the phase to encrypt (or remove it) for the next update, which encrypts the account and creates the deployments`,
            owner,
        );
    }
    const deployments = grantPhase
        ? undefined
        : new ModelDeployments(
              `${name}-models`,
              {
                  resourceGroupName,
                  tags,
                  accountName: account.accountName,
                  deployments: s.deployments,
                  contentFilter: filter.binding,
              },
              child,
          );
    return { cmk, account, filter, deployments };
}
