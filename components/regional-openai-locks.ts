/** The deletion locks of a production landing zone, set last, over what each stateful resource holds. */
import { AccessControl } from "./access-control";
import { AuditLogging } from "./audit-logging";
import { ContentFilter } from "./content-filter";
import { CustomerManagedKey } from "./customer-managed-key";
import { ModelDeployments } from "./model-deployments";
import { OpenAiAccount } from "./openai-account";
import { attachLock, LockSpec } from "./shared";

/**
 * The deletion lock every stateful resource of a production stack carries while `deletionLocks` is `enforced`. Each
 * lock depends on the children it covers (Azure applies a lock to a resource's children and extension resources), so
 * an update that suspends the locks and deletes a child deletes the lock first (docs/components.md, "Deletion locks").
 */
export const productionLock: LockSpec = {
    kind: "CanNotDelete",
    notes: "Production Azure OpenAI landing zone: deleting this loses audit evidence or keys. Remove through the platform's change process.",
};

/** Locks the account, the workspace and the vault, with the names and parents a component's own `lock` gives them. */
export function lockStatefulResources(
    name: string,
    lock: LockSpec,
    zone: {
        account: OpenAiAccount;
        filter: ContentFilter;
        deployments?: ModelDeployments;
        access: AccessControl;
        audit: AuditLogging;
        cmk?: CustomerManagedKey;
    },
): void {
    const { account, filter, deployments, access, audit, cmk } = zone;
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
