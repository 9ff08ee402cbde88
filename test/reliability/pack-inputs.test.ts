/**
 * The gate has no hidden inputs: what the pack decides comes from the engine's requests and the policy config, never
 * from its environment. Proved through real pack processes over the analyzer protocol: a pack started with a hostile
 * environment (an old "today", another stack name, another time zone) answers byte for byte as a clean one, and an
 * expired exemption stays expired whatever the environment or a wound-back `today` config says. Also: a pack
 * process that serves several runs forgets, on each ConfigureStack, which exemptions the last run used. And a static
 * check that no module of the pack reads the environment, and reads the clock only where docs/policies.md says.
 */
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import { types } from "../../catalogue/azure";
import { projectName } from "../../infra/config";
import type * as AnalyzerClientModule from "../../plan/analyzer";
import type * as OutputsModule from "../../plan/provider/outputs";
import type { PlannedResource } from "../../plan/mock-runtime";
import { addDays, Exemption, runDate } from "../../policies/exemptions";
import { flatConfig, rawStackConfig, stackNames } from "../support/stacks";
import { assertBuilt, repoRoot, requireDist, runStack } from "../support/dist";
import { packDir } from "./support/pack";

type Client = AnalyzerClientModule.AnalyzerClient;
type Answer = {
    diagnostics: { policyName: string; message: string; enforcementLevel: string; urn?: string }[];
    notApplicable: { policyName: string; reason: string }[];
};

const outbound = "azure-openai-account-restrict-outbound-access";
const expiredPolicy = "azure-openai-exemption-expired";
const stalePolicy = "azure-openai-exemption-stale";
const invalidPolicy = "azure-openai-exemption-invalid";
const day = (n: number) => addDays(runDate, n);

/** The environment a careless pipeline (or an attacker with a pipeline variable) could hand the pack. */
const hostileEnvironment = {
    AZURE_OPENAI_POLICY_TODAY: day(-400),
    TZ: "Pacific/Kiritimati",
    PULUMI_STACK: "some-other-stack",
    PULUMI_CONFIG: JSON.stringify({ "azure-openai-landing-zone:profile": "eu-gdpr" }),
};

/** The jest worker's own process (what the built analyzer client spawns from), not the test file's sandbox copy. */
const workerProcess = vm.runInThisContext("process") as NodeJS.Process;

async function startPack(stack: string, env: Record<string, string> = {}): Promise<Client> {
    const { AnalyzerClient } = requireDist<typeof AnalyzerClientModule>("plan/analyzer/index.js");
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, workerProcess.env[k]]));
    Object.assign(workerProcess.env, env);
    try {
        return await AnalyzerClient.start({ packDir, project: projectName, stack, preview: false });
    } finally {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete workerProcess.env[k];
            else workerProcess.env[k] = v;
        }
    }
}

let stack: string;
let profile: string;
let resources: PlannedResource[];
let account: PlannedResource;
let clean: Client;
let hostile: Client;

beforeAll(async () => {
    assertBuilt();
    stack = stackNames()[0];
    const raw = rawStackConfig(stack);
    profile = String(raw.profile);
    const run = await runStack(stack, raw, false);
    resources = run.resources;
    account = resources.find((r) => r.type === types.account)!;
    [clean, hostile] = await Promise.all([startPack(stack), startPack(stack, hostileEnvironment)]);
}, 60000);

afterAll(async () => {
    await Promise.all([clean?.close(), hostile?.close()]);
});

/** The stack's resources with the account's outbound access opened (a finding an exemption could waive). */
function withOpenOutbound(open: boolean): PlannedResource[] {
    return resources.map((r) =>
        r.urn !== account.urn || !open
            ? r
            : {
                  ...r,
                  inputs: {
                      ...r.inputs,
                      properties: { ...(r.inputs.properties as object), restrictOutboundNetworkAccess: false },
                  },
              },
    );
}

const exemption = (expires: string): Exemption => ({
    id: "EX-TEST-1",
    policy: outbound,
    stack,
    urn: account.urn,
    reason: "Pilot calls a search service until its FQDN is known.",
    owner: "ai-platform@contoso.com",
    ticket: "SEC-4711",
    expires,
});

/** The committed profile config with the exemption delivered as `npm run policy-config` delivers it, plus `extra` on every policy that takes it. */
function policyConfig(
    client: Client,
    entries: Exemption[],
    extra: Record<string, unknown> = {},
): Promise<AnalyzerClientModule.EffectivePolicyConfig> {
    const { reconcilePolicyConfig } = requireDist<typeof AnalyzerClientModule>("plan/analyzer/index.js");
    const config = JSON.parse(fs.readFileSync(path.join(packDir, "config", `${profile}.json`), "utf8")) as Record<
        string,
        Record<string, unknown>
    >;
    return client.getAnalyzerInfo().then((info) => {
        for (const p of info.policies) {
            const props = p.configSchema?.properties ?? {};
            const wanted = {
                ...(p.name === outbound || p.name.startsWith("azure-openai-exemption-") ? { exemptions: entries } : {}),
                ...extra,
            };
            const accepted = Object.fromEntries(Object.entries(wanted).filter(([k]) => k in props));
            if (Object.keys(accepted).length > 0) config[p.name] = { ...config[p.name], ...accepted };
        }
        return reconcilePolicyConfig(info, config);
    });
}

/**
 * One run as the engine makes it: ConfigureStack, Configure, Analyze of every resource with its inputs, AnalyzeStack
 * with every resource's outputs (computed from the inputs, as the provider returns them); every answer, in order.
 */
async function judge(
    client: Client,
    planned: PlannedResource[],
    config: AnalyzerClientModule.EffectivePolicyConfig,
): Promise<Answer[]> {
    const { engineRequests } = requireDist<typeof AnalyzerClientModule>("plan/analyzer/index.js");
    const { withProviderOutputs } = requireDist<typeof OutputsModule>("plan/provider/outputs.js");
    const requests = engineRequests(
        { project: projectName, stack, resources: withProviderOutputs(planned, false) },
        flatConfig(rawStackConfig(stack)),
    );
    await client.configureStack({ project: projectName, stack, preview: false });
    await client.configure(config);
    const answers: Answer[] = [];
    // Analyze's diagnostics carry no URN on the wire: the resource asked about is theirs.
    for (const r of requests.analyze) {
        const a = await client.analyze(r);
        answers.push({ ...a, diagnostics: a.diagnostics.map((d) => ({ ...d, urn: d.urn ?? r.urn })) });
    }
    answers.push(await client.analyzeStack(requests.analyzeStack));
    return answers;
}

const diagnostics = (answers: Answer[], policy: string) =>
    answers.flatMap((a) => a.diagnostics).filter((d) => d.policyName === policy);
const exemptedNotices = (answers: Answer[]) =>
    answers.flatMap((a) => a.notApplicable).filter((n) => n.reason.startsWith("exempted:"));

describe("no environment variable changes a verdict", () => {
    it("the pack describes itself the same (policies, schemas and their defaults)", async () => {
        expect(await hostile.getAnalyzerInfo()).toEqual(await clean.getAnalyzerInfo());
    });

    it("an exemption that expired yesterday stays expired in a pack whose environment says it is a year earlier, and every answer is the same", async () => {
        const planned = withOpenOutbound(true);
        const [a, b] = await Promise.all([
            policyConfig(clean, [exemption(day(-1))]).then((c) => judge(clean, planned, c)),
            policyConfig(hostile, [exemption(day(-1))]).then((c) => judge(hostile, planned, c)),
        ]);
        expect(diagnostics(a, outbound)).toEqual([
            expect.objectContaining({
                enforcementLevel: "mandatory",
                urn: account.urn,
                message: expect.stringContaining("restrictOutboundNetworkAccess is false"),
            }),
        ]);
        expect(diagnostics(a, expiredPolicy)).toEqual([
            expect.objectContaining({
                enforcementLevel: "mandatory",
                urn: account.urn,
                message: expect.stringContaining(`exemption EX-TEST-1 of ${outbound} expired on ${day(-1)}`),
            }),
        ]);
        expect(exemptedNotices(a)).toEqual([]);
        expect(b).toEqual(a);
    });

    it("the same exemption still valid waives the finding in both packs (the comparison has something to lose)", async () => {
        const planned = withOpenOutbound(true);
        const [a, b] = await Promise.all([
            policyConfig(clean, [exemption(day(1))]).then((c) => judge(clean, planned, c)),
            policyConfig(hostile, [exemption(day(1))]).then((c) => judge(hostile, planned, c)),
        ]);
        expect(diagnostics(a, outbound)).toEqual([]);
        expect(exemptedNotices(a)).toEqual([
            { policyName: outbound, reason: expect.stringMatching(/^exempted: EX-TEST-1 /) },
        ]);
        expect(b).toEqual(a);
    });

    it("a policy config that winds `today` back revives nothing and is itself a mandatory finding", async () => {
        const config = await policyConfig(clean, [exemption(day(-1))], { today: day(-400) });
        const answers = await judge(clean, withOpenOutbound(true), config);
        expect(diagnostics(answers, outbound)).toHaveLength(1);
        expect(diagnostics(answers, expiredPolicy)).toHaveLength(1);
        expect(diagnostics(answers, invalidPolicy)).toEqual([
            expect.objectContaining({
                enforcementLevel: "mandatory",
                message: expect.stringContaining(
                    `policy config today '${day(-400)}' is before the run's date ${runDate}`,
                ),
            }),
        ]);
    });

    it("a policy config that moves `today` past the expiry shows the exemption expired", async () => {
        const config = await policyConfig(clean, [exemption(day(1))], { today: day(2) });
        const answers = await judge(clean, withOpenOutbound(true), config);
        expect(diagnostics(answers, outbound)).toHaveLength(1);
        expect(diagnostics(answers, expiredPolicy)).toHaveLength(1);
        expect(diagnostics(answers, invalidPolicy)).toEqual([]);
    });
});

describe("a pack process that serves several runs", () => {
    it("forgets on ConfigureStack which exemptions the last run used: the next run, with nothing to waive, reports the exemption stale", async () => {
        const config = await policyConfig(clean, [exemption(day(30))]);
        const first = await judge(clean, withOpenOutbound(true), config);
        expect(exemptedNotices(first)).toHaveLength(1);
        expect(diagnostics(first, stalePolicy)).toEqual([]);
        const second = await judge(clean, withOpenOutbound(false), config);
        expect(exemptedNotices(second)).toEqual([]);
        expect(diagnostics(second, stalePolicy)).toEqual([
            expect.objectContaining({
                enforcementLevel: "advisory",
                urn: account.urn,
                message: expect.stringContaining(`exemption EX-TEST-1: ${outbound} found nothing to waive`),
            }),
        ]);
    });
});

describe("what the pack's code reads", () => {
    /** The pack's own modules and what they import from the project (policies/tsconfig.json compiles these into the pack). */
    const packSources = ["policies", "catalogue", "runtime"].flatMap((dir) => {
        const walk = (d: string): string[] =>
            fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
                const p = path.join(d, e.name);
                if (e.isDirectory()) return e.name === "bin" || e.name === "node_modules" ? [] : walk(p);
                return e.name.endsWith(".ts") ? [p] : [];
            });
        return walk(path.join(repoRoot, dir));
    });
    const offenders = (pattern: RegExp, allowed: string[] = []) =>
        packSources
            .filter((f) => !allowed.includes(path.relative(repoRoot, f)))
            .filter((f) => pattern.test(fs.readFileSync(f, "utf8").replace(/^\s*(\/\/|\*).*$/gm, "")))
            .map((f) => path.relative(repoRoot, f));

    it("reads no environment variable and no command-line argument", () => {
        expect(packSources.length).toBeGreaterThan(20);
        expect(offenders(/process\.(env|argv)\b/)).toEqual([]);
    });

    // Each of these reads only the current UTC date, as the default of a `today` the policy config may set; a new
    // clock read anywhere else fails here until docs/policies.md lists it.
    const clockReaders = ["catalogue/budget-period.ts", "catalogue/models.ts", "policies/exemption/clock.ts"];

    it(`reads the clock only in ${clockReaders.join(", ")}`, () => {
        expect(offenders(/\bnew Date\(\s*\)|\bDate\.now\(/).sort()).toEqual(clockReaders);
        const docs = fs.readFileSync(path.join(repoRoot, "docs", "policies.md"), "utf8");
        for (const f of clockReaders) expect(docs).toContain(`\`${f}\``);
    });
});
