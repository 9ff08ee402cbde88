/**
 * The documented client (examples/gateway-client.ts) against a local stand-in of the gateway on 127.0.0.1 (no network):
 * the stand-in checks the bearer token header and the request's shape as the gateway's policy does, and refuses with
 * the very error bodies the generated policy returns (components/gateway-policy.ts).
 */
import * as http from "http";
import { AddressInfo } from "net";
import { azureOpenAiScope, GatewayClient, GatewayError, TokenSource } from "../../examples/gateway-client";
import { errorBody, gatewayErrors, GatewayErrorName } from "../../components/gateway-policy";

const token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.stand-in.signature";
const cap = 4000;
/** What the next request gets, when not a normal answer. */
let refuse: { name: GatewayErrorName; retryAfter?: number } | undefined;
const seen: { path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
let server: http.Server;
let endpoint: string;

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(body);
}

beforeAll(async () => {
    server = http.createServer((req, res) => {
        let raw = "";
        req.on("data", (c) => (raw += c));
        req.on("end", () => {
            const body = JSON.parse(raw || "{}") as Record<string, unknown>;
            seen.push({ path: req.url ?? "", headers: req.headers, body });
            if (req.headers.authorization !== `Bearer ${token}`)
                return send(res, 401, errorBody("callerNotAuthorized"));
            if (
                req.method !== "POST" ||
                !/^\/openai\/deployments\/[^/]+\/chat\/completions\?api-version=\d{4}-\d{2}-\d{2}/.test(req.url ?? "")
            )
                return send(res, 404, JSON.stringify({ statusCode: 404, message: "Resource not found" }));
            const messages = body.messages as { role?: unknown; content?: unknown }[] | undefined;
            if (
                !Array.isArray(messages) ||
                messages.some((m) => typeof m.role !== "string" || typeof m.content !== "string")
            )
                return send(res, 400, JSON.stringify({ error: { code: "invalid_request" } }));
            if (!Number.isInteger(body.max_tokens))
                return send(res, 400, errorBody("maxTokensRequired", { limit: cap }));
            if ((body.max_tokens as number) > cap) return send(res, 400, errorBody("maxTokensOverCap", { limit: cap }));
            if (refuse) {
                const e = gatewayErrors[refuse.name];
                return send(
                    res,
                    e.status,
                    errorBody(refuse.name, { scope: "caller", limit: 2500000 }),
                    refuse.retryAfter ? { "Retry-After": String(refuse.retryAfter) } : {},
                );
            }
            send(
                res,
                200,
                JSON.stringify({
                    choices: [{ index: 0, message: { role: "assistant", content: "Keep keys out of code." } }],
                    usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
                }),
            );
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
    refuse = undefined;
    seen.length = 0;
});

const scopes: (string | string[])[] = [];
const credential: TokenSource = {
    getToken: async (s) => {
        scopes.push(s);
        return { token };
    },
};
const client = () => new GatewayClient({ endpoint, credential });
const ask = [{ role: "user" as const, content: "Explain cloud security in one sentence." }];

describe("gateway client", () => {
    it("calls with a bearer token for Azure OpenAI's audience and the chat completions shape, max_tokens included", async () => {
        const reply = await client().chat("chat-gpt4o", ask, { maxTokens: 500 });
        expect(reply).toEqual({
            content: "Keep keys out of code.",
            usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
        });
        expect(scopes.at(-1)).toBe(azureOpenAiScope);
        expect(seen).toHaveLength(1);
        expect(seen[0].path).toBe("/openai/deployments/chat-gpt4o/chat/completions?api-version=2024-10-21");
        expect(seen[0].headers.authorization).toBe(`Bearer ${token}`);
        expect(seen[0].headers["api-key"]).toBeUndefined();
        expect(seen[0].body).toEqual({ messages: ask, max_tokens: 500 });
    });

    it("surfaces a refusal over the per-request cap with the gateway's code and limit", async () => {
        const error = await client()
            .chat("chat-gpt4o", ask, { maxTokens: cap + 1 })
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GatewayError);
        expect(error).toMatchObject({ status: 400, code: gatewayErrors.maxTokensOverCap.code, limit: cap });
    });

    it.each([
        ["tokenRateExceeded", 429, 7],
        ["dailyQuotaExceeded", 403, 3600],
        ["monthlyQuotaExceeded", 403, 86400],
    ] as const)("surfaces %s (%d) with Retry-After and the caller's scope", async (name, status, retryAfter) => {
        refuse = { name, retryAfter };
        const error = await client()
            .chat("chat-gpt4o", ask, { maxTokens: 100 })
            .catch((e: unknown) => e);
        expect(error).toMatchObject({
            status,
            code: gatewayErrors[name].code,
            retryAfterSeconds: retryAfter,
            scope: "caller",
            limit: 2500000,
        });
        expect((error as Error).message).toBe(`${status} ${gatewayErrors[name].code}: ${gatewayErrors[name].message}`);
    });

    it("is refused with 401 by the stand-in, as by the gateway, without a valid bearer token", async () => {
        const anonymous = new GatewayClient({ endpoint, credential: { getToken: async () => ({ token: "forged" }) } });
        const error = await anonymous.chat("chat-gpt4o", ask, { maxTokens: 100 }).catch((e: unknown) => e);
        expect(error).toMatchObject({ status: 401, code: gatewayErrors.callerNotAuthorized.code });
        await expect(
            new GatewayClient({ endpoint, credential: { getToken: async () => null } }).chat("chat-gpt4o", ask, {
                maxTokens: 1,
            }),
        ).rejects.toThrow("The credential returned no token for Azure OpenAI");
    });
});
