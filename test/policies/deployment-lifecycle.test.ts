/**
 * Model lifecycle in the pack: a deployment of a retired model version is refused (mandatory) with the date and a
 * current replacement; one retiring within the warning window is flagged (advisory). "Today" comes from the policy
 * config, as a reproducible run pins it; without it, the day of the run.
 */
import { types } from "../../catalogue/azure";
import { modelCatalogue, utcToday } from "../../catalogue/models";
import { retiredModel, retiringModel } from "../../policies/deployments";
import { runResource } from "./harness";
import { classicDeployment, deployment } from "./fixtures";

const native = (model: string, version: string, sku = "DataZoneStandard") => ({
    type: types.deployment,
    name: "chat",
    props: {
        ...deployment(),
        sku: { name: sku, capacity: 10 },
        properties: { ...deployment().properties, model: { format: "OpenAI", name: model, version } },
    },
});
const classic = (model: string, version: string) => ({
    type: types.classicDeployment,
    name: "chat-classic",
    props: { ...classicDeployment(), model: { format: "OpenAI", name: model, version } },
});

describe("azure-openai-deployment-disallow-retired-models", () => {
    it("refuses a retired model version, naming the retirement date and a current replacement", async () => {
        const out = await runResource(retiredModel, native("gpt-4o", "2024-11-20"), { today: "2026-11-27" });
        expect(out.violations.map((v) => v.message)).toEqual([
            "Deployment 'chat': properties.model.version is 2024-11-20: gpt-4o 2024-11-20 retired on 2026-10-01, 57 days ago (Azure answers every call to it with an error): deploy gpt-5.1 2025-11-13 (stack config: deployments[].model and .version; component: ModelDeployments deployments[].model and .version)",
        ]);
        expect(
            (await runResource(retiredModel, classic("gpt-4.1", "2025-04-14"), { today: "2026-11-27" })).violations[0]
                .message,
        ).toContain("Deployment 'chat-classic': model.version is 2025-04-14: gpt-4.1 2025-04-14 retired on 2026-10-14");
    });

    it("uses the SKU's own retirement date where the docs give one", async () => {
        const standard = await runResource(retiredModel, native("gpt-4o-mini", "2024-07-18", "Standard"), {
            today: "2026-05-01",
        });
        expect(standard.violations[0].message).toContain("retired on 2026-03-31 for Standard");
        expect(
            await runResource(retiredModel, native("gpt-4o-mini", "2024-07-18", "DataZoneStandard"), {
                today: "2026-05-01",
            }),
        ).toEqual({ violations: [] });
    });

    it("passes a model before its retirement, and one whose date is only 'no earlier than'", async () => {
        expect(await runResource(retiredModel, native("gpt-4o", "2024-11-20"), { today: "2026-09-30" })).toEqual({
            violations: [],
        });
        expect(
            await runResource(retiredModel, native("text-embedding-3-large", "1", "Standard"), { today: "2030-01-01" }),
        ).toEqual({ violations: [] });
    });

    it("leaves a model the catalogue does not know to the approved-models rule", async () => {
        expect((await runResource(retiredModel, native("gpt-3.5-turbo", "0125"))).notApplicable).toMatch(
            /not in the catalogue/,
        );
    });

    it("judges against the day of the run when the config names none", async () => {
        const retiredNow = modelCatalogue.find((m) => m.retirement.exact && m.retirement.date <= utcToday());
        expect(retiredNow).toBeDefined();
        expect(
            (await runResource(retiredModel, native(retiredNow!.model, retiredNow!.version))).violations,
        ).toHaveLength(1);
    });
});

describe("azure-openai-deployment-review-retiring-models", () => {
    it("is advisory, with a 90-day window by default", () => {
        expect(retiringModel.enforcementLevel).toBe("advisory");
        expect(retiringModel.configSchema?.properties?.warningDays).toMatchObject({ default: 90 });
    });

    it("flags a model retiring within the window, naming the date, the days left and the replacement", async () => {
        const out = await runResource(retiringModel, native("gpt-4o", "2024-11-20"), { today: "2026-08-01" });
        expect(out.violations.map((v) => v.message)).toEqual([
            "Deployment 'chat': properties.model.version is 2024-11-20: gpt-4o 2024-11-20 retires on 2026-10-01, in 61 days; since 2025-11-20 it takes no new customers, so a subscription that never deployed it cannot create it: move to gpt-5.1 2025-11-13 (stack config: deployments[].model and .version; component: ModelDeployments deployments[].model and .version)",
        ]);
    });

    it("stays quiet outside the window for a model still open to new customers, and once retired (the mandatory rule speaks)", async () => {
        expect(await runResource(retiringModel, native("gpt-5.1", "2025-11-13"), { today: "2026-06-01" })).toEqual({
            violations: [],
        });
        expect(await runResource(retiringModel, native("gpt-5.1", "2025-11-13"), { today: "2027-05-15" })).toEqual({
            violations: [],
        });
        expect(await runResource(retiringModel, native("gpt-4o", "2024-11-20"), { today: "2026-10-01" })).toEqual({
            violations: [],
        });
    });

    it("flags a deprecated model outside the window: it takes no new customers, so a new stack cannot create it", async () => {
        const out = await runResource(retiringModel, native("gpt-5.1", "2025-11-13"), { today: "2026-11-27" });
        expect(out.violations.map((v) => v.message)).toEqual([
            expect.stringMatching(
                /gpt-5\.1 2025-11-13 retires on 2027-05-15, in 169 days; since 2026-11-13 it takes no new customers, so a subscription that never deployed it cannot create it/,
            ),
        ]);
    });

    it("takes a configured window", async () => {
        expect(
            (
                await runResource(retiringModel, native("gpt-4o", "2024-11-20"), {
                    today: "2026-06-01",
                    warningDays: 180,
                })
            ).violations,
        ).toHaveLength(1);
    });

    it("does not flag a 'no earlier than' date: no retirement is announced yet", async () => {
        expect(
            await runResource(retiringModel, native("text-embedding-3-large", "1", "Standard"), {
                today: "2027-03-01",
            }),
        ).toEqual({ violations: [] });
    });
});
