/**
 * One secure regional Azure OpenAI landing zone, wired from a validated stack configuration: resource group,
 * private DNS, optional customer-managed key, the account with its private endpoint, content filter and model
 * deployments, access control, audit logging and cost governance. The program in `infra/` is a few lines around it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { privateDnsZones } from "../catalogue/azure";
import { RawStackConfig } from "../catalogue/stack-schema";
import { StackSettings } from "../catalogue/stack-settings";
import { validateStackConfig } from "../catalogue/stack-validation";
import { AccessControl } from "./access-control";
import { AiGateway, gatewayLogCategoryList } from "./ai-gateway";
import { AuditLogging, AuditPrivateLinkSpec } from "./audit-logging";
import { CostGovernance } from "./cost-governance";
import { ContentFilter } from "./content-filter";
import { CustomerManagedKey } from "./customer-managed-key";
import { ModelDeployments } from "./model-deployments";
import { OpenAiAccount } from "./openai-account";
import { PrivateAccess } from "./private-access";
import { attachLock, LockSpec } from "./shared";

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
 * The deletion lock every stateful resource of a production stack carries while `deletionLocks` is `enforced`. Each
 * lock depends on the children it covers (Azure applies a lock to a resource's children and extension resources), so
 * an update that suspends the locks and deletes a child deletes the lock first (docs/components.md, "Deletion locks").
 */
export const productionLock: LockSpec = {
    kind: "CanNotDelete",
    notes: "Production Azure OpenAI landing zone: deleting this loses audit evidence or keys. Remove through the platform's change process.",
};

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

/** How the audit workspace is reached privately where the profile requires it: the hub's AMPLS, or one of the stack. */
function auditPrivateLink(s: StackSettings): AuditPrivateLinkSpec | undefined {
    if (!s.resolvedProfile.monitorPrivateLinkRequired) return undefined;
    const hubScope = s.network.azureMonitorPrivateLinkScopeId;
    return hubScope
        ? { existingScopeId: hubScope }
        : { subnetId: s.network.privateEndpointSubnetId, vnetId: s.network.vnetId };
}

export class RegionalOpenAi extends pulumi.ComponentResource {
    public readonly resourceGroupName: pulumi.Output<string>;
    public readonly endpoint: pulumi.Output<string>;
    public readonly accountId: pulumi.Output<string>;
    public readonly accountName: pulumi.Output<string>;
    public readonly deploymentNames: pulumi.Output<string[]>;
    public readonly workspaceId: pulumi.Output<string>;
    public readonly appIdentityClientIds: pulumi.Output<Record<string, string>>;
    public readonly worstCaseDailySpendUsd: pulumi.Output<number>;
    /** The validated configuration with what its profile adds (retention, limits, tags): what the zone was built from. */
    public readonly settings: StackSettings;
    /** The governed gateway's endpoint (what applications call), when the stack has one. */
    public readonly gatewayUrl?: string;

    constructor(name: string, args: RegionalOpenAiArgs, opts?: pulumi.ComponentResourceOptions) {
        const { stack, subscriptionId: _subscription, tenantId: _tenant, ...config } = args;
        const settings = validateStackConfig(stack ?? pulumi.getStack(), config);
        validateRegionalOpenAiSettings(settings);
        super("azure-openai-lz:landingzone:RegionalOpenAi", name, {}, opts);
        this.settings = settings;
        const s = settings;
        const tags = s.allTags;
        const location = s.location;
        const protect = s.protect;
        const lock = protect && s.deletionLocks === "enforced" ? productionLock : undefined;
        const grantPhase = s.customerManagedKeyEnabled && s.customerManagedKeyPhase === "grant";
        const child = { parent: this };

        const rg = new resources.ResourceGroup(
            `${name}-rg`,
            {
                resourceGroupName: `rg-${s.namePrefix}-openai`,
                location,
                tags,
            },
            { ...child, protect },
        );
        const resourceGroupName = rg.name;

        const cost = new CostGovernance(
            `${name}-cost`,
            {
                resourceGroupName,
                resourceGroupId: rg.id,
                tags,
                namePrefix: s.namePrefix,
                monthlyAmount: s.monthlyBudget,
                actualThresholds: s.resolvedProfile.budget.actualThresholds,
                forecastedThresholds: s.resolvedProfile.budget.forecastedThresholds,
                contactEmails: s.budget.contactEmails,
                actionGroupId: s.budget.actionGroupId,
                startDate: s.budget.startDate,
                deployments: s.deployments,
                prices: s.prices,
                dailySpendLimitUsd: s.dailySpendLimit,
                fixedDailyCostsUsd: s.effectiveGateway?.dailyCostUsd,
            },
            child,
        );

        const audit = new AuditLogging(
            `${name}-audit`,
            {
                resourceGroupName,
                location,
                tags,
                workspaceName: `log-${s.namePrefix}-openai`,
                retention: s.retention,
                clientAddressPrefixes: s.network.clientAddressPrefixes,
                alertActionGroupIds: [cost.actionGroupId],
                privateLink: auditPrivateLink(s),
                protect,
            },
            child,
        );

        // Zones created in the stack and linked to its VNet, or the hub's zones by id.
        const dns = new PrivateAccess(
            `${name}-dns`,
            {
                resourceGroupName,
                tags,
                protect,
                vnetId: s.network.vnetId,
                hubZoneIds: s.network.privateDnsZoneIds,
                includeKeyVault: s.customerManagedKeyEnabled,
            },
            child,
        );
        const uniquenessSeed = `${pulumi.getProject()}/${s.stack}`;

        const cmk = s.customerManagedKeyEnabled
            ? new CustomerManagedKey(
                  `${name}-cmk`,
                  {
                      resourceGroupName,
                      location,
                      tags,
                      namePrefix: s.namePrefix,
                      uniquenessSeed,
                      tenantId: args.tenantId,
                      subscriptionId: args.subscriptionId,
                      privateEndpoint: {
                          subnetId: s.network.privateEndpointSubnetId,
                          privateDnsZoneIds: dns.keyVaultZoneIds ?? [],
                      },
                      diagnosticSettings: { workspaceId: audit.workspaceId },
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
                subscriptionId: args.subscriptionId,
                privateEndpoint: { subnetId: s.network.privateEndpointSubnetId, privateDnsZoneIds: dns.accountZoneIds },
                diagnosticSettings: { workspaceId: audit.workspaceId },
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
                this,
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

        const access = new AccessControl(
            `${name}-access`,
            {
                resourceGroupName,
                location,
                tags,
                subscriptionId: args.subscriptionId,
                accountId: account.accountId,
                workspaceId: audit.workspaceId,
                namePrefix: s.namePrefix,
                developers: s.access.developers,
                dataScientists: s.access.dataScientists,
                securityAuditors: s.access.securityAuditors,
                applications: s.access.applications,
                // Behind a gateway, applications reach the models only through it.
                applicationRoleOnAccount: s.effectiveGateway === undefined,
            },
            child,
        );

        const g = s.effectiveGateway;
        const gateway =
            g && s.gateway
                ? new AiGateway(
                      `${name}-gateway`,
                      {
                          resourceGroupName,
                          location,
                          tags,
                          namePrefix: s.namePrefix,
                          uniquenessSeed,
                          subscriptionId: args.subscriptionId,
                          tenantId: args.tenantId,
                          residency: {
                              profile: s.resolvedProfile.id,
                              allowedRegions: s.resolvedProfile.allowedRegions,
                              allowedDeploymentSkus: s.resolvedProfile.allowedDeploymentSkus,
                              publicInboundAllowed: g.publicInboundAllowed,
                              bodyLoggingAllowed: g.bodyLoggingAllowed,
                          },
                          integrationSubnetId: s.gateway.integrationSubnetId,
                          units: s.gateway.units,
                          publisherEmail: g.publisherEmail,
                          backends: [
                              {
                                  key: "primary",
                                  accountId: account.accountId,
                                  customSubDomainName: account.customSubDomainName,
                                  location,
                                  deployments: s.deployments,
                              },
                          ],
                          callers: g.callers.map((c) =>
                              "application" in c
                                  ? {
                                        key: c.application,
                                        clientId: access.appIdentityClientIds.apply((ids) => ids[c.application]),
                                        team: c.team,
                                    }
                                  : { key: `client-${c.clientId.toLowerCase()}`, clientId: c.clientId, team: c.team },
                          ),
                          limits: g.limits,
                          privateEndpoint: {
                              subnetId: s.network.privateEndpointSubnetId,
                              privateDnsZoneIds: s.gateway.privateDnsZoneId ? [s.gateway.privateDnsZoneId] : [],
                          },
                          dnsZoneVnetId: s.gateway.privateDnsZoneId ? undefined : s.network.vnetId,
                          workspaceId: audit.workspaceId,
                          diagnosticSettings: { workspaceId: audit.workspaceId, categories: gatewayLogCategoryList },
                          firstDeployment: s.gateway.firstDeployment,
                          // No lock: the gateway holds no data, and a lock on the service would block deleting its children
                          // (a caller's named value when an application is offboarded).
                      },
                      { ...child, dependsOn: deployments ? [deployments] : [] },
                  )
                : undefined;

        // Locks last, each depending on what it covers (see productionLock), with the names and parents a component's
        // own `lock` argument gives them.
        if (lock) {
            attachLock(account, `${name}-openai`, account.accountId, lock, [
                ...account.lockCovers,
                ...filter.lockCovers,
                ...(deployments?.deployments ?? []),
                ...access.accountRoleAssignments,
            ]);
            attachLock(audit, `${name}-audit`, audit.workspaceId, lock, [
                ...audit.lockCovers,
                ...access.workspaceRoleAssignments,
            ]);
            if (cmk) attachLock(cmk, `${name}-cmk`, cmk.vaultId, lock, cmk.lockCovers);
        }

        this.resourceGroupName = resourceGroupName;
        this.endpoint = account.endpoint;
        this.accountId = account.accountId;
        this.accountName = account.accountName;
        this.deploymentNames = pulumi.output(deployments?.deploymentNames ?? []);
        this.workspaceId = audit.workspaceId;
        this.appIdentityClientIds = access.appIdentityClientIds;
        this.worstCaseDailySpendUsd = cost.worstCaseDailySpendUsd;
        this.gatewayUrl = gateway?.gatewayUrl;
        this.registerOutputs({
            gatewayUrl: this.gatewayUrl,
            resourceGroupName: this.resourceGroupName,
            endpoint: this.endpoint,
            accountId: this.accountId,
            accountName: this.accountName,
            deploymentNames: this.deploymentNames,
            workspaceId: this.workspaceId,
            appIdentityClientIds: this.appIdentityClientIds,
            worstCaseDailySpendUsd: this.worstCaseDailySpendUsd,
        });
    }
}
