/**
 * Deletion and replacement safety. A change to a name, region, kind or resource group of a stateful resource means
 * replacement (a new endpoint, lost deployments, lost audit logs), so routine changes must never touch them; production
 * stacks protect and lock what holds state; renaming the landing zone with an alias maps every child to its old URN.
 */
import { types } from "../../catalogue/azure";
import { getProfile } from "../../catalogue/profiles";
import { rawStackConfig, stackNames } from "../support/stacks";
import type { PlannedResource, ProgramRun } from "../../plan/mock-runtime";
import { assertBuilt, inWorkerRealm, requireDist, runStack } from "../support/dist";

type Raw = Record<string, unknown>;
type Obj = Record<string, unknown>;

/** Resources whose replacement loses data or an endpoint callers depend on. */
const stateful: string[] = [
    types.resourceGroup,
    types.account,
    types.workspace,
    types.workspaceTable,
    types.vault,
    types.vaultKey,
];
/**
 * Deployments are not `protect`ed (retiring a model is a routine config change) but sit under the account's
 * CanNotDelete lock, which Azure applies to child resources. Content-filter configuration holds no data (code
 * recreates it) but deployments reference it by name. Their names must hold like the rest.
 */
const nameStable: string[] = [...stateful, types.deployment, types.raiPolicy, types.raiBlocklist];
/** Of those, what a production stack must also lock against deletion. */
const locked: string[] = [types.account, types.workspace, types.vault];

/** The inputs azure-native replaces a resource for: its names, region, kind, and the account's subdomain (its endpoint). */
function replacementKeys(r: PlannedResource): Obj {
    const keys = Object.entries(r.inputs).filter(([k]) => /Name$/.test(k) || k === "location" || k === "kind");
    const sub = (r.inputs.properties as Obj | undefined)?.customSubDomainName;
    return Object.fromEntries([...keys, ...(sub === undefined ? [] : [["customSubDomainName", sub]])]);
}

const routineChanges: { change: string; apply: (raw: Raw) => void }[] = [
    {
        change: "tags changed and added",
        apply: (r) => {
            r.tags = { ...(r.tags as Obj), owner: "new-owner@contoso.com", project: "atlas" };
        },
    },
    {
        change: "budget amount and contacts changed",
        apply: (r) => {
            r.budget = { ...(r.budget as Obj), monthlyAmount: 1234, contactEmails: ["someone-else@contoso.com"] };
        },
    },
    {
        change: "role members added and removed",
        apply: (r) => {
            const access = r.access as Record<string, Obj>;
            access.developers = { groupObjectIds: ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"] };
            access.dataScientists = { groupObjectIds: [] };
        },
    },
    {
        change: "deployment capacity lowered",
        apply: (r) => {
            const d = (r.deployments as Obj[])[0];
            d.capacity = Math.max(1, Math.floor(Number(d.capacity) / 2));
        },
    },
    {
        change: "application added",
        apply: (r) => {
            (r.access as Obj).applications = [
                ...(((r.access as Obj).applications as Obj[]) ?? []),
                { name: "new-app" },
            ];
        },
    },
];

describe.each(stackNames())("stack %s", (stack) => {
    let base: ProgramRun;
    let changed: ProgramRun;
    beforeAll(async () => {
        assertBuilt();
        base = await runStack(stack, rawStackConfig(stack), false);
        // All routine changes at once: one run per stack keeps the suite fast, and any change that renamed a
        // stateful resource shows here (each change alone is a subset of this one).
        const raw = structuredClone(rawStackConfig(stack));
        for (const c of routineChanges) c.apply(raw);
        changed = await runStack(stack, raw, false);
    });

    it("has stateful resources to protect", () => {
        expect(base.resources.filter((r) => r.type === types.account)).toHaveLength(1);
        expect(base.resources.filter((r) => r.type === types.workspace)).toHaveLength(1);
    });

    it(`keeps the URN, name, region and kind of every stateful resource when ${routineChanges.map((c) => c.change).join(", ")}`, () => {
        const after = new Map(changed.resources.map((r) => [r.urn, r]));
        const statefulBefore = base.resources.filter((r) => nameStable.includes(r.type));
        expect(statefulBefore.length).toBeGreaterThanOrEqual(4);
        for (const r of statefulBefore) {
            const twin = after.get(r.urn);
            expect({ urn: r.urn, present: twin !== undefined }).toEqual({ urn: r.urn, present: true });
            expect(replacementKeys(twin!)).toEqual(replacementKeys(r));
        }
        // The changes did take effect (the test would prove nothing otherwise).
        expect(changed.resources.find((r) => r.type === types.budget)?.inputs.amount).toBe(1234);
        expect(changed.resources.filter((r) => r.type === types.userAssignedIdentity).length).toBeGreaterThan(
            base.resources.filter((r) => r.type === types.userAssignedIdentity).length,
        );
    });

    it("protects every stateful resource and locks the account, workspace and vault in production only", () => {
        const prod = rawStackConfig(stack).environment === "prod";
        const statefulResources = base.resources.filter((r) => stateful.includes(r.type));
        for (const r of statefulResources)
            expect({ urn: r.urn, protect: r.protect }).toEqual({ urn: r.urn, protect: prod });
        const lockScopes = base.resources.filter((r) => r.type === types.managementLock).map((l) => l.inputs);
        for (const r of base.resources.filter((x) => locked.includes(x.type))) {
            const lock = lockScopes.find((l) => l.scope === r.id);
            if (prod) expect(lock).toMatchObject({ level: "CanNotDelete" });
            else expect(lock).toBeUndefined();
        }
    });
});

describe("renaming the landing zone", () => {
    it("maps every child to its old URN through the component's alias (names derive from the parent's)", async () => {
        assertBuilt();
        // A stack whose profile requires the customer-managed key has the most children to carry over.
        const stack =
            stackNames().find((s) => getProfile(String(rawStackConfig(s).profile)).customerManagedKeyRequired) ??
            stackNames()[0];
        const raw = rawStackConfig(stack);
        const { RegionalOpenAi } = requireDist<{ RegionalOpenAi: new (n: string, a: object, o?: object) => unknown }>(
            "components/regional-openai.js",
        );
        const { validateStackConfig } = requireDist<{
            validateStackConfig: (s: string, r: unknown) => { namePrefix: string };
        }>("infra/config.js");
        // The built component checks arrays with `instanceof`: what it is handed is made in the worker's realm.
        const settings = validateStackConfig(stack, inWorkerRealm(raw));
        const build = (name: string, opts?: object) => () => {
            new RegionalOpenAi(
                name,
                {
                    ...inWorkerRealm(raw),
                    stack,
                    subscriptionId: "00000000-0000-4000-8000-000000000001",
                    tenantId: "00000000-0000-4000-8000-000000000002",
                },
                opts,
            );
            return {};
        };
        const original = await runStack(stack, raw, false, build(settings.namePrefix));
        const renamed = await runStack(
            stack,
            raw,
            false,
            build("atlas", inWorkerRealm({ aliases: [{ name: settings.namePrefix }] })),
        );
        // The engine's inherited-alias rule (the SDK's `inheritedChildAlias`): a child of an aliased parent is aliased
        // under the parent's old URN, and when its name starts with the parent's name that prefix is renamed too.
        const byUrn = new Map(renamed.resources.map((r) => [r.urn, r]));
        const oldName = (r: PlannedResource): string => {
            if (r.type === "azure-openai-lz:landingzone:RegionalOpenAi") return settings.namePrefix;
            const parent = r.parent ? byUrn.get(r.parent) : undefined;
            if (!parent || parent.type === "pulumi:pulumi:Stack") return r.name;
            return r.name.startsWith(parent.name) ? oldName(parent) + r.name.slice(parent.name.length) : r.name;
        };
        const originalUrns = new Set(original.resources.map((r) => r.urn));
        const orphaned = renamed.resources
            .map((r) => r.urn.slice(0, r.urn.length - r.name.length) + oldName(r))
            .filter((urn) => !originalUrns.has(urn));
        // Any URN here would be created anew and its old twin deleted: a replacement of a landing-zone resource.
        expect(orphaned).toEqual([]);
        expect(renamed.resources).toHaveLength(original.resources.length);
    });
});
