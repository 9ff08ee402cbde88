/**
 * The generated gateway policy, read back with the pack's own XML reader (policies/gateway-xml.ts): elements, attributes
 * and values as the policy reference pages name them, values from the token limits, a JSON body for every refusal.
 */
import { cognitiveServicesResource, perRequestCapConvention, tokenQuotaPeriods } from "../../catalogue/gateway";
import { gatewayTokenLimits } from "../../catalogue/gateway-limits";
import {
    errorBody,
    gatewayErrors,
    GatewayPolicyConfig,
    gatewayPolicyDocument,
    gatewayPolicyXml,
    limiterIds,
    renderPolicyXml,
    XmlElement,
} from "../../components/gateway-policy";
import { descendants, parsePolicy, PolicyElement, section } from "../../policies/gateway-xml";

const limits = gatewayTokenLimits(
    { dailyUsd: 100, monthlyUsd: 2000, perRequestTokens: 4000, perCallerPercent: 25 },
    [{ name: "chat", model: "m", sku: "Standard", capacity: 60 }],
    { m: 0.01 },
);
const config = (overrides: Partial<GatewayPolicyConfig> = {}): GatewayPolicyConfig => ({
    counterPrefix: "contoso-weu",
    tenantNamedValue: "gateway-tenant-id",
    audiences: [cognitiveServicesResource],
    callers: [
        { namedValue: "caller-chat-api", team: "customer-care" },
        { namedValue: "caller-indexer", team: "knowledge" },
    ],
    limits,
    backendResource: cognitiveServicesResource,
    backendId: "openai-pool",
    completionOperations: ["chat-completions", "completions"],
    privateEndpointOnly: true,
    metricNamespace: "azure-openai-gateway",
    ...overrides,
});

const doc = parsePolicy(gatewayPolicyXml(config()));
const inbound = section(doc, "inbound");
const byName = (elements: PolicyElement[], name: string) => elements.filter((e) => e.name === name);
const limiter = (id: string) => byName(inbound, "llm-token-limit").find((e) => e.attributes.id === id)!;
/** The status and JSON body of the refusal under a `when`. */
function refusalOf(when: PolicyElement) {
    const response = when.children.find((c) => c.name === "return-response")!;
    const status = Number(response.children.find((c) => c.name === "set-status")?.attributes.code);
    const headers = Object.fromEntries(
        response.children.filter((c) => c.name === "set-header").map((h) => [h.attributes.name, h.children[0]?.text]),
    );
    return {
        status,
        headers,
        body: JSON.parse(response.children.find((c) => c.name === "set-body")!.text) as {
            error: Record<string, unknown>;
        },
    };
}

describe("gateway policy document", () => {
    it("is a well-formed <policies> document with the four sections in order, inheriting the global policy in each", () => {
        expect(doc.children.map((c) => c.name)).toEqual(["inbound", "backend", "outbound", "on-error"]);
        for (const s of doc.children) expect(s.children.some((c) => c.name === "base")).toBe(true);
        expect(inbound[0].name).toBe("base");
    });

    it("drops any api-key header, refuses calls that do not come through the private endpoint, then validates the caller's Entra ID token", () => {
        const names = inbound.map((e) => e.name);
        expect(names.slice(0, 4)).toEqual(["base", "set-header", "choose", "validate-azure-ad-token"]);
        expect(inbound[1].attributes).toEqual({ name: "api-key", "exists-action": "delete" });
        const guard = inbound[2].children[0];
        expect(guard.attributes.condition).toBe("@(context.Request.PrivateEndpointConnection == null)");
        expect(refusalOf(guard)).toMatchObject({ status: 403, body: { error: { code: "private_endpoint_required" } } });
        const validate = inbound[3];
        expect(validate.attributes).toMatchObject({
            "tenant-id": "{{gateway-tenant-id}}",
            "header-name": "Authorization",
            "failed-validation-httpcode": "401",
            "output-token-variable-name": "caller-token",
        });
        // Element order of the policy statement (validate-azure-ad-token-policy.md): client-application-ids, then audiences.
        expect(validate.children.map((c) => c.name)).toEqual(["client-application-ids", "audiences"]);
        expect(validate.children[0].children.map((c) => c.text)).toEqual(["{{caller-chat-api}}", "{{caller-indexer}}"]);
        expect(validate.children[1].children.map((c) => c.text)).toEqual([cognitiveServicesResource]);
    });

    it("charges each admitted caller to its team, by the named value holding its client id", () => {
        const team = byName(inbound, "set-variable").find((v) => v.attributes.name === "caller-team")!.attributes.value;
        expect(team).toContain('case "{{caller-chat-api}}": return "customer-care";');
        expect(team).toContain('case "{{caller-indexer}}": return "knowledge";');
        const caller = byName(inbound, "set-variable").find((v) => v.attributes.name === "caller-id")!.attributes.value;
        expect(caller).toContain(
            'jwt.Claims.GetValueOrDefault("appid", jwt.Claims.GetValueOrDefault("azp", "unknown"))',
        );
    });

    it("has six token counters: stack-wide and per caller, per minute, day and month, with the limits' values", () => {
        const expected = {
            [limiterIds.stackPerMinute]: {
                "counter-key": "contoso-weu:stack:minute",
                "tokens-per-minute": String(limits.tokens.perMinute),
            },
            [limiterIds.stackDaily]: {
                "counter-key": "contoso-weu:stack:day",
                "token-quota": String(limits.tokens.daily),
                "token-quota-period": "Daily",
            },
            [limiterIds.stackMonthly]: {
                "counter-key": "contoso-weu:stack:month",
                "token-quota": String(limits.tokens.monthly),
                "token-quota-period": "Monthly",
            },
            [limiterIds.callerPerMinute]: { "tokens-per-minute": String(limits.perCaller.perMinute) },
            [limiterIds.callerDaily]: { "token-quota": String(limits.perCaller.daily), "token-quota-period": "Daily" },
            [limiterIds.callerMonthly]: {
                "token-quota": String(limits.perCaller.monthly),
                "token-quota-period": "Monthly",
            },
        };
        expect(byName(inbound, "llm-token-limit").map((e) => e.attributes.id)).toEqual(Object.keys(expected));
        for (const [id, attributes] of Object.entries(expected)) {
            expect(limiter(id).attributes).toMatchObject({
                ...attributes,
                "estimate-prompt-tokens": "true",
                "retry-after-variable-name": "retry-after",
            });
            if (limiter(id).attributes["token-quota-period"])
                expect(tokenQuotaPeriods).toContain(limiter(id).attributes["token-quota-period"]);
        }
        for (const id of [limiterIds.callerPerMinute, limiterIds.callerDaily, limiterIds.callerMonthly]) {
            expect(limiter(id).attributes["counter-key"]).toBe(
                `@("contoso-weu:caller:" + (string)context.Variables["caller-id"] + ":${id.includes("minute") ? "minute" : id.includes("daily") ? "day" : "month"}")`,
            );
        }
        expect(limiter(limiterIds.stackPerMinute).attributes["tokens-consumed-variable-name"]).toBe(
            "estimated-prompt-tokens",
        );
    });

    it("caps every request: max_tokens required on completions and at most the cap, prompt estimate plus max_tokens at most the cap", () => {
        const cap = byName(inbound, "set-variable").find(
            (v) => v.attributes.name === perRequestCapConvention.variable,
        )!;
        expect(cap.attributes.value).toBe(`@(${limits.tokens.perRequest})`);
        const whens = byName(inbound, "choose")
            .flatMap((c) => c.children)
            .filter((w) => w.attributes.condition?.includes("requested-completion-tokens"));
        expect(whens.map((w) => refusalOf(w).body.error.code)).toEqual(["max_tokens_required", "max_tokens_over_cap"]);
        expect(whens[0].attributes.condition).toContain(
            'new[] { "chat-completions", "completions" }.Contains(context.Operation.Id)',
        );
        expect(whens[1].attributes.condition).toBe(
            `@((int)context.Variables["requested-completion-tokens"] > (int)context.Variables["${perRequestCapConvention.variable}"])`,
        );
        const backendWhen = descendants(section(doc, "backend")).find((e) => e.name === "when")!;
        expect(backendWhen.attributes.condition).toContain(
            'context.Variables.GetValueOrDefault<int>("estimated-prompt-tokens", 0)',
        );
        expect(refusalOf(backendWhen)).toMatchObject({
            status: 400,
            headers: { "Content-Type": "application/json" },
            body: { error: { code: "request_over_token_cap", limit: 4000 } },
        });
        // The backend section checks before it forwards: <base/> (the global forward-request) comes last.
        expect(section(doc, "backend").map((e) => e.name)).toEqual(["choose", "base"]);
        const requested = byName(inbound, "set-variable").find(
            (v) => v.attributes.name === "requested-completion-tokens",
        )!.attributes.value;
        expect(requested).toContain('new[] { "max_tokens", "max_completion_tokens" }');
    });

    it("emits token metrics per caller, team and deployment, then calls the backend with its managed identity", () => {
        const metric = byName(inbound, "llm-emit-token-metric")[0];
        expect(metric.attributes.namespace).toBe("azure-openai-gateway");
        expect(metric.children.map((d) => d.attributes.name)).toEqual(["Caller", "Team", "Deployment", "API ID"]);
        expect(metric.children.length).toBeLessThanOrEqual(5); // "at most 5 custom dimensions" (llm-emit-token-metric-policy.md)
        expect(byName(inbound, "authentication-managed-identity")[0].attributes).toEqual({
            resource: cognitiveServicesResource,
        });
        expect(inbound.slice(-2).map((e) => e.name)).toEqual([
            "authentication-managed-identity",
            "set-backend-service",
        ]);
        expect(inbound[inbound.length - 1].attributes).toEqual({ "backend-id": "openai-pool" });
    });

    it("answers every tripped counter with its status, a JSON body naming the limit and scope, and Retry-After", () => {
        const whens = descendants(section(doc, "on-error")).filter((e) => e.name === "when");
        const byPolicy = Object.fromEntries(
            whens.map((w) => [
                /PolicyId == "([^"]+)"/.exec(w.attributes.condition)?.[1] ?? w.attributes.condition,
                refusalOf(w),
            ]),
        );
        const expected: [string, number, string, string, number][] = [
            [limiterIds.stackPerMinute, 429, "token_rate_exceeded", "stack", limits.tokens.perMinute],
            [limiterIds.callerPerMinute, 429, "token_rate_exceeded", "caller", limits.perCaller.perMinute],
            [limiterIds.stackDaily, 403, "daily_token_quota_exceeded", "stack", limits.tokens.daily],
            [limiterIds.callerDaily, 403, "daily_token_quota_exceeded", "caller", limits.perCaller.daily],
            [limiterIds.stackMonthly, 403, "monthly_token_quota_exceeded", "stack", limits.tokens.monthly],
            [limiterIds.callerMonthly, 403, "monthly_token_quota_exceeded", "caller", limits.perCaller.monthly],
        ];
        for (const [id, status, code, scope, limit] of expected) {
            expect(byPolicy[id]).toMatchObject({
                status,
                body: { error: { code, scope, limit, type: "gateway_policy" } },
            });
            expect(byPolicy[id].headers["Retry-After"]).toBe(
                '@(context.Variables.GetValueOrDefault<int>("retry-after", 60).ToString())',
            );
        }
        expect(byPolicy['@(context.LastError.Source == "validate-azure-ad-token")']).toMatchObject({
            status: 401,
            body: { error: { code: "caller_not_authorized" } },
        });
    });

    it("leaves out the private-endpoint guard only where the profile allows public inbound", () => {
        const open = section(parsePolicy(gatewayPolicyXml(config({ privateEndpointOnly: false }))), "inbound");
        expect(descendants(open).some((e) => e.attributes.condition?.includes("PrivateEndpointConnection"))).toBe(
            false,
        );
    });

    it("escapes through the XML builder: expressions read back exactly as written", () => {
        const walk = (e: XmlElement): XmlElement[] => [e, ...(e.children ?? []).flatMap(walk)];
        const inboundTree = (gatewayPolicyDocument(config()).children ?? []).find((c) => c.name === "inbound")!;
        const written = walk(inboundTree)
            .map((e) => e.attributes?.value)
            .filter((v): v is string => typeof v === "string");
        const read = descendants(inbound)
            .map((e) => e.attributes.value)
            .filter(Boolean);
        expect(written.length).toBeGreaterThan(4);
        expect(read).toEqual(written);
        expect(
            renderPolicyXml({
                name: "policies",
                children: [
                    {
                        name: "inbound",
                        children: [{ name: "set-variable", attributes: { name: "x", value: '@("<a>" + "&")' } }],
                    },
                ],
            }),
        ).toContain('value="@(&quot;&lt;a&gt;&quot; + &quot;&amp;&quot;)"');
    });

    it("refuses configuration that would not be safe inside the policy's C# literals, naming each field", () => {
        expect(() => gatewayPolicyXml(config({ counterPrefix: "Contoso WEU" }))).toThrow(
            "counterPrefix: 'Contoso WEU' expected lower-case letters",
        );
        expect(() =>
            gatewayPolicyXml(config({ callers: [{ namedValue: "caller-x", team: 'a"; return "b' }] })),
        ).toThrow("callers[0].team");
        expect(() =>
            gatewayPolicyXml(
                config({
                    callers: [
                        { namedValue: "caller-x", team: "a" },
                        { namedValue: "caller-x", team: "b" },
                    ],
                }),
            ),
        ).toThrow("callers[1].namedValue: duplicate 'caller-x'");
        expect(() => gatewayPolicyXml(config({ callers: [] }))).toThrow(
            "callers: expected at least one admitted caller",
        );
        expect(() =>
            gatewayPolicyXml(config({ limits: { ...limits, tokens: { ...limits.tokens, daily: 0 } } })),
        ).toThrow("limits.daily: 0 expected a positive whole number");
    });
});

describe("gateway error bodies", () => {
    it.each(Object.keys(gatewayErrors) as (keyof typeof gatewayErrors)[])(
        "%s: OpenAI's error envelope with the gateway's code",
        (name) => {
            const body = JSON.parse(errorBody(name, { scope: "caller", limit: 7 }));
            expect(body).toEqual({
                error: {
                    code: gatewayErrors[name].code,
                    message: gatewayErrors[name].message,
                    type: "gateway_policy",
                    scope: "caller",
                    limit: 7,
                },
            });
            expect([400, 401, 403, 429]).toContain(gatewayErrors[name].status);
        },
    );
});
