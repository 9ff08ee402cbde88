/** What a stack owner sees when a stack file or a profile is wrong: the file, line and key, and the command that fixes it. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "../../plan/cli";
import { resolveTargets } from "../../plan/stack-source";
import { splitKeyPath } from "../../plan/yaml-positions";

const root = path.join(__dirname, "..", "..");
const fixtures = path.join(root, "test", "plan", "fixtures");
const brokenFile = path.relative(root, path.join(fixtures, "broken-stacks", "Pulumi.broken.yaml"));

function problemsOf(run: () => unknown): string {
    try {
        run();
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error("expected the stack to be refused");
}

/** A stack directory holding one stack file written from `lines`. */
function stacksWith(name: string, lines: string[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
    fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), `${lines.join("\n")}\n`);
    return dir;
}

describe("config problems point at the stack file's line", () => {
    const message = problemsOf(() =>
        resolveTargets({ root, stacksDir: path.join(fixtures, "broken-stacks"), stacks: ["broken"], config: [] }),
    );
    const lines = fs.readFileSync(path.join(root, brokenFile), "utf8").split("\n");
    const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;

    it("gives a present key's own line and column", () => {
        expect(message).toContain(
            `${brokenFile}:${lineOf("azure-openai-landing-zone:location:")}:3: location: 'eastus' is not allowed`,
        );
        expect(message).toContain(`${brokenFile}:${lineOf("sku: GlobalStandard")}:7: deployments[0].sku:`);
        expect(message).toContain(
            `${brokenFile}:${lineOf("azure-openai-landing-zone:publicAccess:")}:3: publicAccess: unknown key`,
        );
    });

    it("gives a missing key the line of its nearest present parent", () => {
        expect(message).toContain(`${brokenFile}:${lineOf("config:")}:1: network: missing required value`);
    });

    it("says once per key that a key lacks the project's namespace, instead of listing every required key as missing", () => {
        const dir = stacksWith("bare", [
            "config:",
            "  azure-openai-landing-zone:profile: eu-gdpr",
            "  location: westeurope",
        ]);
        const bare = problemsOf(() => resolveTargets({ root, stacksDir: dir, stacks: ["bare"], config: [] }));
        expect(bare).toContain("(1 problem)");
        expect(bare).toMatch(
            /Pulumi\.bare\.yaml:3:3: location: has no namespace: .* write azure-openai-landing-zone:location/,
        );
    });

    it("locates invalid YAML by line", () => {
        const dir = stacksWith("bad", ["config:", "  azure-openai-landing-zone:profile: [eu-gdpr"]);
        expect(problemsOf(() => resolveTargets({ root, stacksDir: dir, stacks: ["bad"], config: [] }))).toMatch(
            /Pulumi\.bad\.yaml:\d+:\d+: \(file\): not valid YAML/,
        );
    });

    it("splits key paths as the config errors spell them", () => {
        expect(splitKeyPath("deployments[0].sku")).toEqual(["deployments", 0, "sku"]);
        expect(splitKeyPath("access.developers.groupObjectIds[12]")).toEqual([
            "access",
            "developers",
            "groupObjectIds",
            12,
        ]);
    });
});

describe("a profile's policy config", () => {
    it("is required: a profile without one fails with the command that generates it, not a silent pack-default pass", () => {
        const bareRoot = fs.mkdtempSync(path.join(os.tmpdir(), "no-policy-config-"));
        const program = path.join(fixtures, "programs", "private-account.ts");
        expect(() => resolveTargets({ root: bareRoot, stacks: [], config: [], program, profile: "eu-gdpr" })).toThrow(
            /Profile 'eu-gdpr' has no policy config: expected policies\/config\/eu-gdpr\.json\. Run `npm run build && npm run policy-config`/,
        );
    });
});

describe("npm's own options", () => {
    it("turns `npm run plan --stack eu-prod` (no `--`) into a hint instead of an unknown option", () => {
        expect(() => parseArgs(["eu-prod"])).toThrow(
            /Unexpected argument 'eu-prod': npm keeps options written before `--` for itself, so write `npm run plan -- --stack eu-prod`/,
        );
    });
});
