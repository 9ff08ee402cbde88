/**
 * The top component as another program uses it: the stack file's keys as explicit arguments, validated against the
 * compliance profile before anything registers, and the settings it derived exposed.
 */
import type * as Components from "../../components/regional-openai";
import { inWorkerRealm, requireDist, runStack } from "../support/dist";
import { stackNames } from "../../plan/stack-source";
import { rawStackConfig } from "../support/stacks";
import * as path from "path";

const root = path.join(__dirname, "..", "..");
const stack = stackNames(root)[0];
const ids = {
    subscriptionId: "00000000-0000-4000-8000-000000000001",
    tenantId: "00000000-0000-4000-8000-000000000002",
};

describe("RegionalOpenAi's arguments", () => {
    const { RegionalOpenAi } = requireDist<typeof Components>("components/regional-openai.js");

    it("are a stack file's keys: the zone builds from them and exposes the settings its profile derived", async () => {
        const raw = rawStackConfig(stack);
        let settings: Components.RegionalOpenAi["settings"] | undefined;
        const run = await runStack(stack, raw, false, () => {
            settings = new RegionalOpenAi("zone", { ...inWorkerRealm(raw), ...ids } as Components.RegionalOpenAiArgs)
                .settings;
            return {};
        });
        expect(run.resources.some((r) => r.type === "azure-native:cognitiveservices:Account")).toBe(true);
        expect(settings).toMatchObject({
            stack,
            profile: raw.profile,
            allTags: expect.objectContaining({ "compliance-profile": raw.profile }),
        });
    });

    it("are refused before anything registers, every problem by key path", async () => {
        const raw = { ...rawStackConfig(stack), location: "brazilsouth", deletionLocks: "off" };
        let error: Error | undefined;
        const run = await runStack(stack, raw, false, () => {
            try {
                new RegionalOpenAi("zone", { ...inWorkerRealm(raw), ...ids } as Components.RegionalOpenAiArgs);
            } catch (e) {
                error = e as Error;
            }
            return {};
        });
        expect(error?.message).toMatch(
            /Invalid configuration for stack '.*' \(2 problems\):\n {2}- deletionLocks: .*\n {2}- location: 'brazilsouth' is not allowed by profile/,
        );
        expect(run.resources.filter((r) => r.custom)).toEqual([]);
    });
});
