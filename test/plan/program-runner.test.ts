/**
 * A worker runs the stacks given to it one after another (plan/program-runner.ts, plan/worker.ts): each run evaluates
 * the program afresh with its own stack's config, so nothing of one stack reaches the next.
 */
import * as path from "path";
import type { ProgramRun } from "../../plan/mock-runtime";
import { inheritedNodeOptions, ProgramWorker } from "../../plan/program-runner";
import { resolveTargets, StackTarget } from "../../plan/stack-source";

const root = path.join(__dirname, "..", "..");
const target = (stack: string): StackTarget => resolveTargets({ root, stacks: [stack], config: [] })[0];
const request = (t: StackTarget, preview: boolean) => ({
    project: t.project,
    stack: t.stack,
    config: t.config,
    preview,
    programPath: t.programPath,
});
/** What a run registered, without what differs by construction between runs of the same stack (nothing should). */
const registered = (run: ProgramRun) => run.resources.map((r) => ({ urn: r.urn, inputs: r.inputs, id: r.id }));

describe("a program worker", () => {
    let worker: ProgramWorker;
    const runs: ProgramRun[] = [];

    beforeAll(async () => {
        worker = new ProgramWorker();
        // A dev stack, a production stack of another profile and region, the dev stack again, then the dev stack as a preview.
        for (const [stack, preview] of [
            ["eu-dev", false],
            ["us-prod", false],
            ["eu-dev", false],
            ["eu-dev", true],
        ] as const) {
            runs.push(await worker.run(request(target(stack), preview)));
        }
    }, 60000);
    afterAll(() => worker.close());

    it("plans a stack the same whether it runs first or after another stack", () => {
        expect(registered(runs[2])).toEqual(registered(runs[0]));
        expect(runs[2].outputs).toEqual(runs[0].outputs);
    });

    it("gives each run its own stack, config and mode", () => {
        expect(runs[1].resources.every((r) => r.urn.startsWith("urn:pulumi:us-prod::"))).toBe(true);
        expect(runs[1].resources.some((r) => r.inputs.location === "eastus")).toBe(true);
        expect(runs[0].resources.some((r) => r.inputs.location === "eastus")).toBe(false);
        expect(runs[3].resources.filter((r) => r.custom).every((r) => r.id === undefined)).toBe(true);
        expect(runs[0].resources.filter((r) => r.custom).every((r) => typeof r.id === "string")).toBe(true);
    });

    it("records no construction lines when not asked to (a stack plan never is)", () => {
        expect(runs.flatMap((r) => r.resources).filter((r) => r.programLine !== undefined)).toEqual([]);
    });

    it("ends when a run fails, and says so to the next caller", async () => {
        const broken = {
            ...request(target("eu-dev"), true),
            config: { ...target("eu-dev").config, "azure-openai-landing-zone:location": "mars" },
        };
        await expect(worker.run(broken)).rejects.toThrow(/location/);
        await expect(worker.run(request(target("eu-dev"), true))).rejects.toThrow(
            /could not start: its worker exited|exited before finishing/,
        );
    });
});

describe("the worker's Node options", () => {
    it("keep this process's flags but never the code it was told to evaluate (a plan started by `node -e`)", () => {
        expect(
            inheritedNodeOptions([
                "--max-old-space-size=512",
                "-e",
                "main()",
                "--print",
                "x",
                "--eval=y",
                "--cpu-prof",
            ]),
        ).toEqual(["--max-old-space-size=512", "--cpu-prof"]);
        expect(inheritedNodeOptions(["-pe", "main()", "-r", "./preload.js"])).toEqual(["-r", "./preload.js"]);
    });
});
