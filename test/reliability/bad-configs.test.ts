/**
 * Every config of the bad-input corpus is rejected before anything is planned: validation lists every problem by
 * key path, and the program registers no resource at all.
 */
import { StackConfigError, validateStackConfig } from "../../infra/config";
import { badConfigCases, badConfigs, badRawConfig, BadConfigCase, expectedPaths } from "./bad-configs";
import { rawStackConfig, stackNames } from "../support/stacks";
import { assertBuilt, freshProgram, runStack } from "../support/dist";

const cases = badConfigCases();

function rejection(c: BadConfigCase): StackConfigError {
    try {
        validateStackConfig(c.stack, badRawConfig(c));
    } catch (e) {
        if (e instanceof StackConfigError) return e;
        throw e;
    }
    throw new Error(`corpus entry ${c.config.id} was accepted on ${c.stack}`);
}

describe("bad-input corpus", () => {
    it("holds at least 40 distinct corruptions, spread over the committed stacks", () => {
        expect(badConfigs.length).toBeGreaterThanOrEqual(40);
        expect(new Set(badConfigs.map((c) => c.id)).size).toBe(badConfigs.length);
        // Every stack is corrupted somewhere, as long as there are fewer stacks than corruptions.
        if (stackNames().length <= badConfigs.length / 4)
            expect(new Set(cases.map((c) => c.stack))).toEqual(new Set(stackNames()));
    });

    it.each(stackNames())("starts from a valid stack (%s)", (stack) => {
        expect(() => validateStackConfig(stack, rawStackConfig(stack))).not.toThrow();
    });

    it.each(cases.map((c) => [c.config.id, c] as const))("rejects %s with every problem by key path", (_id, c) => {
        const error = rejection(c);
        expect(error.problems.map((p) => p.path).sort()).toEqual(expectedPaths(c).sort());
        for (const p of error.problems) {
            // Each problem says what was expected or what to do about it.
            expect(p.message).toMatch(/expected|remove it|must be unique|lower deployments\[\]\.capacity/);
            expect(error.message).toContain(`${p.path || "(root)"}: ${p.message}`);
        }
        expect(error.message).toContain(
            `Invalid configuration for stack '${c.stack}' (${error.problems.length} problem`,
        );
    });
});

describe("bad-input corpus through the built program", () => {
    beforeAll(() => assertBuilt());

    it.each(cases.map((c) => [c.config.id, c] as const))(
        "%s: the program fails closed and registers no resource",
        async (_id, c) => {
            const raw = badRawConfig(c);
            // A stack file can only hold key/value pairs: a non-object config arrives as a single key.
            const asStackFile =
                typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : { profile: raw };
            let caught: { name?: string; problems?: { path: string }[] } | undefined;
            const run = await runStack(c.stack, asStackFile, false, () => {
                try {
                    return freshProgram();
                } catch (e) {
                    caught = e as typeof caught;
                    return {};
                }
            });
            expect(caught?.name).toBe("StackConfigError");
            if (raw === asStackFile)
                expect(caught!.problems!.map((p) => p.path).sort()).toEqual(expectedPaths(c).sort());
            expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
            expect(run.invokes).toEqual([]);
            // Uncaught, the same error fails the whole run: no partial plan comes back.
            await expect(runStack(c.stack, asStackFile, true)).rejects.toMatchObject({
                name: "ProgramRunError",
                message: expect.stringContaining("Invalid configuration"),
            });
        },
    );
});
