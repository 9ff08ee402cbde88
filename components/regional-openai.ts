/**
 * One secure regional Azure OpenAI landing zone, wired from a validated stack configuration: resource group,
 * private DNS, optional customer-managed key, the account with its private endpoint, content filter and model
 * deployments, access control, audit logging and cost governance. The program in `infra/` is a few lines around it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { StackSettings } from "../catalogue/stack-settings";
import { validateStackConfig } from "../catalogue/stack-validation";
import { AccessControl } from "./access-control";
import { AiGateway } from "./ai-gateway";
import { AuditLogging } from "./audit-logging";
import { CostGovernance } from "./cost-governance";
import { PrivateAccess } from "./private-access";
import { zoneAccount } from "./regional-openai-account";
import { RegionalOpenAiArgs, validateRegionalOpenAiSettings } from "./regional-openai-args";
import { lockStatefulResources, productionLock } from "./regional-openai-locks";
import { auditPrivateLink, regionalGatewayArgs, ZoneScope } from "./regional-openai-wiring";

export { validateRegionalOpenAiSettings } from "./regional-openai-args";
export type { RegionalOpenAiArgs } from "./regional-openai-args";
export { productionLock } from "./regional-openai-locks";

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

        const scope: ZoneScope = {
            resourceGroupName,
            uniquenessSeed,
            subscriptionId: args.subscriptionId,
            tenantId: args.tenantId,
            workspaceId: audit.workspaceId,
        };
        const { cmk, account, filter, deployments } = zoneAccount(this, name, s, { ...scope, dns });

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

        const gatewayArgs = regionalGatewayArgs(s, { ...scope, account, access });
        const gateway = gatewayArgs
            ? new AiGateway(`${name}-gateway`, gatewayArgs, { ...child, dependsOn: deployments ? [deployments] : [] })
            : undefined;

        // Locks last, each depending on what it covers (see productionLock).
        if (lock) lockStatefulResources(name, lock, { account, filter, deployments, access, audit, cmk });

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
