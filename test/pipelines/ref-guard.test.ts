import * as http from "http";
import { main } from "../../.github/scripts/ref-guard";

const head = "a".repeat(40);
const older = "b".repeat(40);
const branch = "c".repeat(40);

describe("deploy only main's head, release only from main", () => {
    let server: http.Server;
    let base: string;
    const auth: string[] = [];

    beforeAll(async () => {
        server = http.createServer((req, res) => {
            auth.push(String(req.headers.authorization));
            res.setHeader("content-type", "application/json");
            const url = new URL(req.url!, "http://x");
            const compare = /^\/repos\/o\/r\/compare\/([0-9a-f]{40})\.\.\.main$/.exec(url.pathname);
            if (url.pathname === "/repos/o/r/git/ref/heads/main")
                res.end(JSON.stringify({ ref: "refs/heads/main", object: { sha: head, type: "commit" } }));
            else if (compare)
                res.end(
                    JSON.stringify({
                        status: compare[1] === head ? "identical" : compare[1] === older ? "ahead" : "diverged",
                    }),
                );
            else if (
                url.pathname === "/org/proj/_apis/git/repositories/repo-id/refs" &&
                url.searchParams.get("filter") === "heads/main"
            ) {
                res.end(JSON.stringify({ count: 1, value: [{ name: "refs/heads/main", objectId: head }] }));
            } else {
                res.statusCode = 404;
                res.end("{}");
            }
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const gh = (sha: string) => ({
        GITHUB_ACTIONS: "true",
        GITHUB_API_URL: base,
        GITHUB_REPOSITORY: "o/r",
        GITHUB_SHA: sha,
        GITHUB_TOKEN: "t",
    });
    const ado = (sha: string) => ({
        TF_BUILD: "True",
        SYSTEM_COLLECTIONURI: `${base}/org/`,
        SYSTEM_TEAMPROJECT: "proj",
        BUILD_REPOSITORY_ID: "repo-id",
        BUILD_SOURCEVERSION: sha,
        SYSTEM_ACCESSTOKEN: "s",
    });

    beforeEach(() => jest.spyOn(console, "log").mockImplementation(() => undefined));
    afterEach(() => jest.restoreAllMocks());

    it("lets main's head deploy and stops an older commit (a re-run or a queued run) before any update", async () => {
        await expect(main(["main-head"], gh(head))).resolves.toBeUndefined();
        await expect(main(["main-head"], gh(older))).rejects.toThrow(
            `this run is for ${older.slice(0, 12)} but main is now at ${head.slice(0, 12)}`,
        );
        expect(auth).toContain("Bearer t");
    });

    it("does the same on Azure Repos", async () => {
        await expect(main(["main-head"], ado(head))).resolves.toBeUndefined();
        await expect(main(["main-head"], ado(older))).rejects.toThrow("only main's head is deployed");
        expect(auth).toContain("Bearer s");
    });

    it("releases from a commit on main (its head or older), never from a branch that main does not contain", async () => {
        await expect(main(["on-main"], gh(head))).resolves.toBeUndefined();
        await expect(main(["on-main"], gh(older))).resolves.toBeUndefined();
        await expect(main(["on-main"], gh(branch))).rejects.toThrow(`${branch.slice(0, 12)} is not on main`);
    });

    it("refuses bad usage, a short SHA and a missing token, by name", async () => {
        await expect(main(["deploy"], gh(head))).rejects.toThrow("usage: ref-guard.js main-head|on-main");
        await expect(main(["main-head"], gh("abc"))).rejects.toThrow("not a full SHA");
        await expect(main(["main-head"], { ...gh(head), GITHUB_TOKEN: "" })).rejects.toThrow("GITHUB_TOKEN is not set");
        await expect(main(["main-head"], {})).rejects.toThrow("cannot ask the repository host");
    });
});
