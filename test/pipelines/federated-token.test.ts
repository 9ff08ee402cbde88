import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { main, maskCommand, requestToken, tokenSource } from "../../.github/scripts/federated-token";

const jwt = (n: number) => `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0${n}.c2ln`;

describe("a fresh federated token before each pulumi call", () => {
    let server: http.Server;
    let base: string;
    const seen: { method: string; url: string; auth?: string }[] = [];
    let issued = 0;

    beforeAll(async () => {
        server = http.createServer((req, res) => {
            seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization });
            res.setHeader("content-type", "application/json");
            issued += 1;
            if (req.url!.startsWith("/gh")) res.end(JSON.stringify({ count: 1, value: jwt(issued) }));
            else if (req.url!.startsWith("/ado")) res.end(JSON.stringify({ oidcToken: jwt(issued) }));
            else if (req.url!.startsWith("/denied")) {
                res.statusCode = 403;
                res.end('{"message":"no"}');
            } else res.end(JSON.stringify({ value: "not-a-jwt" }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("on GitHub: GET the job's token URL with Azure's audience and the request token", async () => {
        const source = tokenSource({
            ACTIONS_ID_TOKEN_REQUEST_URL: `${base}/gh?api-version=2.0`,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: "req-token",
        });
        expect(source).toMatchObject({ system: "github", method: "GET", field: "value" });
        const first = await requestToken(source);
        const second = await requestToken(source);
        expect(first).not.toBe(second); // a new token per call, never a cached one
        const call = seen[seen.length - 1];
        expect(call.method).toBe("GET");
        expect(new URL(call.url, base).searchParams.get("audience")).toBe("api://AzureADTokenExchange");
        expect(new URL(call.url, base).searchParams.get("api-version")).toBe("2.0");
        expect(call.auth).toBe("Bearer req-token");
    });

    it("on Azure DevOps: POST the OIDC request URI with the service connection and System.AccessToken", async () => {
        const source = tokenSource({
            SYSTEM_OIDCREQUESTURI: `${base}/ado/oidctoken`,
            SYSTEM_ACCESSTOKEN: "sys",
            AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: "6f1c-conn",
        });
        expect(source).toMatchObject({ system: "azure-devops", method: "POST", field: "oidcToken" });
        await requestToken(source);
        const call = seen[seen.length - 1];
        expect(call.method).toBe("POST");
        const url = new URL(call.url, base);
        expect([url.searchParams.get("api-version"), url.searchParams.get("serviceConnectionId")]).toEqual([
            "7.1",
            "6f1c-conn",
        ]);
        expect(call.auth).toBe("Bearer sys");
    });

    it("names what is missing instead of guessing", () => {
        expect(() => tokenSource({})).toThrow(
            "expected ACTIONS_ID_TOKEN_REQUEST_URL (GitHub Actions) or SYSTEM_OIDCREQUESTURI (Azure DevOps)",
        );
        expect(() => tokenSource({ ACTIONS_ID_TOKEN_REQUEST_URL: "http://x/" })).toThrow(
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set: the job needs `permissions: id-token: write`",
        );
        expect(() => tokenSource({ SYSTEM_OIDCREQUESTURI: "http://x/", SYSTEM_ACCESSTOKEN: "t" })).toThrow(
            "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID is not set",
        );
    });

    it("fails on a refused request or an answer without a JWT", async () => {
        await expect(
            requestToken({ system: "github", url: `${base}/denied`, method: "GET", bearer: "x", field: "value" }),
        ).rejects.toThrow("HTTP 403");
        await expect(
            requestToken({ system: "github", url: `${base}/other`, method: "GET", bearer: "x", field: "value" }),
        ).rejects.toThrow("no JWT in 'value'");
    });

    it("writes the token to a private file and masks it in the log", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "oidc-")), "token");
        const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
        await main(["--out", file], {
            SYSTEM_OIDCREQUESTURI: `${base}/ado`,
            SYSTEM_ACCESSTOKEN: "s",
            AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: "c",
        });
        const token = fs.readFileSync(file, "utf8");
        expect(fs.statSync(file).mode & 0o777).toBe(0o600);
        expect(log).toHaveBeenCalledWith(`##vso[task.setsecret]${token}`);
        log.mockRestore();
        expect(maskCommand("github", "t")).toBe("::add-mask::t");
        await expect(main([], {})).rejects.toThrow("usage: federated-token.js --out <file>");
    });
});
