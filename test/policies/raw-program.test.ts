/**
 * "Whoever wrote the program": a raw azure-native program (test/policies/programs/insecure-landing-zone.ts), planned
 * offline through the real program runner and the real pack under the eu-gdpr profile, is blocked by the residency,
 * Key Vault and Log Analytics rules, each violation on the resource at fault. Needs `npm run build`.
 */
import * as path from "path";
import { PlanReport } from "../../plan/report/model";
import { resolveTargets } from "../../plan/stack-source";
import { planOnce } from "../support/plans";

const root = path.join(__dirname, "..", "..");
let report: PlanReport;

beforeAll(async () => {
    const targets = resolveTargets({
        root,
        stacks: ["raw"],
        config: ["environment=nonprod"],
        program: path.join(__dirname, "programs", "insecure-landing-zone.ts"),
        profile: "eu-gdpr",
    });
    report = await planOnce(path.join(root, "policies"), targets, true);
}, 60000);

const violations = () => report.stacks[0].violations.filter((v) => v.enforcementLevel === "mandatory");
const findings = (name: string) =>
    violations()
        .filter((v) => v.urn.endsWith(`::${name}`))
        .map((v) => `${v.policyName}: ${v.message}`);

describe("a raw program outside the platform's components", () => {
    it("is blocked: the plan fails on mandatory violations", () => {
        expect(report.stacks[0].counts.violated).toBeGreaterThan(0);
        expect(violations().length).toBeGreaterThan(0);
    });

    it.each(["vnet-us", "gateway-us", "search-us", "storage-us"])(
        "%s outside the profile's regions is blocked by the residency rule",
        (name) => {
            expect(findings(name)).toContainEqual(
                expect.stringMatching(
                    /^azure-openai-resource-enforce-allowed-locations: .*location is "eastus", outside the allowed regions: use one of westeurope/,
                ),
            );
        },
    );

    it("a vault without purge protection, with public access, or with an access policy granting all is blocked", () => {
        expect(findings("kv-no-purge")).toContainEqual(
            expect.stringMatching(
                /^azure-openai-key-vault-enable-purge-protection: Vault 'kv-no-purge': properties.enablePurgeProtection is false/,
            ),
        );
        expect(findings("kv-public")).toContainEqual(
            expect.stringMatching(
                /^azure-openai-key-vault-disallow-public-network-access: Vault 'kv-public': properties.publicNetworkAccess is "Enabled"/,
            ),
        );
        expect(findings("kv-grants-all")).toContainEqual(
            expect.stringMatching(
                /^azure-openai-key-vault-restrict-access-policies: Vault 'kv-grants-all': properties.accessPolicies\[0\].permissions.keys grants "all"/,
            ),
        );
        expect(findings("kv-grants-all")).toContainEqual(
            expect.stringMatching(/^azure-openai-key-vault-configure-access-model: /),
        );
        for (const vault of ["kv-no-purge", "kv-public", "kv-grants-all"])
            expect(findings(vault)).toContainEqual(
                expect.stringMatching(
                    /^azure-openai-key-vault-enable-audit-diagnostics: .*diagnostic setting is missing/,
                ),
            );
    });

    it("a workspace replicating outside the profile's regions is blocked", () => {
        expect(findings("law-replicated")).toContainEqual(
            expect.stringMatching(
                /^azure-openai-workspace-restrict-replication: Resource 'law-replicated': properties.replication.location is "eastus", outside the allowed regions/,
            ),
        );
    });
});
