/**
 * Production deletion protection while a stack suspends its locks for one update (stack config deletionLocks:
 * suspended): `protect` alone keeps the account and workspace covered, and nothing covers them once it is gone too.
 */
import { types } from "../../catalogue/azure";
import { deletionProtection } from "../../policies/protection";
import { buildStack, runStack } from "./harness";
import { compliantStack } from "./fixtures";

describe.each([
    ["update", false],
    ["preview", true],
])("deletion protection with the locks suspended, %s", (_mode, preview) => {
    const unlocked = () => compliantStack(preview).filter((f) => f.type !== types.managementLock);

    it("passes: protect stays on the stateful resources", async () => {
        expect(await runStack(deletionProtection, buildStack("eu-prod", unlocked()))).toEqual({ violations: [] });
    });

    it("fails once protect is gone too", async () => {
        const bare = unlocked().map((f) => (f.name === "openai" ? { ...f, protect: false } : f));
        const out = await runStack(deletionProtection, buildStack("eu-prod", bare));
        expect(out.violations.map((v) => v.message)).toEqual([
            expect.stringContaining(
                "Account 'openai': protect is false and no CanNotDelete lock covers it in a production stack",
            ),
        ]);
    });
});
