/** Exemptions as code: valid, expired, stale, non-exemptable and invalid entries; generated config stays current. */
import * as fs from "fs";
import * as path from "path";
import { types } from "../../catalogue/azure";
import { profileIds } from "../../catalogue/profiles";
import { allPolicies } from "../../policies/all";
import { PackPolicy } from "../../policies/core";
import { addDays, Exemption, runDate } from "../../policies/exemptions";
import { parseExemptions, policyConfigFor, renderConfig } from "../../policies/policy-config";
import { exemptionsAppliedPolicy, parseExemption } from "../../policies/verdict-protocol";
import { buildStack, newRun, runResource, runStack, urnOf } from "./harness";
import { account, compliantStack, mutate } from "./fixtures";

const policy = (name: string): PackPolicy => {
    const p = allPolicies.find((x) => x.name === name);
    if (!p) throw new Error(`no policy ${name}`);
    return p;
};
const outbound = policy("azure-openai-account-restrict-outbound-access");
const diagnostics = policy("azure-openai-account-enable-audit-diagnostics");
const expired = policy("azure-openai-exemption-expired");
const stale = policy("azure-openai-exemption-stale");
const invalid = policy("azure-openai-exemption-invalid");

/** Dates relative to the run's (UTC) date: the pack judges exemptions on it and never earlier. */
const day = (n: number) => addDays(runDate, n);

const exemption = (over: Partial<Exemption> = {}): Exemption => ({
    id: "EX-2026-001",
    policy: outbound.name,
    stack: "eu-dev",
    name: "openai*",
    reason: "On Your Data pilot calls the search service.",
    owner: "ai-platform@contoso.com",
    ticket: "SEC-1234",
    expires: day(30),
    ...over,
});
const openOutbound = {
    type: types.account,
    name: "openai",
    stack: "eu-dev",
    props: { ...account(), properties: { ...account().properties, restrictOutboundNetworkAccess: false } },
};

beforeEach(() => newRun());

describe("resource-policy exemptions", () => {
    it("a valid exemption turns the finding into not-applicable carrying the exemption notice", async () => {
        const out = await runResource(outbound, openOutbound, { exemptions: [exemption()] });
        expect(out.violations).toEqual([]);
        expect(parseExemption(out.notApplicable ?? "")).toEqual({
            exemptionId: "EX-2026-001",
            policyName: outbound.name,
            reason: "On Your Data pilot calls the search service.",
            owner: "ai-platform@contoso.com",
            ticket: "SEC-1234",
            expires: day(30),
        });
    });
    it("covers only its stack, its policy and its resource", async () => {
        for (const e of [
            exemption({ stack: "eu-prod" }),
            exemption({ policy: "azure-openai-account-allow-kind" }),
            exemption({ name: "other-*" }),
            exemption({ name: undefined, urn: urnOf("eu-dev", types.account, "other") }),
        ]) {
            expect((await runResource(outbound, openOutbound, { exemptions: [e] })).violations).toHaveLength(1);
        }
        expect(
            (
                await runResource(outbound, openOutbound, {
                    exemptions: [exemption({ name: undefined, urn: urnOf("eu-dev", types.account, "openai") })],
                })
            ).violations,
        ).toEqual([]);
    });
    it("an expired exemption waives nothing, and the expiry policy names its owner", async () => {
        const e = exemption({ expires: day(-1) });
        expect((await runResource(outbound, openOutbound, { exemptions: [e] })).violations).toHaveLength(1);
        const out = await runStack(expired, buildStack("eu-dev", compliantStack(false)), { exemptions: [e] });
        expect(out.violations).toEqual([
            expect.objectContaining({
                message: expect.stringContaining(
                    `expired on ${day(-1)}: owner ai-platform@contoso.com must renew it (ticket SEC-1234)`,
                ),
            }),
        ]);
        expect(expired.enforcementLevel).toBe("mandatory");
    });
    it("holds on its expiry day", async () => {
        expect(
            (await runResource(outbound, openOutbound, { exemptions: [exemption({ expires: runDate })] })).violations,
        ).toEqual([]);
    });
    it("a configured today later than the expiry shows it expired (what a later run will find)", async () => {
        const config = { exemptions: [exemption()], today: day(31) };
        expect((await runResource(outbound, openOutbound, config)).violations).toHaveLength(1);
        expect((await runStack(expired, buildStack("eu-dev", compliantStack(false)), config)).violations).toHaveLength(
            1,
        );
    });
    it("a configured today earlier than the run's date revives nothing and is itself a finding", async () => {
        const e = exemption({ expires: day(-1) });
        const config = { exemptions: [e], today: day(-30) };
        expect((await runResource(outbound, openOutbound, config)).violations).toHaveLength(1);
        expect((await runStack(expired, buildStack("eu-dev", compliantStack(false)), config)).violations).toHaveLength(
            1,
        );
        const out = await runStack(invalid, buildStack("eu-dev", compliantStack(false)), config);
        expect(out.violations).toEqual([
            {
                message: `policy config today '${day(-30)}' is before the run's date ${runDate}: exemptions are judged on ${runDate}; a configured date may only move forward. Remove it from the policy config.`,
                urn: undefined,
            },
        ]);
    });
    it("non-exemptable rules take no exemptions: their schema has none, and an entry is a mandatory finding", async () => {
        const local = policy("azure-openai-account-disallow-local-auth");
        expect(local.configSchema?.properties?.exemptions).toBeUndefined();
        const e = exemption({ policy: local.name });
        const weak = {
            ...openOutbound,
            props: { ...account(), properties: { ...account().properties, disableLocalAuth: false } },
        };
        expect((await runResource(local, weak, { exemptions: [e] })).violations).toHaveLength(1);
        const out = await runStack(invalid, buildStack("eu-dev", compliantStack(false)), { exemptions: [e] });
        expect(out.violations).toEqual([
            expect.objectContaining({ message: expect.stringContaining(`policy '${local.name}' is non-exemptable`) }),
        ]);
    });
});

describe("stack-policy exemptions", () => {
    const noDiagnostics = () =>
        buildStack(
            "eu-dev",
            compliantStack(false).filter((f) => f.name !== "openai-diagnostics"),
        );
    it("a covered finding becomes an advisory notice of the exemptions-applied policy on the resource", async () => {
        const e = exemption({ policy: diagnostics.name, name: "openai" });
        const out = await runStack(diagnostics, noDiagnostics(), { exemptions: [e] });
        expect(out.violations).toEqual([
            {
                name: exemptionsAppliedPolicy,
                enforcementLevel: "advisory",
                urn: urnOf("eu-dev", types.account, "openai"),
                message: expect.stringMatching(
                    /^exempted: EX-2026-001 azure-openai-account-enable-audit-diagnostics: /,
                ),
            },
        ]);
    });
    it("an expired one covers nothing: the finding stays a violation, and the expiry policy files it on the resource", async () => {
        const e = exemption({ policy: diagnostics.name, name: "openai", expires: day(-1) });
        const out = await runStack(diagnostics, noDiagnostics(), { exemptions: [e] });
        expect(out.violations).toEqual([
            {
                urn: urnOf("eu-dev", types.account, "openai"),
                message: expect.stringContaining("diagnostic setting is missing"),
            },
        ]);
        expect((await runStack(expired, noDiagnostics(), { exemptions: [e] })).violations).toEqual([
            {
                urn: urnOf("eu-dev", types.account, "openai"),
                message: expect.stringContaining(`exemption EX-2026-001 of ${diagnostics.name} expired on ${day(-1)}`),
            },
        ]);
    });
    it("an uncovered finding stays a violation", async () => {
        expect(
            (
                await runStack(diagnostics, noDiagnostics(), {
                    exemptions: [exemption({ policy: diagnostics.name, name: "law" })],
                })
            ).violations,
        ).toEqual([expect.objectContaining({ message: expect.stringContaining("diagnostic setting is missing") })]);
    });
});

describe("stale exemptions", () => {
    const stack = () => buildStack("eu-dev", compliantStack(false));
    it("reports an exemption that matches no resource of the stack", async () => {
        const out = await runStack(stale, stack(), { exemptions: [exemption({ name: "gone-*" })] });
        expect(out.violations).toEqual([
            expect.objectContaining({ message: expect.stringContaining("matches no resource of stack eu-dev") }),
        ]);
        expect(stale.enforcementLevel).toBe("advisory");
    });
    it("reports an exemption whose policy found nothing to waive on the resources this run analyzed", async () => {
        const e = exemption();
        const compliant = { ...openOutbound, props: account() };
        await runResource(outbound, compliant, { exemptions: [e] });
        const out = await runStack(stale, stack(), { exemptions: [e] });
        expect(out.violations).toEqual([
            {
                urn: urnOf("eu-dev", types.account, "openai"),
                message: expect.stringContaining("found nothing to waive on openai"),
            },
        ]);
    });
    it("does not report an exemption that waived a finding, nor one for another stack", async () => {
        const e = exemption();
        await runResource(outbound, openOutbound, { exemptions: [e] });
        expect(
            (await runStack(stale, stack(), { exemptions: [e, exemption({ id: "EX-2", stack: "us-prod" })] }))
                .violations,
        ).toEqual([]);
    });
    it("forgets what the previous run used: a new run that finds nothing to waive reports it", async () => {
        const e = exemption();
        await runResource(outbound, openOutbound, { exemptions: [e] });
        newRun();
        await runResource(outbound, { ...openOutbound, props: account() }, { exemptions: [e] });
        expect((await runStack(stale, stack(), { exemptions: [e] })).violations).toEqual([
            expect.objectContaining({ message: expect.stringContaining("found nothing to waive") }),
        ]);
    });
    it("does not judge an exemption unused where its policy could not judge the resource (a value unknown in preview)", async () => {
        const e = exemption();
        const unknownFlag = {
            ...openOutbound,
            props: {
                ...account(),
                properties: {
                    ...account().properties,
                    restrictOutboundNetworkAccess: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                },
            },
        };
        expect((await runResource(outbound, unknownFlag, { exemptions: [e] })).notEvaluated).toMatch(
            /restrictOutboundNetworkAccess/,
        );
        expect((await runStack(stale, stack(), { exemptions: [e] })).violations).toEqual([]);
    });
});

describe("invalid exemptions", () => {
    it("refuses unknown policies, missing targets and over-long grants", async () => {
        const out = await runStack(invalid, buildStack("eu-dev", compliantStack(false)), {
            exemptions: [
                exemption({ policy: "azure-openai-nope" }),
                exemption({ id: "EX-2", name: undefined }),
                exemption({ id: "EX-3", expires: day(400) }),
            ],
            maxDays: 365,
        });
        expect(out.violations.map((v) => v.message)).toEqual([
            expect.stringContaining("'azure-openai-nope' is not in this pack"),
            expect.stringContaining("neither urn nor name"),
            expect.stringContaining(`more than 365 days ahead: set an expiry on or before ${day(365)}`),
        ]);
    });
});

describe("exemptions.yaml and the generated policy config", () => {
    const root = path.resolve(__dirname, "../..");
    it("committed policies/config/<profile>.json equal a fresh generation from the catalogue and the register", () => {
        const exemptions = parseExemptions(fs.readFileSync(path.join(root, "policies/exemptions.yaml"), "utf8"));
        for (const id of profileIds) {
            expect(fs.readFileSync(path.join(root, `policies/config/${id}.json`), "utf8")).toBe(
                renderConfig(policyConfigFor(id, exemptions)),
            );
        }
    });
    it("every key of the generated config is a policy of the pack and a property of its schema", () => {
        const config = policyConfigFor("us-hipaa", [exemption()]);
        for (const [name, props] of Object.entries(config)) {
            const p = policy(name);
            for (const key of Object.keys(props)) expect(Object.keys(p.configSchema?.properties ?? {})).toContain(key);
        }
        expect(config[outbound.name].exemptions).toEqual([exemption()]);
        expect(config["azure-openai-exemption-expired"].exemptions).toEqual([exemption()]);
        expect(config["azure-openai-resource-require-tags"].complianceProfile).toBe("us-hipaa");
    });
    it("parses entries and refuses bad ones with the key and what was expected", () => {
        const good = `exemptions:\n  - id: EX-1\n    policy: ${outbound.name}\n    resource: { stack: eu-dev, name: "openai*" }\n    reason: A reason that is long enough.\n    owner: me@contoso.com\n    ticket: SEC-1\n    expires: 2026-03-31\n`;
        expect(parseExemptions(good)).toEqual([
            exemption({
                id: "EX-1",
                reason: "A reason that is long enough.",
                owner: "me@contoso.com",
                ticket: "SEC-1",
                expires: "2026-03-31",
            }),
        ]);
        const bad = good
            .replace(outbound.name, "azure-openai-account-disallow-public-network-access")
            .replace("2026-03-31", "31/03/2026")
            .replace("    ticket: SEC-1\n", "");
        expect(() => parseExemptions(bad)).toThrow(
            /exemptions\[0\]\.policy: .* is non-exemptable[\s\S]*exemptions\[0\]\.expires: '31\/03\/2026' expected a date YYYY-MM-DD[\s\S]*exemptions\[0\]\.ticket: expected a string/,
        );
    });
});

describe("mutation with mutate helper sanity", () => {
    it("mutate copies, never changes the base fixture", () => {
        const base = compliantStack(false);
        mutate(base, "openai", (f) => (f.protect = false));
        expect(base.find((f) => f.name === "openai")?.protect).toBe(true);
    });
});
