import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diffRules, loadRules, relaxation, VALUE_ORDER, LEVEL_RANK } from "../../.github/scripts/rules-diff";
import type { Rules } from "../../.github/scripts/rules-diff";
import { approvalOf, judgeWithBase, renderVerdict } from "../../.github/scripts/rules-check";
import { readProjectName } from "../../.github/scripts/stack-matrix";
import { assertBuilt } from "../support/dist";
import { repoRoot } from "./helpers";

const project = readProjectName(repoRoot);
/** The rules this repository enforces today: the base of every case below. */
let base: Rules;
const head = () => structuredClone(base);
const kinds = (h: Rules) => diffRules(base, h).map((f) => `${f.kind} ${f.subject}`);

beforeAll(() => {
    base = loadRules(repoRoot, project);
});

describe("the weakening detector", () => {
    it("reads the built pack, every profile's config, the exemptions and the stacks, and finds nothing in an unchanged copy", () => {
        expect(Object.keys(base.pack).length).toBeGreaterThan(20);
        expect(Object.keys(base.configs).sort()).toEqual(
            fs
                .readdirSync(path.join(repoRoot, "policies", "config"))
                .map((f) => f.replace(/\.json$/, ""))
                .sort(),
        );
        expect(Object.keys(base.stacks).sort()).toEqual(
            fs
                .readdirSync(path.join(repoRoot, "stacks"))
                .map((f) => f.replace(/^Pulumi\.|\.yaml$/g, ""))
                .sort(),
        );
        expect(diffRules(base, head())).toEqual([]);
    });

    it("orders every config property the pack declares, so a new property cannot slip past", () => {
        const props = new Set(Object.values(base.pack).flatMap((p) => Object.keys(p.defaults)));
        expect([...props].filter((p) => !VALUE_ORDER[p])).toEqual([]);
        expect(Object.keys(LEVEL_RANK)).toEqual(["disabled", "advisory", "remediate", "mandatory"]);
    });

    it("catches a policy removed from the pack", () => {
        const h = head();
        delete h.pack["azure-openai-account-disallow-local-auth"];
        expect(kinds(h)).toEqual(["policy-removed azure-openai-account-disallow-local-auth"]);
    });

    it("catches a level lowered in the pack's defaults, in a profile's config, and through the config's `all` key", () => {
        const name = "azure-openai-workspace-configure-retention";
        const pack = head();
        pack.pack[name].level = "advisory";
        expect(kinds(pack)).toContain(`level-lowered ${name}`);
        const config = head();
        config.configs["eu-gdpr"][name] = {
            ...(config.configs["eu-gdpr"][name] as object),
            enforcementLevel: "disabled",
        };
        expect(diffRules(base, config)).toEqual([
            { kind: "level-lowered", subject: name, detail: "policies/config/eu-gdpr.json: mandatory to disabled" },
        ]);
        const all = head();
        all.configs["us-hipaa"].all = "remediate";
        expect(kinds(all).filter((k) => k.startsWith("level-lowered")).length).toBe(
            Object.keys(base.pack).filter((n) => base.pack[n].level === "mandatory").length,
        );
        const string = head();
        string.configs["au-irap"]["azure-openai-account-enable-managed-identity"] = "advisory";
        expect(kinds(string)).toEqual(["level-lowered azure-openai-account-enable-managed-identity"]);
    });

    it("catches a config value relaxed, per kind of value: allow-list widened, minimum lowered, maximum raised, requirement off, required list shortened", () => {
        const h = head();
        const cfg = h.configs["eu-gdpr"] as Record<string, Record<string, unknown>>;
        cfg["azure-openai-resource-enforce-allowed-locations"].allowedRegions = [
            ...(cfg["azure-openai-resource-enforce-allowed-locations"].allowedRegions as string[]),
            "eastus",
        ];
        cfg["azure-openai-workspace-configure-retention"].minTotalDays = 30;
        cfg["azure-openai-deployment-limit-worst-case-spend"].dailySpendLimitUsd = 100000;
        (h.configs["us-hipaa"] as Record<string, Record<string, unknown>>)[
            "azure-openai-account-enforce-customer-managed-key"
        ].requireCustomerManagedKey = false;
        cfg["azure-openai-resource-require-tags"].requiredTags = ["owner"];
        expect(
            diffRules(base, h)
                .map((f) => f.detail)
                .sort(),
        ).toEqual([
            "policies/config/eu-gdpr.json: maximum raised from 250 to 100000",
            "policies/config/eu-gdpr.json: minimum lowered from 365 to 30",
            "policies/config/eu-gdpr.json: no longer requires compliance-profile, environment, cost-center, data-classification",
            "policies/config/eu-gdpr.json: now also allows eastus",
            "policies/config/us-hipaa.json: requirement switched off (true to false)",
        ]);
    });

    it("catches a config that pins the pack's date (which could revive expired exemptions or retired models)", () => {
        const h = head();
        const withToday = Object.entries(base.pack).find(([, p]) => "today" in p.defaults)![0];
        h.configs["eu-gdpr"][withToday] = { ...(h.configs["eu-gdpr"][withToday] as object), today: "2020-01-01" };
        expect(diffRules(base, h)).toEqual([
            {
                kind: "value-relaxed",
                subject: `${withToday}.today`,
                detail: expect.stringContaining('the pack\'s date is pinned to "2020-01-01"'),
            },
        ]);
        expect(relaxation("clock", "2020-01-01", undefined)).toBeUndefined();
    });

    it("catches a pack default relaxed (a model version approved, a price lowered) and a non-exemptable policy made exemptable", () => {
        const h = head();
        const models = h.pack["azure-openai-deployment-allow-approved-models"].defaults;
        models.approvedModels = { ...(models.approvedModels as object), "gpt-3.5-turbo": ["0301"] };
        const spend = h.pack["azure-openai-deployment-limit-worst-case-spend"].defaults;
        const prices = spend.pricesUsdPer1kTokens as Record<string, number>;
        const [model] = Object.keys(prices);
        spend.pricesUsdPer1kTokens = { ...prices, [model]: prices[model] / 10 };
        h.pack["azure-openai-account-disallow-public-network-access"].nonExemptable = false;
        expect(kinds(h).sort()).toEqual([
            "exemptable azure-openai-account-disallow-public-network-access",
            "value-relaxed azure-openai-deployment-allow-approved-models.approvedModels",
            "value-relaxed azure-openai-deployment-limit-worst-case-spend.pricesUsdPer1kTokens",
        ]);
    });

    it("catches an exemption added, extended or retargeted, in exemptions.yaml or only in a generated config", () => {
        const withOne = head();
        const ex = {
            id: "EX-1",
            policy: "azure-openai-account-restrict-outbound-access",
            stack: "eu-dev",
            target: "*-openai",
            expires: "2027-01-31",
            where: "policies/exemptions.yaml",
        };
        withOne.exemptions = [ex];
        expect(kinds(withOne)).toEqual(["exemption-added EX-1"]);
        const b2 = withOne;
        const extended = structuredClone(b2);
        extended.exemptions[0].expires = "2027-12-31";
        expect(diffRules(b2, extended).map((f) => f.kind)).toEqual(["exemption-extended"]);
        const retargeted = structuredClone(b2);
        retargeted.exemptions[0].target = "*";
        expect(diffRules(b2, retargeted).map((f) => f.kind)).toEqual(["exemption-changed"]);
        const hidden = head();
        (hidden.configs["eu-gdpr"]["azure-openai-account-enforce-network-acl-deny"] as Record<string, unknown>) = {
            exemptions: [
                {
                    id: "EX-9",
                    policy: "azure-openai-account-enforce-network-acl-deny",
                    resource: { stack: "eu-prod", name: "*" },
                    expires: "2030-01-01",
                },
            ],
        };
        expect(kinds(hidden)).toEqual(["exemption-added EX-9"]);
    });

    it("catches a stack's profile switched, a production stack moved to non-production, locks suspended in a stack file, a stack file removed", () => {
        const h = head();
        h.stacks["us-prod"].profile = "eu-gdpr";
        h.stacks["eu-prod"].environment = "nonprod";
        h.stacks["au-prod"].deletionLocks = "suspended";
        delete h.stacks["eu-dev"];
        expect(kinds(h).sort()).toEqual([
            "deletion-locks-suspended au-prod",
            "environment-lowered eu-prod",
            "profile-switched us-prod",
            "stack-removed eu-dev",
        ]);
    });

    it("lets every strengthening pass: stricter levels, narrower allow-lists, higher minimums, new requirements, an exemption removed or shortened, a new stack", () => {
        const withEx = head();
        withEx.exemptions = [
            {
                id: "EX-1",
                policy: "p",
                stack: "eu-dev",
                target: "x",
                expires: "2027-06-30",
                where: "policies/exemptions.yaml",
            },
        ];
        const h = structuredClone(withEx);
        const cfg = h.configs["eu-gdpr"] as Record<string, Record<string, unknown>>;
        cfg["azure-openai-resource-enforce-allowed-locations"].allowedRegions = ["westeurope", "swedencentral"];
        cfg["azure-openai-workspace-configure-retention"].minTotalDays = 730;
        cfg["azure-openai-deployment-limit-worst-case-spend"].dailySpendLimitUsd = 100;
        cfg["azure-openai-account-enforce-customer-managed-key"].requireCustomerManagedKey = true;
        cfg["azure-openai-resource-require-tags"].requiredTags = [
            ...(cfg["azure-openai-resource-require-tags"].requiredTags as string[]),
            "cost-owner",
        ];
        h.pack["azure-openai-exemption-stale"].level = "mandatory";
        h.exemptions[0].expires = "2027-01-31";
        h.stacks["eu-dev2"] = { profile: "eu-gdpr", environment: "prod", deletionLocks: "enforced" };
        expect(diffRules(withEx, h)).toEqual([]);
        const removed = structuredClone(withEx);
        removed.exemptions = [];
        expect(diffRules(withEx, removed)).toEqual([]);
    });

    it("documents each ordering by what it lets through", () => {
        expect(relaxation("allowlist", ["a"], ["a", "b"])).toBe("now also allows b");
        expect(relaxation("allowlist", ["a", "b"], ["a"])).toBeUndefined();
        expect(relaxation("requirelist", ["a", "b"], ["a"])).toBe("no longer requires b");
        expect(relaxation("minimum", 90, 91)).toBeUndefined();
        expect(relaxation("maximum", 90, 89)).toBeUndefined();
        expect(relaxation("requirement", false, true)).toBeUndefined();
        expect(relaxation("floor-map", { m: 1 }, { m: 2 })).toBeUndefined();
        expect(relaxation("floor-map", { m: 1 }, {})).toBe("lowered m 1 to (none)");
        expect(relaxation("exact", "eu-gdpr", "us-hipaa")).toBe('changed from "eu-gdpr" to "us-hipaa"');
        expect(relaxation("allowlist-map", { m: ["1"] }, { m: ["1"] })).toBeUndefined();
    });
});

describe("approval by the rules' owners", () => {
    const sha = "f".repeat(40);
    const review = (login: string, state: string, commit = sha) => ({ user: { login }, state, commit_id: commit });

    it("counts only an owner's latest decisive review, on the current head commit", () => {
        expect(approvalOf([review("alice", "APPROVED")], ["Alice"], sha)).toEqual({
            approved: true,
            approvers: ["alice"],
            stale: [],
        });
        expect(approvalOf([review("mallory", "APPROVED")], ["alice"], sha).approved).toBe(false);
        expect(approvalOf([review("alice", "APPROVED", "0".repeat(40))], ["alice"], sha)).toEqual({
            approved: false,
            approvers: [],
            stale: ["alice"],
        });
        expect(
            approvalOf([review("alice", "APPROVED"), review("alice", "CHANGES_REQUESTED")], ["alice"], sha).approved,
        ).toBe(false);
        expect(approvalOf([review("alice", "APPROVED"), review("alice", "COMMENTED")], ["alice"], sha).approved).toBe(
            true,
        );
        expect(approvalOf([review("alice", "APPROVED"), review("alice", "DISMISSED")], ["alice"], sha).approved).toBe(
            false,
        );
    });

    it("says in the verdict which rules judged the pull request, what weakened it, and who may approve", () => {
        const text = renderVerdict({
            passed: false,
            findings: [{ kind: "level-lowered", subject: "p|x", detail: "mandatory to advisory" }],
            judgement: [{ stack: "eu-dev", profile: "eu-gdpr", mandatoryViolations: 0, failed: false, violations: [] }],
            owners: [],
            errors: [],
            baseSha: "a".repeat(40),
            headSha: "b".repeat(40),
        });
        expect(text).toContain("❌ Rules check failed");
        expect(text).toContain("Judged by **the base branch's rules** (`aaaaaaaaaaaa`");
        expect(text).toContain("**and this pull request's own** (`bbbbbbbbbbbb`");
        expect(text).toContain("| level-lowered | p\\|x | mandatory to advisory |");
        expect(text).toContain("RULES_OWNERS is not set, so nobody can approve a weakening");
    });
});

describe("the pull request's program under the base branch's rules", () => {
    it("refuses a stack that the base branch's stricter config forbids, with the policy that refused it", () => {
        assertBuilt();
        // A base checkout whose EU profile no longer allows the EU dev stack's region; its pack is the built one.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "base-rules-"));
        fs.mkdirSync(path.join(dir, "policies", "config"), { recursive: true });
        for (const f of ["package.json", "PulumiPolicy.yaml"])
            fs.copyFileSync(path.join(repoRoot, "policies", f), path.join(dir, "policies", f));
        fs.symlinkSync(path.join(repoRoot, "policies", "bin"), path.join(dir, "policies", "bin"));
        const config = JSON.parse(fs.readFileSync(path.join(repoRoot, "policies", "config", "eu-gdpr.json"), "utf8"));
        config["azure-openai-resource-enforce-allowed-locations"].allowedRegions = ["westeurope"];
        fs.writeFileSync(path.join(dir, "policies", "config", "eu-gdpr.json"), JSON.stringify(config));
        const [result] = judgeWithBase(
            [
                {
                    policyConfig: path.join(dir, "policies", "config", "eu-gdpr.json"),
                    profile: "eu-gdpr",
                    stacks: ["eu-dev"],
                },
            ],
            dir,
            repoRoot,
        );
        expect(result).toMatchObject({ stack: "eu-dev", failed: true });
        expect(result.mandatoryViolations).toBeGreaterThan(0);
        expect(result.violations!.map((v) => v.policy)).toContain("azure-openai-resource-enforce-allowed-locations");
    });
});
