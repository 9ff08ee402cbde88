/**
 * Raw programs with insecure gateways, planned exactly as `npm run plan -- --program <file> --profile eu-gdpr` plans
 * them (the program in a worker under mocks, every resource through the real pack over the analyzer protocol): a
 * subscription-key API, a gateway with no token limit and a public gateway are blocked, each by its rule, and the
 * compliant one passes.
 */
import * as path from "path";
import { StackReport } from "../../plan/report/model";
import { resolveTargets } from "../../plan/stack-source";
import { planOnce } from "../support/plans";

const root = path.join(__dirname, "..", "..");
let report: StackReport;

beforeAll(async () => {
    const targets = resolveTargets({
        root,
        stacks: ["gateways"],
        config: [],
        program: path.join(__dirname, "fixtures", "raw-gateways.ts"),
        profile: "eu-gdpr",
    });
    report = (await planOnce(path.join(root, "policies"), targets, false)).stacks[0];
}, 60000);

const violationsOf = (name: string) =>
    report.violations
        .filter((v) => v.urn.split("::").pop()?.startsWith(name))
        .map((v) => `${v.policyName} ${v.urn.split("::").pop()}`)
        .sort();

describe("raw gateway programs under the eu-gdpr pack config", () => {
    it("fail the plan with mandatory violations", () => {
        expect(report.result.failed).toBe(true);
        expect(report.violations.every((v) => v.enforcementLevel === "mandatory")).toBe(true);
    });

    it("pass a compliant hand-written gateway: private, Entra ID callers, token limits and cap, managed identity, logs", () => {
        expect(violationsOf("gw-ok")).toEqual([]);
        const judged = report.verdicts
            .filter((v) => v.urn.endsWith("::gw-ok-api") && v.policyName.includes("gateway"))
            .map((v) => `${v.policyName} ${v.verdict}`)
            .sort();
        expect(judged).toEqual([
            "azure-openai-gateway-enforce-token-limits passed",
            "azure-openai-gateway-require-entra-id-callers passed",
            "azure-openai-gateway-require-managed-identity-backend passed",
        ]);
    });

    it("block a key-only API: subscription required, keys handed out, no Entra ID validation", () => {
        expect(violationsOf("gw-key")).toEqual([
            "azure-openai-gateway-require-entra-id-callers gw-key-api",
            "azure-openai-gateway-require-entra-id-callers gw-key-api",
            "azure-openai-gateway-require-entra-id-callers gw-key-key",
        ]);
        const messages = report.violations.filter((v) => v.urn.endsWith("::gw-key-api")).map((v) => v.message);
        expect(messages).toEqual(
            expect.arrayContaining([
                expect.stringContaining("subscriptionRequired is not set (Azure defaults to true"),
                expect.stringContaining("has no unconditional validate-azure-ad-token"),
            ]),
        );
    });

    it("block a gateway with no token limit: no rate, no daily or monthly quota, no prompt estimate, no per-request cap", () => {
        const messages = report.violations.filter((v) => v.urn.endsWith("::gw-nolimit-api")).map((v) => v.message);
        expect(new Set(report.violations.filter((v) => v.urn.includes("gw-nolimit")).map((v) => v.policyName))).toEqual(
            new Set(["azure-openai-gateway-enforce-token-limits"]),
        );
        for (const what of [
            "token rate is not limited",
            "prompt estimate is off",
            "daily token quota is missing",
            "monthly token quota is missing",
            "per-request token cap is missing",
        ]) {
            expect(messages.some((m) => m.includes(what))).toBe(true);
        }
    });

    it("block a public gateway under a profile that forbids public inbound access", () => {
        expect(violationsOf("gw-public")).toEqual(["azure-openai-gateway-disallow-public-network-access gw-public"]);
        expect(report.violations.find((v) => v.urn.endsWith("::gw-public"))?.message).toContain(
            "publicNetworkAccess is not set (Azure defaults to Enabled)",
        );
    });
});
