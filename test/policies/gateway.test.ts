/**
 * The AI gateway rules, one weakened property of the compliant stack's gateway at a time, in update and in preview:
 * each yields its finding on the right resource; what the rules accept (inheritance through <base />, the
 * azure-openai-* twins, internal VNet injection) passes; unknown documents and links are not-evaluated, never passed.
 */
import { types } from "../../catalogue/azure";
import { gatewayDailyCostUsd, gatewayTypes } from "../../catalogue/gateway";
import { totalWorstCaseDailySpend, worstCaseDailySpend } from "../../catalogue/models";
import { gatewayPolicyXml } from "../../components/gateway-policy";
import { PackPolicy } from "../../policies/core";
import {
    gatewayBodyLogging,
    gatewayDiagnostics,
    gatewayEntraCallers,
    gatewayManagedIdentity,
    gatewayPublicAccess,
    gatewayTokenLimits,
} from "../../policies/gateway";
import { worstCaseSpend } from "../../policies/spend";
import { buildStack, runResource, runStack, StackFixture, UNKNOWN, urnOf } from "./harness";
import { compliantStack, gatewayFixtureDeployment, gatewayFixturePrice, gatewayPolicyConfig, mutate } from "./fixtures";

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const xml = gatewayPolicyXml(gatewayPolicyConfig());
/** The deployed model's catalogue price and the stack-wide daily quota it yields (derived, so a catalogue price change moves both). */
const price = gatewayFixturePrice();
const daily = gatewayPolicyConfig().limits.tokens.daily;
/** The compliant stack with the gateway's API policy document replaced by `edit(xml)`. */
const withPolicy = (edit: (x: string) => string) => (preview: boolean) =>
    mutate(compliantStack(preview), "apim-api-policy", (f) => {
        (f.props as Props).value = edit(xml);
    });
const change = (name: string, fn: (p: Props, f: StackFixture) => void) => (preview: boolean) =>
    mutate(compliantStack(preview), name, (f) => fn(f.props as Props, f));
const withExtra =
    (...extra: StackFixture[]) =>
    (preview: boolean) => [...compliantStack(preview), ...extra];
const remove = (element: string) => (x: string) =>
    x
        .split("\n")
        .filter((l) => !l.includes(`<${element}`))
        .join("\n");
const only = (pattern: RegExp) => (x: string) => x.replace(pattern, "");

type Case = [string, PackPolicy, (preview: boolean) => StackFixture[], string, string];
const cases: Case[] = [
    // Entra ID callers
    [
        "an API that requires subscription keys",
        gatewayEntraCallers,
        change("apim-api", (p) => {
            p.subscriptionRequired = true;
        }),
        "apim-api",
        "subscriptionRequired is true (Azure defaults to true",
    ],
    [
        "an API that leaves subscriptionRequired to Azure's default",
        gatewayEntraCallers,
        change("apim-api", (p) => {
            delete p.subscriptionRequired;
        }),
        "apim-api",
        "subscriptionRequired is not set",
    ],
    [
        "a subscription (an API key pair)",
        gatewayEntraCallers,
        withExtra({
            type: gatewayTypes.subscription,
            name: "apim-key",
            props: { resourceGroupName: "rg", displayName: "key" },
            deps: { serviceName: ["apim"] },
        }),
        "apim-key",
        "creates an API key pair on ApiManagementService 'apim'",
    ],
    [
        "no Entra ID validation",
        gatewayEntraCallers,
        withPolicy(only(/<validate-azure-ad-token[\s\S]*?<\/validate-azure-ad-token>/)),
        "apim-api",
        "has no unconditional validate-azure-ad-token",
    ],
    [
        "Entra ID validation only on some requests",
        gatewayEntraCallers,
        withPolicy((x) =>
            x.replace(
                /(<validate-azure-ad-token[\s\S]*?<\/validate-azure-ad-token>)/,
                '<choose><when condition="@(true)">$1</when></choose>',
            ),
        ),
        "apim-api",
        "has no unconditional validate-azure-ad-token",
    ],
    [
        "a token validation with no audience",
        gatewayEntraCallers,
        withPolicy(only(/<audiences>[\s\S]*?<\/audiences>/)),
        "apim-api",
        "does not pin the tenant, an audience and the admitted applications",
    ],
    [
        "a token validation admitting any application",
        gatewayEntraCallers,
        withPolicy(only(/<client-application-ids>[\s\S]*?<\/client-application-ids>/)),
        "apim-api",
        "does not pin the tenant",
    ],
    [
        "an operation policy that drops the API's inbound policy",
        gatewayEntraCallers,
        withExtra({
            type: gatewayTypes.apiOperationPolicy,
            name: "apim-op-policy",
            props: {
                format: "xml",
                value: '<policies><inbound><set-header name="x" exists-action="override"><value>1</value></set-header></inbound><backend><base/></backend><outbound><base/></outbound><on-error><base/></on-error></policies>',
            },
            deps: { serviceName: ["apim"], apiId: ["apim-api"] },
        }),
        "apim-api",
        "operation policy ApiOperationPolicy 'apim-op-policy' inbound has no unconditional validate-azure-ad-token",
    ],
    [
        "a policy that is not XML",
        gatewayEntraCallers,
        withPolicy(() => "<policies><inbound>"),
        "apim-api",
        "is not a policy document the gateway would accept (not well-formed XML",
    ],
    [
        "a policy fetched from a URL",
        gatewayEntraCallers,
        change("apim-api-policy", (p) => {
            p.format = "xml-link";
            p.value = "https://example.com/policy.xml";
        }),
        "apim-api",
        "the document is fetched from a URL the pack cannot judge",
    ],
    // Token limits
    [
        "no token rate limit",
        gatewayTokenLimits,
        withPolicy((x) => x.replace(/ tokens-per-minute="\d+"/g, "")),
        "apim-api",
        "token rate is not limited",
    ],
    [
        "no stack-wide daily quota (per caller only)",
        gatewayTokenLimits,
        withPolicy(remove('llm-token-limit id="stack-daily')),
        "apim-api",
        "daily token quota is missing",
    ],
    [
        "no monthly quota",
        gatewayTokenLimits,
        withPolicy((x) =>
            x
                .split("\n")
                .filter((l) => !l.includes("Monthly"))
                .join("\n"),
        ),
        "apim-api",
        "monthly token quota is missing",
    ],
    [
        "a daily quota worth more than the profile's USD",
        gatewayTokenLimits,
        withPolicy((x) => x.replace(`token-quota="${daily}"`, `token-quota="${2 * daily}"`)),
        "apim-api",
        `daily token quota is ${2 * daily} tokens, worth ${((2 * daily * price) / 1000).toFixed(2)} USD at the dearest deployed model's ${price} USD/1k tokens, over the profile's 100 USD: set token-quota to at most ${daily}`,
    ],
    [
        "no prompt estimate",
        gatewayTokenLimits,
        withPolicy((x) => x.replace(/estimate-prompt-tokens="true"/g, 'estimate-prompt-tokens="false"')),
        "apim-api",
        "prompt estimate is off",
    ],
    [
        "no per-request cap",
        gatewayTokenLimits,
        withPolicy(remove('set-variable name="per-request-token-cap"')),
        "apim-api",
        "per-request token cap is missing",
    ],
    [
        "a per-request cap above the profile's",
        gatewayTokenLimits,
        withPolicy((x) => x.replace('value="@(4000)"', 'value="@(8000)"')),
        "apim-api",
        "per-request token cap is 8000 tokens: set it to at most 4000",
    ],
    [
        "a cap nothing enforces",
        gatewayTokenLimits,
        withPolicy((x) => x.replace(/<set-status code="400"/g, '<set-status code="200"')),
        "apim-api",
        "is set but nothing refuses a request over it",
    ],
    [
        "token limits only inside a choose",
        gatewayTokenLimits,
        withPolicy((x) =>
            x.replace(
                /(<llm-token-limit[^>]*\/>\s*)+/,
                (m) => `<choose><when condition="@(false)">${m}</when></choose>`,
            ),
        ),
        "apim-api",
        "token rate is not limited",
    ],
    // Managed identity towards the backend
    [
        "no managed identity towards the backend",
        gatewayManagedIdentity,
        withPolicy(remove("authentication-managed-identity")),
        "apim-api",
        "has no unconditional authentication-managed-identity for https://cognitiveservices.azure.com",
    ],
    [
        "a managed identity whose failure is ignored",
        gatewayManagedIdentity,
        withPolicy((x) =>
            x.replace("<authentication-managed-identity ", '<authentication-managed-identity ignore-error="true" '),
        ),
        "apim-api",
        "has no unconditional authentication-managed-identity",
    ],
    [
        "an api-key header to the backend",
        gatewayManagedIdentity,
        withPolicy((x) =>
            x.replace(
                "<set-backend-service",
                '<set-header name="api-key" exists-action="override"><value>{{openai-key}}</value></set-header><set-backend-service',
            ),
        ),
        "apim-api",
        "set-header api-key sends an API key to the backend",
    ],
    [
        "a backend with an api-key credential",
        gatewayManagedIdentity,
        change("apim-backend", (p) => {
            p.credentials = { header: { "api-key": ["{{openai-key}}"] } };
        }),
        "apim-backend",
        "credentials send api-key to the backend",
    ],
    [
        "a gateway without an identity",
        gatewayManagedIdentity,
        change("apim", (p) => {
            p.identity = { type: "None" };
        }),
        "apim-api",
        "ApiManagementService 'apim' identity.type is \"None\"",
    ],
    // Diagnostics
    [
        "no diagnostic setting on the gateway",
        gatewayDiagnostics,
        (preview) => compliantStack(preview).filter((f) => f.name !== "apim-diagnostics"),
        "apim",
        "diagnostic setting is missing",
    ],
    [
        "gateway logs not sent",
        gatewayDiagnostics,
        change("apim-diagnostics", (p) => {
            p.logs = [{ category: "WebSocketConnectionLogs", enabled: true }];
        }),
        "apim",
        "logs enable neither GatewayLogs nor the allLogs group",
    ],
];

describe.each([
    ["update", false],
    ["preview", true],
])("gateway stack rules, %s", (_mode, preview) => {
    it.each(cases)("%s", async (_label, policy, build, at, message) => {
        const out = await runStack(policy, buildStack("eu-prod", build(preview)));
        expect(out.notEvaluated).toBeUndefined();
        const hits = out.violations.filter(
            (v) => v.urn === urnOf("eu-prod", build(preview).find((f) => f.name === at)?.type ?? "", at),
        );
        expect(hits.map((h) => h.message).join("\n")).toContain(message);
    });
});

describe("what the gateway rules accept", () => {
    const passes = async (policy: PackPolicy, fixtures: StackFixture[], config: Record<string, unknown> = {}) => {
        const out = await runStack(policy, buildStack("eu-prod", fixtures), config);
        expect(out.notEvaluated).toBeUndefined();
        expect(out.violations).toEqual([]);
    };

    it("controls in the service-wide policy, inherited by the API's <base />", async () => {
        const inbound = /<inbound>([\s\S]*)<\/inbound>/.exec(xml)?.[1] ?? "";
        const global = xml.replace(inbound, `\n${inbound.replace("<base/>", "")}`);
        const stack = mutate(
            withExtra({
                type: gatewayTypes.servicePolicy,
                name: "apim-global",
                props: { format: "xml", value: global },
                deps: { serviceName: ["apim"] },
            })(false),
            "apim-api-policy",
            (f) => {
                (f.props as Props).value =
                    "<policies><inbound><base/></inbound><backend><base/></backend><outbound><base/></outbound><on-error><base/></on-error></policies>";
            },
        );
        for (const p of [gatewayEntraCallers, gatewayTokenLimits, gatewayManagedIdentity]) await passes(p, stack);
        // Without <base /> the API's policy stands alone, and lacks every control.
        const alone = mutate(stack, "apim-api-policy", (f) => {
            (f.props as Props).value = "<policies><inbound></inbound></policies>";
        });
        expect(
            (await runStack(gatewayEntraCallers, buildStack("eu-prod", alone))).violations.map((v) => v.message).join(),
        ).toContain("has no unconditional validate-azure-ad-token");
    });

    it("the azure-openai-* twins of the LLM policies, and comments or attribute order in the document", async () => {
        const twin = xml
            .replace(/<llm-token-limit /g, "<azure-openai-token-limit ")
            .replace("<inbound>", "<inbound><!-- governed by the platform -->");
        await passes(gatewayTokenLimits, withPolicy(() => twin)(false));
    });

    it("a gateway in front of something else than Azure OpenAI is not judged by the API rules", async () => {
        const other = (preview: boolean) =>
            mutate(
                mutate(compliantStack(preview), "apim-api", (f) => {
                    (f.props as Props).serviceUrl = "https://erp.contoso.com/api";
                }),
                "apim-backend",
                (f) => {
                    (f.props as Props).url = "https://erp.contoso.com/api";
                },
            );
        await passes(
            gatewayTokenLimits,
            mutate(other(false), "apim-api-policy", (f) => {
                (f.props as Props).value = "<policies><inbound/></policies>";
            }),
        );
    });

    it("counts the gateway's units in the worst-case daily spend", async () => {
        // The deployment at full capacity all day at its catalogue price, plus one Standard v2 unit.
        const deploymentUsd = worstCaseDailySpend(gatewayFixtureDeployment());
        const unitUsd = gatewayDailyCostUsd("StandardV2", 1);
        const total = totalWorstCaseDailySpend([gatewayFixtureDeployment()], {}, unitUsd);
        const between = Math.floor(deploymentUsd + 1); // above the deployment alone, below it with the gateway
        expect(unitUsd).toBeGreaterThan(between - deploymentUsd);
        const out = await runStack(worstCaseSpend, buildStack("eu-prod", compliantStack(false)), {
            dailySpendLimitUsd: between,
        });
        expect(out.violations.map((v) => v.message).join()).toContain(
            `all deployments together reach ${total.toFixed(2)} USD/day (API Management gateways ${unitUsd.toFixed(2)} USD/day included), over the daily limit of ${between} USD`,
        );
        await passes(worstCaseSpend, compliantStack(false), { dailySpendLimitUsd: Math.ceil(total) });
    });
});

describe("AnalyzeStack's outputs: no path parameters, names and ids known only in an update", () => {
    // The compliant gateway is what the engine sends AnalyzeStack (resource outputs): the cases above judge it linked by
    // URN and property dependencies alone. This guards that shape, so a fixture edit cannot bring the path parameters back.
    const pathParameters = [
        "serviceName",
        "apiId",
        "resourceGroupName",
        "policyId",
        "backendId",
        "diagnosticId",
        "loggerId",
        "namedValueId",
        "resourceUri",
    ];

    it.each([
        ["update", false],
        ["preview", true],
    ])(
        "the gateway's fixtures carry no URL path parameter; in a preview their names and ids are unknown (%s)",
        (_m, preview) => {
            const gateway = compliantStack(preview as boolean).filter(
                (f) => f.type.startsWith("azure-native:apimanagement:") || f.name === "apim-diagnostics",
            );
            expect(gateway.length).toBeGreaterThan(5);
            for (const f of gateway) {
                // A Diagnostic's loggerId is a body property (the logger's resource id), not the path parameter of a Logger.
                expect({
                    name: f.name,
                    paths: Object.keys(f.props).filter(
                        (k) => pathParameters.includes(k) && !(k === "loggerId" && f.type === gatewayTypes.diagnostic),
                    ),
                }).toEqual({ name: f.name, paths: [] });
                if (preview) expect([f.props.id]).toEqual([UNKNOWN]);
            }
        },
    );
});

describe("what the gateway rules cannot know yet", () => {
    it("a policy document known only after deploy is not-evaluated, never passed", async () => {
        const out = await runStack(
            gatewayTokenLimits,
            buildStack(
                "eu-prod",
                change("apim-api-policy", (p) => {
                    p.value = UNKNOWN;
                })(true),
            ),
        );
        expect(out.violations).toEqual([]);
        expect(out.notEvaluated).toContain("the policy document");
    });

    it("an API whose service cannot be told among several is not-evaluated", async () => {
        const second = {
            type: gatewayTypes.service,
            name: "apim-2",
            props: {
                name: UNKNOWN,
                id: UNKNOWN,
                sku: { name: "StandardV2", capacity: 1 },
                identity: { type: "SystemAssigned" },
                publicNetworkAccess: "Disabled",
            },
        };
        // Two services whose names a preview does not know, and an API with no dependency on either.
        const stack = mutate([...compliantStack(true), second], "apim-api", (f) => {
            f.deps = {};
        });
        const out = await runStack(gatewayEntraCallers, buildStack("eu-prod", stack));
        expect(out.notEvaluated).toContain("its API Management service");
    });
});

describe("gateway resource rules", () => {
    // Analyze receives a resource's inputs: the path parameters present, no name or id.
    const asInputs = (f: StackFixture, paths: Props): StackFixture => {
        const { name: _name, id: _id, ...rest } = f.props as Props;
        return { ...f, props: { ...rest, ...paths } };
    };
    const service = () =>
        asInputs(
            compliantStack(false).find((f) => f.name === "apim")!,
            { serviceName: "apim-contoso-weu", resourceGroupName: "rg-contoso-weu-openai" },
        );
    const diagnostic = () =>
        asInputs(
            compliantStack(false).find((f) => f.type === gatewayTypes.diagnostic)!,
            {
                serviceName: "apim-contoso-weu",
                resourceGroupName: "rg-contoso-weu-openai",
                diagnosticId: "azuremonitor",
            },
        );

    it("blocks public network access where the profile forbids it, accepts internal VNet injection, skips where allowed", async () => {
        const open = { ...service(), props: { ...service().props, publicNetworkAccess: "Enabled" } };
        expect((await runResource(gatewayPublicAccess, open)).violations[0].message).toBe(
            'ApiManagementService \'apim\': publicNetworkAccess is "Enabled" (Azure defaults to Enabled) and virtualNetworkType is "External", so the gateway answers calls from the internet: set publicNetworkAccess to "Disabled" once its private endpoint is approved',
        );
        const internal = {
            ...service(),
            props: { ...service().props, publicNetworkAccess: "Enabled", virtualNetworkType: "Internal" },
        };
        expect((await runResource(gatewayPublicAccess, internal)).violations).toEqual([]);
        expect(
            (await runResource(gatewayPublicAccess, open, { requirePrivateInbound: false })).notApplicable,
        ).toContain("allows public inbound");
        expect(
            (
                await runResource(gatewayPublicAccess, {
                    ...open,
                    props: { ...open.props, publicNetworkAccess: UNKNOWN },
                })
            ).notEvaluated,
        ).toBeDefined();
    });

    it("blocks body logging and LLM message logging unless the profile allows it", async () => {
        const bodies = {
            ...diagnostic(),
            props: {
                ...diagnostic().props,
                frontend: { request: { body: { bytes: 8192 } }, response: { body: { bytes: 0 } } },
            },
        };
        expect((await runResource(gatewayBodyLogging, bodies)).violations.map((v) => v.message)).toEqual([
            "Diagnostic 'apim-diagnostic': frontend.request.body.bytes is 8192: prompts or completions reach the logs: set it to 0 (or messages to none)",
        ]);
        const llm = {
            type: gatewayTypes.apiDiagnostic,
            name: "api-diag",
            props: {
                largeLanguageModel: { logs: "enabled", requests: { messages: "all" }, responses: { messages: "none" } },
            },
        };
        expect((await runResource(gatewayBodyLogging, llm)).violations.map((v) => v.message)).toEqual([
            "ApiDiagnostic 'api-diag': largeLanguageModel.requests.messages is \"all\": prompts or completions reach the logs: set it to 0 (or messages to none)",
        ]);
        expect((await runResource(gatewayBodyLogging, bodies, { forbidBodyLogging: false })).notApplicable).toContain(
            "allows logging request and response bodies",
        );
        expect((await runResource(gatewayBodyLogging, diagnostic())).violations).toEqual([]);
    });

    it("judges nothing but API Management services and diagnostics", async () => {
        const account = compliantStack(false).find((f) => f.type === types.account)!;
        expect((await runResource(gatewayPublicAccess, account)).notApplicable).toContain(
            "applies to ApiManagementService only",
        );
        expect((await runResource(gatewayBodyLogging, account)).notApplicable).toContain("applies to");
    });
});
