import * as http from "http";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    cell,
    findMarkedComment,
    main,
    parseArgs,
    previewMarker,
    renderPreviewComment,
    renderRulesComment,
    rulesMarker,
    validateSummary,
} from "../../.github/scripts/pr-comment";
import { summarize } from "../../.github/scripts/preview-summary";
import type { PreviewSummary } from "../../.github/scripts/preview-summary";

const BOT = "github-actions[bot]";
const project = "azure-openai-landing-zone";

/** An engine event log as `pulumi preview --event-log` writes it (apitype.EngineEvent per line). */
const eventLog = [
    { sequence: 0, timestamp: 1, preludeEvent: { config: { "azure-openai-landing-zone:profile": "eu-gdpr" } } },
    {
        sequence: 1,
        timestamp: 1,
        resourcePreEvent: {
            metadata: {
                op: "create",
                urn: "urn:pulumi:eu-dev::p::azure-native:cognitiveservices:Deployment::d",
                type: "azure-native:cognitiveservices:Deployment",
                old: null,
                new: { inputs: { sku: { capacity: 10 } } },
            },
            planning: true,
        },
    },
    {
        sequence: 2,
        timestamp: 1,
        policyEvent: {
            resourceUrn: "urn:pulumi:eu-dev::p::azure-native:cognitiveservices:Account::eu-dev-openai",
            message: "eu-dev-openai: publicNetworkAccess 'Enabled': set it to Disabled",
            color: "never",
            policyName: "azure-openai-account-disallow-public-network-access",
            policyPackName: "azure-openai",
            policyPackVersion: "0.1.0",
            policyPackVersionTag: "0.1.0",
            enforcementLevel: "mandatory",
        },
    },
    { sequence: 3, timestamp: 1, diagnosticEvent: { message: "preview failed", color: "never", severity: "error" } },
    {
        sequence: 4,
        timestamp: 2,
        summaryEvent: {
            maybeCorrupt: false,
            durationSeconds: 12,
            resourceChanges: { create: 3, same: 40, update: 1 },
            PolicyPacks: { "azure-openai": "v0.1.0" },
            isPreview: true,
        },
    },
]
    .map((e) => JSON.stringify(e))
    .join("\n");

describe("the public-repository-safe preview summary", () => {
    it("counts operations from the engine's summary and lists every policy violation, with no property values", () => {
        const s = summarize(eventLog, { stack: "eu-dev", outcome: "failure" });
        expect(s.changes).toEqual({ create: 3, same: 40, update: 1 });
        expect(s.complete).toBe(true);
        expect(s.violations).toEqual([
            {
                policy: "azure-openai-account-disallow-public-network-access",
                pack: "azure-openai",
                level: "mandatory",
                resource: "eu-dev-openai",
                message: "eu-dev-openai: publicNetworkAccess 'Enabled': set it to Disabled",
            },
        ]);
        expect(s.errors).toBe(1);
        expect(JSON.stringify(s)).not.toContain("capacity");
    });

    it("falls back to the steps seen when the preview stopped before its summary, and rejects a line that is not JSON", () => {
        const partial = eventLog.split("\n").slice(0, 2).join("\n");
        expect(summarize(partial, { stack: "s", outcome: "failure" })).toMatchObject({
            changes: { create: 1 },
            complete: false,
        });
        expect(() => summarize("{}\nnot json", { stack: "s", outcome: "failure" })).toThrow(
            "event log line 2: not JSON",
        );
    });
});

describe("pull-request comments", () => {
    const summary: PreviewSummary = summarize(eventLog, { stack: "eu-prod", outcome: "failure" });

    it("are found by an exact first-line marker, never by a stack sharing a prefix or another author", () => {
        const comments = [
            { id: 1, user: { login: BOT }, body: `${previewMarker(project, "eu-prod-2")}\nother stack` },
            { id: 2, user: { login: "mallory" }, body: `${previewMarker(project, "eu-prod")}\nforged` },
            { id: 3, user: { login: BOT }, body: `quoted: ${previewMarker(project, "eu-prod")}` },
            { id: 4, user: { login: BOT }, body: `${previewMarker(project, "eu-prod")}\r\nthe one` },
            { id: 5, user: { login: BOT }, body: `${rulesMarker(project)}\nrules` },
        ];
        expect(findMarkedComment(comments, previewMarker(project, "eu-prod"), BOT)?.id).toBe(4);
        expect(findMarkedComment(comments, previewMarker(project, "eu"), BOT)).toBeUndefined();
        expect(findMarkedComment(comments, rulesMarker(project), BOT)?.id).toBe(5);
    });

    it("show counts and violations, never a diff, and say which rules judged the preview", () => {
        const body = renderPreviewComment({ project, summary, sha: "0123456789abcdef" });
        expect(body.split("\n")[0]).toBe(previewMarker(project, "eu-prod"));
        expect(body).toContain("❌ `pulumi preview` of stack `eu-prod` ended with 'failure'");
        expect(body).toContain("| create | 3 |");
        expect(body).not.toContain("| same |");
        expect(body).toContain("**Policy violations: 1**");
        expect(body).toContain("azure-openai-account-disallow-public-network-access");
        expect(body).toContain("judged by this pull request's policy pack");
        expect(body).not.toMatch(/^```/m);
    });

    it("treat the artifact as untrusted: markup is escaped, bad shapes are refused by key", () => {
        const hostile = {
            ...summary,
            violations: [
                {
                    policy: "p",
                    pack: "x",
                    level: "mandatory",
                    resource: "r",
                    message: "| @admins <img src=x> `code` [link](http://e)",
                },
            ],
        };
        const body = renderPreviewComment({ project, summary: hostile });
        expect(body).not.toContain("<img");
        expect(body).not.toContain("@admins");
        expect(cell("a|b")).toBe("a\\|b");
        expect(() => validateSummary({ ...summary, stack: "x\n## injected" })).toThrow(
            "summary.stack: expected a plain word",
        );
        expect(() => validateSummary({ ...summary, changes: { destroy: 1 } })).toThrow("summary.changes.destroy");
        expect(() => validateSummary({ ...summary, violationCount: -1 })).toThrow("summary.violationCount");
    });

    it("post the rules verdict under its own marker, without hidden markers or mentions from the artifact", () => {
        const body = renderRulesComment({
            project,
            markdown: `${previewMarker(project, "eu-prod")}\n## Rules\n@org/team please`,
        });
        expect(body.split("\n")[0]).toBe(rulesMarker(project));
        expect(body).not.toContain("azure-openai-preview:");
        expect(body).toContain("@\u200borg/team");
    });

    it("reject unknown or missing arguments by name", () => {
        expect(() => parseArgs(["--kind", "preview", "--stack", "a"])).toThrow("missing --summary");
        expect(() => parseArgs(["--kind", "diff", "--file", "f"])).toThrow("--kind: expected one of preview, rules");
        expect(() => parseArgs(["--stak", "a"])).toThrow("unexpected argument '--stak'");
    });

    describe("against a GitHub API double", () => {
        let server: http.Server;
        let api: string;
        const requests: { method: string; url: string; body: string }[] = [];
        const comments = [
            { id: 10, user: { login: BOT }, body: `${previewMarker(project, "eu-prod-2")}\nold` },
            { id: 11, user: { login: BOT }, body: `${previewMarker(project, "eu-prod")}\nold` },
        ];
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "comment-"));
        const env = () => ({ GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "o/r", PR_NUMBER: "7", GITHUB_API_URL: api });

        beforeAll(async () => {
            server = http.createServer((req, res) => {
                let body = "";
                req.on("data", (c) => (body += c));
                req.on("end", () => {
                    requests.push({ method: req.method!, url: req.url!, body });
                    const page = new URL(req.url!, "http://x").searchParams.get("page");
                    res.setHeader("content-type", "application/json");
                    if (req.method === "GET" && !page) {
                        res.setHeader("link", `<${api}/repos/o/r/issues/7/comments?per_page=100&page=2>; rel="next"`);
                        res.end(JSON.stringify([comments[0]]));
                    } else if (req.method === "GET") res.end(JSON.stringify([comments[1]]));
                    else res.end(JSON.stringify({ id: 99 }));
                });
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
        });
        afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
        beforeEach(() => {
            requests.length = 0;
            jest.spyOn(console, "log").mockImplementation(() => undefined);
        });
        afterEach(() => jest.restoreAllMocks());

        it("follows pagination and edits the stack's own comment in place", async () => {
            const file = path.join(dir, "eu-prod.json");
            fs.writeFileSync(file, JSON.stringify(summary));
            await main(["--kind", "preview", "--stack", "eu-prod", "--summary", file], env());
            expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
                "GET /repos/o/r/issues/7/comments?per_page=100",
                "GET /repos/o/r/issues/7/comments?per_page=100&page=2",
                "PATCH /repos/o/r/issues/comments/11",
            ]);
            expect(JSON.parse(requests[2].body).body).toContain("| create | 3 |");
        });

        it("creates a comment for a stack that has none yet, reporting a missing summary as not run", async () => {
            await main(["--kind", "preview", "--stack", "us-prod", "--summary", "/nonexistent"], env());
            expect(requests[requests.length - 1]).toMatchObject({
                method: "POST",
                url: "/repos/o/r/issues/7/comments",
            });
            expect(JSON.parse(requests[requests.length - 1].body).body).toContain("ended with 'not-run'");
        });

        it("refuses a summary made for another stack, and names a missing environment variable", async () => {
            const file = path.join(dir, "other.json");
            fs.writeFileSync(file, JSON.stringify(summary));
            await expect(main(["--kind", "preview", "--stack", "us-prod", "--summary", file], env())).rejects.toThrow(
                "summary is for stack 'eu-prod', not 'us-prod'",
            );
            await expect(
                main(["--kind", "rules", "--file", file], { GITHUB_REPOSITORY: "o/r", PR_NUMBER: "7" }),
            ).rejects.toThrow("environment variable GITHUB_TOKEN is not set");
        });
    });
});
