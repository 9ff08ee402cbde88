/**
 * Least-privilege access to an Azure OpenAI account for the personas of the design, granted to Entra ID groups
 * (never to individual users) and to one user-assigned managed identity per application.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { BuiltInRole } from "../catalogue/azure";
import { assignRoles, CommonArgs, RoleAssignmentSpec } from "./shared";

/** The Entra ID groups that make up one persona. */
export interface PersonaGroups {
    /** Group object ids (GUIDs). */
    groupObjectIds?: string[];
    /** Group display names, looked up with azuread at deploy time (security-enabled groups only; a name must be unique in the tenant). */
    groupDisplayNames?: string[];
}

/** The personas of the design and the role each one gets on the account. */
export const personaRoles = {
    /** Call the models, nothing else. */
    developers: "cognitiveServicesOpenAiUser",
    /** Deploy and manage models. */
    dataScientists: "cognitiveServicesOpenAiContributor",
    /** Read-only audit of the account (and Log Analytics Reader on the workspace). */
    securityAuditors: "reader",
} as const satisfies Record<string, BuiltInRole>;

export type Persona = keyof typeof personaRoles;
export const personaNames = Object.keys(personaRoles) as Persona[];

/** The role auditors get on the audit workspace, so they can query the logs they are there to audit. */
export const auditorWorkspaceRole: BuiltInRole = "logAnalyticsReader";
/** The role every application identity gets on the account. */
export const applicationRole: BuiltInRole = "cognitiveServicesOpenAiUser";

export interface AccessControlArgs extends Pick<CommonArgs, "resourceGroupName" | "location" | "tags"> {
    /** Subscription of the account: role definition ids are subscription-scoped. */
    subscriptionId: pulumi.Input<string>;
    /** The account every persona and application is granted on. */
    accountId: pulumi.Input<string>;
    /** The audit workspace; required when there are security auditors (they get Log Analytics Reader there). */
    workspaceId?: pulumi.Input<string>;
    /** Prefix of the application identities' names: `id-<namePrefix>-<application>`. */
    namePrefix: string;
    developers?: PersonaGroups;
    dataScientists?: PersonaGroups;
    securityAuditors?: PersonaGroups;
    /** Applications that call the models; each gets a user-assigned managed identity with OpenAI User. */
    applications?: { name: string }[];
    /**
     * Grant the application identities OpenAI User on the account (default true). False when a governed gateway fronts
     * the account: applications then reach the models only through it, so none can bypass its limits.
     */
    applicationRoleOnAccount?: boolean;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const applicationNamePattern = /^[a-z][a-z0-9-]{1,30}$/;

/** A resource-name-safe, stable key segment from a group id or display name. */
export function keySegment(value: string): string {
    const slug = value
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
    if (!slug) throw new Error(`'${value}' gives an empty key: expected letters or digits`);
    return slug;
}

/** Synchronous checks of the arguments; every problem names the argument and what was expected. */
export function validateAccessControlArgs(
    args: Pick<AccessControlArgs, Persona | "applications" | "workspaceId">,
): void {
    const problems: string[] = [];
    for (const persona of personaNames) {
        const groups = args[persona] ?? {};
        (groups.groupObjectIds ?? []).forEach((id, i) => {
            if (!guidPattern.test(id))
                problems.push(`${persona}.groupObjectIds[${i}]: '${id}' is not an object id: expected a GUID`);
        });
        (groups.groupDisplayNames ?? []).forEach((name, i) => {
            if (name.trim() === "")
                problems.push(`${persona}.groupDisplayNames[${i}]: expected a non-empty group display name`);
            // A UPN means someone is trying to grant a person: roles go to groups only.
            else if (name.includes("@"))
                problems.push(
                    `${persona}.groupDisplayNames[${i}]: '${name}' looks like a user principal name: expected an Entra ID group display name`,
                );
        });
        const seen = new Set<string>();
        for (const entry of [...(groups.groupObjectIds ?? []), ...(groups.groupDisplayNames ?? [])]) {
            if (entry.trim() === "") continue;
            const key = keySegment(entry);
            if (seen.has(key))
                problems.push(
                    `${persona}: '${entry}' is listed twice (or collides with another entry once normalised): expected each group once`,
                );
            seen.add(key);
        }
    }
    const auditors = args.securityAuditors ?? {};
    if (
        (auditors.groupObjectIds?.length ?? 0) + (auditors.groupDisplayNames?.length ?? 0) > 0 &&
        args.workspaceId === undefined
    ) {
        problems.push(
            "workspaceId: security auditors are granted Log Analytics Reader on the audit workspace: expected the workspace id",
        );
    }
    const apps = new Set<string>();
    (args.applications ?? []).forEach((app, i) => {
        if (!applicationNamePattern.test(app.name))
            problems.push(
                `applications[${i}].name: '${app.name}' expected 2-31 lower-case letters, digits or '-', starting with a letter`,
            );
        if (apps.has(app.name))
            problems.push(`applications[${i}].name: duplicate application '${app.name}': expected unique names`);
        apps.add(app.name);
    });
    if (problems.length > 0) throw new Error(`AccessControl: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

/** A group to grant, with the stable key its assignment name derives from. */
export interface ResolvedGroup {
    key: string;
    principalId: pulumi.Input<string>;
    label: string;
}

/**
 * The role assignments of the personas, split by scope. Keys come from persona and group (id or display name),
 * never from list positions, so reordering the config never renames or replaces an assignment.
 */
export function personaRoleAssignments(groups: Record<Persona, ResolvedGroup[]>): {
    account: RoleAssignmentSpec[];
    workspace: RoleAssignmentSpec[];
} {
    const account: RoleAssignmentSpec[] = [];
    const workspace: RoleAssignmentSpec[] = [];
    for (const persona of personaNames) {
        for (const group of groups[persona]) {
            const key = `${persona}-${group.key}`;
            account.push({
                key,
                principalId: group.principalId,
                principalType: "Group",
                role: personaRoles[persona],
                description: `${persona} (${group.label})`,
            });
            if (persona === "securityAuditors") {
                workspace.push({
                    key: `${key}-logs`,
                    principalId: group.principalId,
                    principalType: "Group",
                    role: auditorWorkspaceRole,
                    description: `${persona} (${group.label}): read the audit logs`,
                });
            }
        }
    }
    return { account, workspace };
}

export class AccessControl extends pulumi.ComponentResource {
    /** Client id of each application's identity, by application name: what `ManagedIdentityCredential({ clientId })` needs. */
    public readonly appIdentityClientIds: pulumi.Output<Record<string, string>>;
    /** Principal (object) id of each application's identity, by application name. */
    public readonly appIdentityPrincipalIds: pulumi.Output<Record<string, string>>;
    /** Resource id of each application's identity, by application name (to attach it to an App Service, AKS, ...). */
    public readonly appIdentityIds: pulumi.Output<Record<string, string>>;
    /** Ids of every role assignment this component made. */
    public readonly roleAssignmentIds: pulumi.Output<string[]>;
    /** The assignments scoped to the account and to the workspace (a lock on either also covers them). */
    public readonly accountRoleAssignments: authorization.RoleAssignment[];
    public readonly workspaceRoleAssignments: authorization.RoleAssignment[];

    constructor(name: string, args: AccessControlArgs, opts?: pulumi.ComponentResourceOptions) {
        super("azure-openai-lz:access:AccessControl", name, {}, opts);
        validateAccessControlArgs(args);

        const resolve = (persona: Persona): ResolvedGroup[] => {
            const groups = args[persona] ?? {};
            const byId = (groups.groupObjectIds ?? []).map((id) => ({
                key: keySegment(id),
                principalId: id,
                label: `group ${id}`,
            }));
            const byName = (groups.groupDisplayNames ?? []).map((displayName) => ({
                key: keySegment(displayName),
                // securityEnabled: a mail-only distribution list cannot hold Azure roles meaningfully.
                principalId: azuread.getGroupOutput({ displayName, securityEnabled: true }, { parent: this }).objectId,
                label: `group '${displayName}'`,
            }));
            return [...byId, ...byName];
        };
        const specs = personaRoleAssignments({
            developers: resolve("developers"),
            dataScientists: resolve("dataScientists"),
            securityAuditors: resolve("securityAuditors"),
        });

        const identities = (args.applications ?? []).map((app) => ({
            app: app.name,
            identity: new managedidentity.UserAssignedIdentity(
                `${name}-app-${app.name}`,
                {
                    resourceName: `id-${args.namePrefix}-${app.name}`,
                    resourceGroupName: args.resourceGroupName,
                    location: args.location,
                    tags: args.tags,
                },
                { parent: this },
            ),
        }));
        const appSpecs: RoleAssignmentSpec[] =
            args.applicationRoleOnAccount === false
                ? []
                : identities.map(({ app, identity }) => ({
                      key: `app-${app}`,
                      principalId: identity.principalId,
                      principalType: "ServicePrincipal",
                      role: applicationRole,
                      description: `application ${app} (user-assigned managed identity)`,
                  }));

        this.accountRoleAssignments = assignRoles(this, name, args.accountId, args.subscriptionId, [
            ...specs.account,
            ...appSpecs,
        ]);
        this.workspaceRoleAssignments =
            args.workspaceId === undefined
                ? []
                : assignRoles(this, name, args.workspaceId, args.subscriptionId, specs.workspace);
        const assignments = [...this.accountRoleAssignments, ...this.workspaceRoleAssignments];

        const byApp = (pick: (i: managedidentity.UserAssignedIdentity) => pulumi.Output<string>) =>
            pulumi
                .all(identities.map(({ app, identity }) => pick(identity).apply((v) => [app, v] as const)))
                .apply((pairs) => Object.fromEntries(pairs));
        this.appIdentityClientIds = byApp((i) => i.clientId);
        this.appIdentityPrincipalIds = byApp((i) => i.principalId);
        this.appIdentityIds = byApp((i) => i.id);
        this.roleAssignmentIds = pulumi.all(assignments.map((a) => a.id));
        this.registerOutputs({
            appIdentityClientIds: this.appIdentityClientIds,
            appIdentityPrincipalIds: this.appIdentityPrincipalIds,
            appIdentityIds: this.appIdentityIds,
            roleAssignmentIds: this.roleAssignmentIds,
        });
    }
}
