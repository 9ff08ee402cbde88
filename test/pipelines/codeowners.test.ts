import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { docBlock } from "./doc-blocks";
import { repoRoot } from "./helpers";

const codeowners = fs.readFileSync(path.join(repoRoot, ".github", "CODEOWNERS"), "utf8");
const rules = codeowners
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => l.trim().split(/\s+/));

/** The owners GitHub applies to a path: the last matching pattern wins (docs.github.com, "About code owners"). */
function ownersOf(file: string): string[] {
    let owners: string[] = [];
    for (const [pattern, ...who] of rules) {
        const p = pattern === "*" ? "" : pattern.replace(/^\//, "");
        const matches = p === "" || (p.endsWith("/") ? file.startsWith(p) : file === p);
        if (matches) owners = who;
    }
    return owners;
}

describe("code owners", () => {
    it("put the rules, the stacks, the catalogue, CI and the lockfiles under the security and platform owners", () => {
        const security = "@contoso/ai-security";
        for (const file of [
            "policies/exemptions.yaml",
            "policies/config/eu-gdpr.json",
            "policies/all.ts",
            "policies/package.json",
            "stacks/Pulumi.eu-prod.yaml",
            "catalogue/profiles.ts",
            "catalogue/models.ts",
            "catalogue/azure.ts",
            "infra/config.ts",
            ".github/workflows/deploy.yml",
            ".github/CODEOWNERS",
            ".github/scripts/rules-check.js",
            "azure-pipelines/deploy.yml",
            "pipelines/roles/landing-zone-deployer.json",
            "package-lock.json",
            "package.json",
            "plan/cli.ts",
        ])
            expect([file, ownersOf(file)]).toEqual([file, expect.arrayContaining([security])]);
        expect(ownersOf("README.md")).toEqual(["@contoso/ai-platform"]);
    });

    it("every rule names at least one team, and every path it names exists", () => {
        for (const [pattern, ...who] of rules) {
            expect([pattern, who.length > 0 && who.every((w) => /^@[\w-]+\/[\w-]+$/.test(w))]).toEqual([pattern, true]);
            if (pattern !== "*")
                expect([pattern, fs.existsSync(path.join(repoRoot, pattern))]).toEqual([pattern, true]);
        }
    });
});

describe("Dependabot", () => {
    const config = YAML.parse(fs.readFileSync(path.join(repoRoot, ".github", "dependabot.yml"), "utf8"));

    it("updates the pinned actions and the npm lockfile, as docs/pipelines.md says", () => {
        expect(config.version).toBe(2);
        const ecosystems = config.updates.map(
            (u: { "package-ecosystem": string; directory: string; schedule: { interval: string } }) =>
                `${u["package-ecosystem"]} ${u.directory} ${u.schedule.interval}`,
        );
        expect(ecosystems).toEqual(["github-actions / weekly", "npm / weekly"]);
        const documented = docBlock("dependabot")
            .split("\n")
            .filter((l) => l.startsWith("| `"))
            .map((l) =>
                l
                    .split("|")
                    .slice(1, 4)
                    .map((c) => c.trim().replace(/`/g, ""))
                    .join(" "),
            );
        expect(documented).toEqual(ecosystems);
    });
});
