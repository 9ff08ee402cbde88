/**
 * The cross-cutting shapes every component accepts, the same way everywhere (as Azure Verified Modules do):
 * role assignments, diagnostic settings, lock, private endpoint, tags. One implementation of each lives here.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import { BuiltInRole, builtInRoles, openAiDiagnostics } from "../catalogue/azure";
import { stableGuid } from "../catalogue/naming";

export type Tags = Record<string, string>;

/** A role granted on the component's main resource. Never to a user: groups and service principals only. */
export interface RoleAssignmentSpec {
    /** Stable key naming this grant (e.g. `developers-<groupId>`); the assignment's GUID name derives from it. */
    key: string;
    principalId: pulumi.Input<string>;
    principalType: "Group" | "ServicePrincipal";
    role: BuiltInRole;
    description?: string;
}

/** Where the resource sends its logs and metrics. Retention lives on the workspace, never here. */
export interface DiagnosticSettingsSpec {
    workspaceId: pulumi.Input<string>;
    /** Log category groups; defaults to `audit` and `allLogs`. */
    categoryGroups?: string[];
    /** Log categories, instead of category groups, where a group would include logs the profile keeps out (message bodies). */
    categories?: string[];
    /** Send AllMetrics (default true). */
    metrics?: boolean;
}

export interface LockSpec {
    kind: "CanNotDelete" | "ReadOnly";
    notes?: string;
}

export interface PrivateEndpointSpec {
    subnetId: pulumi.Input<string>;
    /** Zones the endpoint registers its records in (a DNS zone group); at least one. */
    privateDnsZoneIds: pulumi.Input<string>[];
}

/** Arguments every component takes. */
export interface CommonArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Azure region of every child resource. */
    location: string;
    tags: Tags;
    roleAssignments?: RoleAssignmentSpec[];
    diagnosticSettings?: DiagnosticSettingsSpec;
    lock?: LockSpec;
    privateEndpoint?: PrivateEndpointSpec;
    /** Protect stateful children against `pulumi destroy` and replacement (production). */
    protect?: boolean;
}

/** The subscription-scoped role definition id of a built-in role. */
export function roleDefinitionIdOf(subscriptionId: pulumi.Input<string>, role: BuiltInRole): pulumi.Output<string> {
    return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles[role]}`;
}

/** Grants each role on `scope`, with names derived from the owner's name and the spec's key. */
export function assignRoles(
    owner: pulumi.Resource,
    ownerName: string,
    scope: pulumi.Input<string>,
    subscriptionId: pulumi.Input<string>,
    specs: RoleAssignmentSpec[] = [],
): authorization.RoleAssignment[] {
    const keys = new Set<string>();
    return specs.map((spec) => {
        if (keys.has(spec.key))
            throw new Error(`roleAssignments: duplicate key '${spec.key}' on ${ownerName}: expected unique keys`);
        keys.add(spec.key);
        return new authorization.RoleAssignment(
            `${ownerName}-role-${spec.key}`,
            {
                roleAssignmentName: stableGuid(`${ownerName}/${spec.key}/${spec.role}`),
                scope,
                principalId: spec.principalId,
                principalType: spec.principalType,
                roleDefinitionId: roleDefinitionIdOf(subscriptionId, spec.role),
                description: spec.description,
            },
            { parent: owner },
        );
    });
}

/** Sends the resource's logs (category groups) and metrics to a Log Analytics workspace. */
export function attachDiagnostics(
    owner: pulumi.Resource,
    ownerName: string,
    resourceUri: pulumi.Input<string>,
    spec?: DiagnosticSettingsSpec,
): monitor.DiagnosticSetting | undefined {
    if (!spec) return undefined;
    const groups = spec.categoryGroups ?? [...openAiDiagnostics.categoryGroups];
    return new monitor.DiagnosticSetting(
        `${ownerName}-diagnostics`,
        {
            name: `${ownerName}-to-law`,
            resourceUri,
            workspaceId: spec.workspaceId,
            logs: spec.categories
                ? spec.categories.map((category) => ({ category, enabled: true }))
                : groups.map((categoryGroup) => ({ categoryGroup, enabled: true })),
            metrics: spec.metrics === false ? [] : [{ category: openAiDiagnostics.metricCategory, enabled: true }],
        },
        { parent: owner },
    );
}

/**
 * A management lock on the resource; a CanNotDelete lock survives a mistaken `pulumi destroy` of another stack.
 * `covers`: the resource's children (Azure applies the lock to them too). The lock depends on them, so an update that
 * removes the lock and one of them deletes the lock first: Pulumi deletes dependents before what they depend on.
 */
export function attachLock(
    owner: pulumi.Resource,
    ownerName: string,
    scope: pulumi.Input<string>,
    spec?: LockSpec,
    covers: pulumi.Resource[] = [],
): authorization.ManagementLockByScope | undefined {
    if (!spec) return undefined;
    return new authorization.ManagementLockByScope(
        `${ownerName}-lock`,
        {
            lockName: `${ownerName}-${spec.kind === "CanNotDelete" ? "no-delete" : "read-only"}`,
            scope,
            level: spec.kind,
            notes: spec.notes ?? "Managed by the Azure OpenAI landing zone; remove through the platform, not by hand.",
        },
        { parent: owner, dependsOn: covers },
    );
}

/**
 * A private endpoint for `resourceId`'s sub-resource `groupId`, with a DNS zone group registering it in the given zones.
 * `dependsOn` lets the caller hold the endpoint back until the target has finished provisioning.
 */
export function attachPrivateEndpoint(
    owner: pulumi.Resource,
    ownerName: string,
    args: {
        resourceId: pulumi.Input<string>;
        groupId: string;
        resourceGroupName: pulumi.Input<string>;
        location: string;
        tags: Tags;
    },
    spec: PrivateEndpointSpec | undefined,
    dependsOn: pulumi.Input<pulumi.Resource>[] = [],
): { endpoint: network.PrivateEndpoint; zoneGroup: network.PrivateDnsZoneGroup } | undefined {
    if (!spec) return undefined;
    if (spec.privateDnsZoneIds.length === 0)
        throw new Error(`privateEndpoint.privateDnsZoneIds of ${ownerName}: expected at least one zone id`);
    const endpoint = new network.PrivateEndpoint(
        `${ownerName}-pe`,
        {
            privateEndpointName: `pe-${ownerName}`,
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            subnet: { id: spec.subnetId },
            privateLinkServiceConnections: [
                {
                    name: `${ownerName}-${args.groupId}`,
                    privateLinkServiceId: args.resourceId,
                    groupIds: [args.groupId],
                },
            ],
            tags: args.tags,
        },
        { parent: owner, dependsOn },
    );
    const zoneGroup = new network.PrivateDnsZoneGroup(
        `${ownerName}-pe-dns`,
        {
            privateDnsZoneGroupName: "default",
            privateEndpointName: endpoint.name,
            resourceGroupName: args.resourceGroupName,
            privateDnsZoneConfigs: spec.privateDnsZoneIds.map((privateDnsZoneId, i) => ({
                name: `zone-${i}`,
                privateDnsZoneId,
            })),
        },
        { parent: endpoint },
    );
    return { endpoint, zoneGroup };
}
