/**
 * Calling the governed AI gateway from an application, with the application's managed identity: a bearer token for
 * Azure OpenAI's audience, the Azure OpenAI chat completions request, an explicit `max_tokens` (the gateway refuses a
 * completion without one), and the gateway's refusals surfaced as errors that say what was refused and when to retry.
 *
 * In an application (Node.js 20, `npm install @azure/identity`):
 *
 *     import { ManagedIdentityCredential } from "@azure/identity";
 *     const client = new GatewayClient({
 *         endpoint: "https://apim-contoso-weu-2ebdae.azure-api.net",        // stack output gatewayUrl
 *         credential: new ManagedIdentityCredential({ clientId: "<appIdentityClientIds[app]>" }),
 *     });
 *     const reply = await client.chat("chat-gpt4o", [{ role: "user", content: "Explain cloud security in one sentence." }], { maxTokens: 500 });
 */

/** What the client needs of a credential: @azure/identity's credentials (ManagedIdentityCredential, ...) have this shape. */
export interface TokenSource {
    getToken(scopes: string | string[]): Promise<{ token: string } | null>;
}

export interface ChatMessage {
    role: "system" | "user" | "assistant";
    content: string;
}

export interface ChatReply {
    content: string;
    usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** The Entra ID scope of Azure OpenAI: the gateway validates tokens for this audience. */
export const azureOpenAiScope = "https://cognitiveservices.azure.com/.default";

/** A refusal of the gateway (or of the model behind it), with the gateway's error code and when to retry. */
export class GatewayError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        /** Seconds the gateway asks the caller to wait (429 and quota refusals), when it says. */
        readonly retryAfterSeconds?: number,
        /** Whether the stack's limit or this caller's share of it was reached. */
        readonly scope?: "stack" | "caller",
        /** The limit that refused the request, in tokens. */
        readonly limit?: number,
    ) {
        super(`${status} ${code}: ${message}`);
        this.name = "GatewayError";
    }
}

export class GatewayClient {
    constructor(private readonly options: { endpoint: string; credential: TokenSource; apiVersion?: string }) {}

    /** One chat completion through the gateway; `maxTokens` is required and must be within the stack's per-request cap. */
    async chat(
        deployment: string,
        messages: ChatMessage[],
        { maxTokens, temperature }: { maxTokens: number; temperature?: number },
    ): Promise<ChatReply> {
        const token = await this.options.credential.getToken(azureOpenAiScope);
        if (!token) throw new Error("The credential returned no token for Azure OpenAI");
        const url = new URL(
            `/openai/deployments/${encodeURIComponent(deployment)}/chat/completions`,
            this.options.endpoint,
        );
        url.searchParams.set("api-version", this.options.apiVersion ?? "2024-10-21");
        const response = await fetch(url, {
            method: "POST",
            headers: { Authorization: `Bearer ${token.token}`, "Content-Type": "application/json" },
            body: JSON.stringify({
                messages,
                max_tokens: maxTokens,
                ...(temperature === undefined ? {} : { temperature }),
            }),
        });
        const body = (await response.json().catch(() => ({}))) as {
            error?: { code?: string; message?: string; scope?: "stack" | "caller"; limit?: number };
            message?: string;
            choices?: { message: { content: string } }[];
            usage?: ChatReply["usage"];
        };
        if (!response.ok) {
            const retry = response.headers.get("retry-after");
            throw new GatewayError(
                response.status,
                body.error?.code ?? "gateway_error",
                body.error?.message ?? body.message ?? response.statusText,
                retry === null ? undefined : Number(retry),
                body.error?.scope,
                body.error?.limit,
            );
        }
        return {
            content: body.choices?.[0]?.message.content ?? "",
            usage: body.usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        };
    }
}
