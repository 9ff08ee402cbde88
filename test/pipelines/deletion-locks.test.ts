import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { lockLiftPlan, DAY2_DELETIONS } from "../../.github/scripts/deletion-locks";
import { armTypeOf, isUnder, sameId } from "../../.github/scripts/arm-id";
import { parse } from "yaml";
import { deletionLockModes } from "../../catalogue/stack-schema";
import { validateStackConfig } from "../../infra/config";
import { repoRoot } from "./helpers";

/** A `pulumi preview --json --show-sames` digest of eu-prod that removes one model deployment (fixtures/README.md). */
const fixture = () =>
    JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "preview-delete-deployment.json"), "utf8"));
type Step = {
    op: string;
    urn: string;
    oldState?: { urn: string; id?: string; type: string; protect?: boolean; inputs?: Record<string, unknown> };
    newState?: unknown;
};
const stepOf = (doc: { steps: Step[] }, type: string, name?: string) =>
    doc.steps.find(
        (s) =>
            (s.oldState ?? (s.newState as Step["oldState"]))?.type === type && (!name || s.urn.endsWith(`::${name}`)),
    )!;

describe("ARM ids", () => {
    it("name their resource type, including nested and extension resources", () => {
        const acct = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a";
        expect(armTypeOf(acct)).toBe("Microsoft.CognitiveServices/accounts");
        expect(armTypeOf(`${acct}/raiBlocklists/b/raiBlocklistItems/i`)).toBe(
            "Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems",
        );
        expect(armTypeOf(`${acct}/providers/Microsoft.Insights/diagnosticSettings/d`)).toBe(
            "Microsoft.Insights/diagnosticSettings",
        );
        expect(armTypeOf("/subscriptions/s/resourceGroups/rg")).toBe(
            "Microsoft.Resources/subscriptions/resourceGroups",
        );
        expect(() => armTypeOf("rg/accounts/a")).toThrow("not an Azure resource id");
        expect(() => armTypeOf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites")).toThrow(
            "incomplete provider path",
        );
    });

    it("compare without case and tell a child from a sibling sharing a prefix", () => {
        const acct = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a";
        expect(isUnder(`${acct}/deployments/d`, acct.toUpperCase())).toBe(true);
        expect(isUnder(`${acct}-2/deployments/d`, acct)).toBe(false);
        expect(isUnder(acct, acct)).toBe(false);
        expect(sameId(`${acct}/`, acct.toLowerCase())).toBe(true);
    });
});

describe("the decision to lift deletion locks", () => {
    it("lifts them when a deployment under the locked account is deleted, naming the lock's scope", () => {
        const plan = lockLiftPlan(fixture());
        expect(plan.locks.map((l) => l.level)).toEqual(["CanNotDelete", "CanNotDelete"]);
        expect(plan.refused).toEqual([]);
        expect(plan.lift).toBe(true);
        expect(plan.lockedDeletions).toEqual([
            expect.objectContaining({
                op: "delete",
                armType: "Microsoft.CognitiveServices/accounts/deployments",
                lockScopes: [expect.stringMatching(/\/accounts\/contoso-weu-openai$/)],
            }),
        ]);
    });

    it("keeps them when nothing under a lock is deleted (an update and a deletion outside the locked scopes)", () => {
        const doc = fixture();
        const gone = stepOf(doc, "azure-native:cognitiveservices:Deployment", "eu-prod-chat-gpt4o-mini");
        gone.oldState!.id =
            "/subscriptions/3f2a1c9e-7b4d-4e8a-9c61-2d5e8f0a4b17/resourceGroups/rg-contoso-weu-openai/providers/Microsoft.Insights/actionGroups/ag";
        const plan = lockLiftPlan(doc);
        expect(plan.lift).toBe(false);
        expect(plan.lockedDeletions).toEqual([]);
        expect(plan.locks).toHaveLength(2);
    });

    it("keeps them on a stack with no locks (non-production)", () => {
        const doc = fixture();
        doc.steps = doc.steps.filter(
            (s: Step) => s.oldState?.type !== "azure-native:authorization:ManagementLockByScope",
        );
        expect(lockLiftPlan(doc)).toMatchObject({ lift: false, locks: [], lockedDeletions: [] });
    });

    it("treats a replacement as a deletion: a table replaced under the locked workspace needs the lift", () => {
        const doc = fixture();
        const ws = stepOf(doc, "azure-native:operationalinsights:Workspace").oldState!.id!;
        const table = {
            urn: "urn:pulumi:eu-prod::azure-openai-landing-zone::azure-native:operationalinsights:Table::t",
            type: "azure-native:operationalinsights:Table",
            id: `${ws}/tables/AzureDiagnostics`,
            custom: true,
            inputs: {},
        };
        doc.steps = doc.steps
            .filter((s: Step) => s.op !== "delete")
            .concat([{ op: "replace", urn: table.urn, oldState: table, newState: table }]);
        const plan = lockLiftPlan(doc);
        expect(plan.lift).toBe(true);
        expect(plan.lockedDeletions.map((d) => d.armType)).toEqual(["Microsoft.OperationalInsights/workspaces/tables"]);
    });

    it("refuses to delete a locked resource itself, or a protected one, and then never lifts", () => {
        const doc = fixture();
        const account = stepOf(doc, "azure-native:cognitiveservices:Account");
        account.op = "delete";
        const plan = lockLiftPlan(doc);
        expect(plan.lift).toBe(false);
        expect(plan.refused).toEqual([
            expect.objectContaining({
                armType: "Microsoft.CognitiveServices/accounts",
                reason: expect.stringContaining("itself locked"),
            }),
        ]);
    });

    it("refuses a deletion under a lock that is not a day-2 change (the account's audit diagnostic setting)", () => {
        const doc = fixture();
        const gone = stepOf(doc, "azure-native:cognitiveservices:Deployment", "eu-prod-chat-gpt4o-mini");
        gone.oldState!.id = `${stepOf(doc, "azure-native:cognitiveservices:Account").oldState!.id}/providers/Microsoft.Insights/diagnosticSettings/audit`;
        const plan = lockLiftPlan(doc);
        expect(plan.lift).toBe(false);
        expect(plan.refused[0].reason).toContain("Microsoft.Insights/diagnosticSettings is not a day-2 deletion");
    });

    it("does not count the removal of a lock itself as a deletion under a lock", () => {
        const doc = fixture();
        doc.steps = doc.steps.filter((s: Step) => s.op !== "delete");
        stepOf(doc, "azure-native:authorization:ManagementLockByScope", "eu-prod-audit-lock").op = "delete";
        const plan = lockLiftPlan(doc);
        expect(plan).toMatchObject({ lift: false, refused: [], lockedDeletions: [] });
        expect(plan.locksRemoved).toHaveLength(1);
    });

    it("rejects a preview without the unchanged resources (no --show-sames), since the locks would be invisible", () => {
        const doc = fixture();
        doc.steps = doc.steps.filter((s: Step) => s.op !== "same" || s.urn.includes("::pulumi:pulumi:Stack::"));
        expect(() => lockLiftPlan(doc)).toThrow("--show-sames");
    });

    it("rejects documents that are not a preview digest, naming what was expected", () => {
        expect(() => lockLiftPlan([])).toThrow("expected the JSON object printed by `pulumi preview --json`");
        expect(() => lockLiftPlan({ steps: {} })).toThrow("steps: expected an array");
        expect(() => lockLiftPlan({ steps: [{ urn: "x" }] })).toThrow("steps[0]: expected {op, urn");
        expect(lockLiftPlan({})).toMatchObject({ lift: false });
    });

    it("allows under a lifted lock only the platform's day-2 child types, each with its reason", () => {
        for (const [type, why] of Object.entries(DAY2_DELETIONS)) {
            expect(type).toMatch(/^Microsoft\.[A-Za-z]+\/[A-Za-z/]+$/);
            expect(why.length).toBeGreaterThan(10);
        }
        expect(Object.keys(DAY2_DELETIONS)).not.toContain("Microsoft.Insights/diagnosticSettings");
        expect(Object.keys(DAY2_DELETIONS)).not.toContain("Microsoft.KeyVault/vaults/keys");
    });

    it("as a command: prints lift or keep, exits 1 on a refusal and 2 on bad input", () => {
        const script = path.join(repoRoot, ".github", "scripts", "deletion-locks.js");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "locks-"));
        const run = (doc: unknown) => {
            const file = path.join(dir, "preview.json");
            fs.writeFileSync(file, typeof doc === "string" ? doc : JSON.stringify(doc));
            return spawnSync("node", [script, "decide", file], { encoding: "utf8" });
        };
        const lift = run(fixture());
        expect([lift.status, lift.stdout.trim()]).toEqual([0, "lift"]);
        expect(lift.stderr).toContain("lift for: delete");
        const refused = fixture();
        stepOf(refused, "azure-native:cognitiveservices:Account").op = "delete";
        expect(run(refused).status).toBe(1);
        const bad = run("{not json");
        expect(bad.status).toBe(2);
        expect(bad.stderr).toContain("preview.json");
    });
});

describe("the components' side of the lock lift", () => {
    it("the stack config schema accepts exactly the deletionLocks values the pipeline passes", () => {
        const script = fs.readFileSync(path.join(repoRoot, ".github", "scripts", "pulumi-stack.sh"), "utf8");
        expect(script).toContain('locks_key="${project}:deletionLocks"');
        const passed = [...new Set([...script.matchAll(/\$\{locks_key\}=(\w+)/g)].map((m) => m[1]))].sort();
        expect(passed).toEqual([...deletionLockModes].sort());
        const stack = Object.fromEntries(
            Object.entries(
                parse(fs.readFileSync(path.join(repoRoot, "stacks", "Pulumi.eu-prod.yaml"), "utf8")).config,
            ).map(([k, v]) => [k.split(":")[1], v]),
        );
        for (const mode of passed)
            expect(validateStackConfig("eu-prod", { ...stack, deletionLocks: mode }).deletionLocks).toBe(mode);
        expect(() => validateStackConfig("eu-prod", { ...stack, deletionLocks: "off" })).toThrow(/deletionLocks/);
    });
});
