import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../support/dist";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const buildState = require("../../bin/build-state") as {
    staleSources(root: string): string[];
    staleReason(root: string): string | undefined;
    recordBuild(root: string): void;
    snapshotBuild(root: string): void;
};

/** A throwaway project with the repository's build-state tooling and one source folder. */
function project(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "build-state-"));
    fs.mkdirSync(path.join(dir, "bin"));
    for (const f of ["build-state.js", "program.js"])
        fs.copyFileSync(path.join(repoRoot, "bin", f), path.join(dir, "bin", f));
    fs.writeFileSync(path.join(dir, "tsconfig.build.json"), JSON.stringify({ include: ["src/**/*.ts"] }));
    fs.mkdirSync(path.join(dir, "src"));
    fs.writeFileSync(path.join(dir, "src", "a.ts"), "export const a = 1;\n");
    return dir;
}

describe("build state (content-compared, not timestamps)", () => {
    it("is stale before any build is recorded, and fresh right after one", () => {
        const dir = project();
        expect(buildState.staleSources(dir)).toEqual(["(no build recorded: dist/.build-state.json is missing)"]);
        buildState.recordBuild(dir);
        expect(buildState.staleSources(dir)).toEqual([]);
    });

    it("names an edited, an added and a deleted source, and the command that fixes them", () => {
        const dir = project();
        fs.writeFileSync(path.join(dir, "src", "b.ts"), "export const b = 1;\n");
        buildState.recordBuild(dir);
        fs.writeFileSync(path.join(dir, "src", "a.ts"), "export const a = 2;\n");
        fs.writeFileSync(path.join(dir, "src", "c.ts"), "export const c = 1;\n");
        fs.rmSync(path.join(dir, "src", "b.ts"));
        expect(buildState.staleSources(dir).sort()).toEqual(["src/a.ts", "src/b.ts (deleted)", "src/c.ts"]);
        expect(buildState.staleReason(dir)).toMatch(/src\/a\.ts.*run `npm run build`$/);
    });

    it("counts an edit that was reverted without a rebuild as fresh, whatever the timestamps say", () => {
        const dir = project();
        buildState.recordBuild(dir);
        const file = path.join(dir, "src", "a.ts");
        const original = fs.readFileSync(file);
        fs.writeFileSync(file, "export const a = 3;\n");
        expect(buildState.staleSources(dir)).toEqual(["src/a.ts"]);
        fs.writeFileSync(file, original);
        fs.utimesSync(file, new Date(), new Date(Date.now() + 60_000));
        expect(buildState.staleSources(dir)).toEqual([]);
    });

    it("records the sources as the build read them: a file saved during the build stays stale", () => {
        const dir = project();
        buildState.snapshotBuild(dir);
        fs.writeFileSync(path.join(dir, "src", "a.ts"), "export const a = 5;\n");
        buildState.recordBuild(dir);
        expect(buildState.staleSources(dir)).toEqual(["src/a.ts"]);
    });

    it("makes the Pulumi program entry refuse to run stale code, naming the command", () => {
        const dir = project();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(() => require(path.join(dir, "bin", "program.js"))).toThrow(
            /Refusing to run: .*run `npm run build` before `pulumi preview` or `pulumi up`/,
        );
    });

    it("finds this repository's own build current (npm test builds first)", () => {
        expect(buildState.staleReason(repoRoot)).toBeUndefined();
    });
});

describe("build only when needed (npm test and npm run plan)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const buildIfStale = require("../../bin/build-if-stale") as { buildReasons(root: string): string[] };
    const entries = ["dist/plan/cli.js", "policies/bin/policies/index.js", "components/bin/components/index.js"];

    it("needs no build when the recorded sources are current and every package's entry point exists", () => {
        const dir = project();
        for (const f of entries) {
            fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
            fs.writeFileSync(path.join(dir, f), "");
        }
        buildState.recordBuild(dir);
        expect(buildIfStale.buildReasons(dir)).toEqual([]);
    });

    it("builds when a source changed or a package's compiled entry point is gone", () => {
        const dir = project();
        buildState.recordBuild(dir);
        expect(buildIfStale.buildReasons(dir)).toEqual(entries.map((f) => `${f} (missing)`));
        fs.writeFileSync(path.join(dir, "src", "a.ts"), "export const a = 4;\n");
        expect(buildIfStale.buildReasons(dir)[0]).toBe("src/a.ts");
    });
});
