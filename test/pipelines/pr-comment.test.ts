import * as http from "http";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findMarkedComment, main, parseArgs, previewMarker, renderComment, truncateOutput } from "../../.github/scripts/pr-comment";

const BOT = "github-actions[bot]";
const project = "azure-openai-landing-zone";

describe("pull-request preview comment", () => {
    it("is found by an exact first-line marker, never by a stack sharing a prefix or another author", () => {
        const comments = [
            { id: 1, user: { login: BOT }, body: `${previewMarker(project, "eu-prod-2")}\nother stack` },
            { id: 2, user: { login: "mallory" }, body: `${previewMarker(project, "eu-prod")}\nforged` },
            { id: 3, user: { login: BOT }, body: `quoted: ${previewMarker(project, "eu-prod")}` },
            { id: 4, user: { login: BOT }, body: `${previewMarker(project, "eu-prod")}\r\nthe one` },
        ];
        expect(findMarkedComment(comments, previewMarker(project, "eu-prod"), BOT)?.id).toBe(4);
        expect(findMarkedComment(comments, previewMarker(project, "eu"), BOT)).toBeUndefined();
        expect(findMarkedComment(comments, previewMarker("other-project", "eu-prod-2"), BOT)).toBeUndefined();
    });

    it("starts with the marker, states the outcome and cannot be broken out of its code block", () => {
        const body = renderComment({ project, stack: "eu-prod", outcome: "failure", output: "x\n```\n## injected", sha: "0123456789abcdef" });
        expect(body.split("\n")[0]).toBe(previewMarker(project, "eu-prod"));
        expect(body).toContain("❌ `pulumi preview` of stack `eu-prod` ended with 'failure'");
        expect(body).toContain("`0123456789ab`");
        expect(body.match(/^```/gm)).toHaveLength(2);
    });

    it("keeps the end of long output under GitHub's comment limit", () => {
        const long = "a".repeat(70000) + "SUMMARY";
        const cut = truncateOutput(long);
        expect(cut.endsWith("SUMMARY")).toBe(true);
        expect(cut.length).toBeLessThan(60200);
        expect(renderComment({ project, stack: "s", outcome: "success", output: long }).length).toBeLessThan(65536);
    });

    it("rejects unknown or missing arguments by name", () => {
        expect(() => parseArgs(["--stack", "a", "--outcome", "success"])).toThrow("missing --file");
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

        it("follows pagination and edits the stack's own comment in place", async () => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "preview-")), "preview.txt");
            fs.writeFileSync(file, "Resources:\n    + 12 to create\n");
            const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
            await main(["--stack", "eu-prod", "--outcome", "success", "--file", file], {
                GITHUB_TOKEN: "t",
                GITHUB_REPOSITORY: "o/r",
                PR_NUMBER: "7",
                GITHUB_API_URL: api,
            });
            log.mockRestore();
            expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
                "GET /repos/o/r/issues/7/comments?per_page=100",
                "GET /repos/o/r/issues/7/comments?per_page=100&page=2",
                "PATCH /repos/o/r/issues/comments/11",
            ]);
            expect(JSON.parse(requests[2].body).body).toContain("+ 12 to create");
        });

        it("creates a comment for a stack that has none yet", async () => {
            requests.length = 0;
            const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
            await main(["--stack", "us-prod", "--outcome", "failure", "--file", "/nonexistent"], {
                GITHUB_TOKEN: "t",
                GITHUB_REPOSITORY: "o/r",
                PR_NUMBER: "7",
                GITHUB_API_URL: api,
            });
            log.mockRestore();
            expect(requests[requests.length - 1].method).toBe("POST");
            expect(requests[requests.length - 1].url).toBe("/repos/o/r/issues/7/comments");
            expect(JSON.parse(requests[requests.length - 1].body).body).toContain("(no output: /nonexistent was not written)");
        });

        it("names a missing environment variable", async () => {
            await expect(main(["--stack", "a", "--outcome", "success", "--file", "f"], { GITHUB_REPOSITORY: "o/r", PR_NUMBER: "7" })).rejects.toThrow(
                "environment variable GITHUB_TOKEN is not set",
            );
        });
    });
});
