/**
 * Changes after the first deployment of a production stack, as successive runs of the real program (built) under
 * mocks: removing a model deployment with the deletion locks suspended for one update, and a new customer-managed-key
 * stack's two-phase rollout. The stack is picked from the committed stacks by what it has, never by name.
 */
import type { PlannedResource, ProgramRun } from "../../plan/mock-runtime";
import { types } from "../../catalogue/azure";
import { validateStackConfig } from "../../infra/config";
import { rawStackConfig, stackNames } from "../support/stacks";
import { ofType, one } from "../support/resources";
import { assertBuilt, runStack } from "../support/dist";

beforeAll(() => assertBuilt());

/** A production stack with a customer-managed key and more than one deployment. */
const stack = stackNames().find((name) => {
    const s = validateStackConfig(name, rawStackConfig(name));
    return s.protect && s.customerManagedKeyEnabled && s.deployments.length > 1;
});
const raw = () => structuredClone(rawStackConfig(stack ?? ""));

/**
 * The order in which Pulumi deletes what an update condemns: a resource is deleted only once every condemned resource
 * that depends on it (by dependency, property dependency or parentage, in the previous state) is gone. This is the
 * engine's ScheduleDeletes (pulumi/pulumi pkg/resource/deploy/step_generator.go: "we must process deletes in reverse
 * (so we don't delete resources upon which other resources depend)"), written out as batches.
 */
function deleteBatches(previous: PlannedResource[], condemned: Set<string>): string[][] {
    const dependsOn = new Map(
        previous.map((r) => [
            r.urn,
            new Set([
                ...r.dependencies,
                ...Object.values(r.propertyDependencies).flat(),
                ...(r.parent ? [r.parent] : []),
            ]),
        ]),
    );
    const left = new Set(condemned);
    const batches: string[][] = [];
    while (left.size > 0) {
        const free = [...left].filter(
            (urn) => ![...left].some((other) => other !== urn && dependsOn.get(other)?.has(urn)),
        );
        if (free.length === 0) throw new Error(`dependency cycle among ${[...left].join(", ")}`);
        free.forEach((urn) => left.delete(urn));
        batches.push(free);
    }
    return batches;
}

const batchOf = (batches: string[][], urn: string) => batches.findIndex((b) => b.includes(urn));
const lockOn = (r: ProgramRun, target: PlannedResource) => {
    const found = ofType(r, types.managementLock).filter((l) => l.inputs.scope === target.id);
    expect(found).toHaveLength(1);
    return found[0];
};

describe("removing a deployment from a production stack", () => {
    let before: ProgramRun;
    let suspended: ProgramRun;
    let restored: ProgramRun;
    let removed: PlannedResource;
    beforeAll(async () => {
        expect(stack).toBeDefined();
        before = await runStack(stack!, raw(), false);
        const fewer = raw();
        const deployments = fewer.deployments as { name: string }[];
        const dropped = deployments.splice(1, 1)[0];
        removed = ofType(before, types.deployment).find((d) => d.inputs.deploymentName === dropped.name)!;
        suspended = await runStack(stack!, { ...fewer, deletionLocks: "suspended" }, false);
        restored = await runStack(stack!, fewer, false);
    });

    it("locks every child of the account and the workspace, each lock depending on them", () => {
        const accountLock = lockOn(before, one(before, types.account));
        const account = one(before, types.account);
        const childrenOfAccount = [
            ...ofType(before, types.deployment),
            ...ofType(before, types.raiPolicy),
            ...ofType(before, types.raiBlocklist),
            ...ofType(before, types.raiBlocklistItem),
            ...[...ofType(before, types.diagnosticSetting), ...ofType(before, types.roleAssignment)].filter(
                (x) => x.inputs.resourceUri === account.id || x.inputs.scope === account.id,
            ),
        ];
        expect(childrenOfAccount.length).toBeGreaterThan(5);
        expect(accountLock.dependencies).toEqual(expect.arrayContaining(childrenOfAccount.map((c) => c.urn)));
        const workspace = one(before, types.workspace);
        const childrenOfWorkspace = [
            ...ofType(before, types.workspaceTable),
            ...ofType(before, types.savedSearch),
            ...ofType(before, types.roleAssignment).filter((x) => x.inputs.scope === workspace.id),
        ];
        expect(lockOn(before, workspace).dependencies).toEqual(
            expect.arrayContaining(childrenOfWorkspace.map((c) => c.urn)),
        );
        const vault = one(before, types.vault);
        expect(lockOn(before, vault).dependencies).toContain(one(before, types.vaultKey).urn);
    });

    it("with deletionLocks suspended, deletes the locks before the deployment and keeps protect on the stateful resources", () => {
        const kept = new Set(suspended.resources.map((r) => r.urn));
        const condemned = new Set(before.resources.filter((r) => !kept.has(r.urn)).map((r) => r.urn));
        const locks = ofType(before, types.managementLock).map((l) => l.urn);
        expect([...condemned].sort()).toEqual([...locks, removed.urn].sort());
        const batches = deleteBatches(before.resources, condemned);
        // The account's lock goes in an earlier batch than the deployment it covers: Azure never sees the delete as locked.
        expect(batchOf(batches, lockOn(before, one(before, types.account)).urn)).toBeLessThan(
            batchOf(batches, removed.urn),
        );
        for (const type of [
            types.account,
            types.workspace,
            types.vault,
            types.vaultKey,
            types.vaultAccessPolicy,
            types.resourceGroup,
        ]) {
            expect({ type, protect: one(suspended, type).protect }).toEqual({ type, protect: true });
        }
    });

    it("without the suspension, the same removal would meet the lock (the update the pipeline avoids)", () => {
        const kept = new Set(restored.resources.map((r) => r.urn));
        const condemned = before.resources.filter((r) => !kept.has(r.urn)).map((r) => r.urn);
        // Only the deployment is deleted while the account's CanNotDelete lock stays: Azure refuses it ("ScopeLocked").
        expect(condemned).toEqual([removed.urn]);
        expect(ofType(restored, types.managementLock).map((l) => l.inputs.level)).toEqual([
            "CanNotDelete",
            "CanNotDelete",
            "CanNotDelete",
        ]);
    });

    it("the next update with the locks enforced recreates the same locks", () => {
        expect(
            ofType(restored, types.managementLock)
                .map((l) => l.urn)
                .sort(),
        ).toEqual(
            ofType(before, types.managementLock)
                .map((l) => l.urn)
                .sort(),
        );
        expect(ofType(restored, types.deployment).map((d) => d.urn)).not.toContain(removed.urn);
    });
});

describe("a new stack's customer-managed key, in two updates", () => {
    let granting: ProgramRun;
    let encrypting: ProgramRun;
    beforeAll(async () => {
        granting = await runStack(stack!, { ...raw(), customerManagedKey: { phase: "grant" } }, false);
        encrypting = await runStack(stack!, raw(), false);
    });

    it("first creates the account with its system identity and the identity's grant on the key, and no deployment", () => {
        const account = one(granting, types.account);
        expect(account.inputs.identity).toEqual({ type: "SystemAssigned" });
        expect(account.inputs.properties).not.toHaveProperty("encryption");
        expect(ofType(granting, types.deployment)).toEqual([]);
        const grant = one(granting, types.vaultAccessPolicy);
        expect(grant.propertyDependencies.policy).toContain(account.urn);
        expect(
            (one(granting, types.vault).inputs.properties as { enableRbacAuthorization: boolean })
                .enableRbacAuthorization,
        ).toBe(false);
    });

    it("then encrypts with the same grant and creates the deployments; nothing of the first update is deleted", () => {
        const account = one(encrypting, types.account);
        expect((account.inputs.properties as { encryption: { keySource: string } }).encryption.keySource).toBe(
            "Microsoft.KeyVault",
        );
        expect(one(encrypting, types.vaultAccessPolicy).urn).toBe(one(granting, types.vaultAccessPolicy).urn);
        const next = new Set(encrypting.resources.map((r) => r.urn));
        expect(granting.resources.filter((r) => !next.has(r.urn)).map((r) => r.type)).toEqual([]);
        expect(ofType(encrypting, types.deployment).length).toBe((raw().deployments as unknown[]).length);
    });
});
