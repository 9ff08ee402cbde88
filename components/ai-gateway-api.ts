/**
 * The AI gateway's API: the Azure OpenAI data-plane operations it exposes, the named values its policy reads and the
 * generated policy (gateway-policy.ts). Ids live in named values so that the policy text is known in a preview.
 */
import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import { cognitiveServicesResource } from "../catalogue/gateway";
import { AiGatewayArgs } from "./ai-gateway-args";
import { GatewayBackends } from "./ai-gateway-backends";
import { gatewayPolicyXml } from "./gateway-policy";

/** The operations of the Azure OpenAI data plane the gateway exposes (path under `/openai`), by operation id. */
export const gatewayOperations = {
    "chat-completions": "/deployments/{deployment-id}/chat/completions",
    completions: "/deployments/{deployment-id}/completions",
    embeddings: "/deployments/{deployment-id}/embeddings",
} as const;
/** Operations that generate text and so must state `max_tokens`. */
export const completionOperations = ["chat-completions", "completions"];

/** Creates the API with its operations and policy; the policy waits for everything it refers to. */
export function gatewayApi(
    owner: pulumi.ComponentResource,
    name: string,
    args: AiGatewayArgs,
    service: apimanagement.ApiManagementService,
    routing: GatewayBackends,
    diagnostics: pulumi.Resource[],
): void {
    const child = { parent: owner };
    const onService = { resourceGroupName: args.resourceGroupName, serviceName: service.name };
    const tenantValue = new apimanagement.NamedValue(
        `${name}-nv-tenant`,
        {
            ...onService,
            namedValueId: "gateway-tenant-id",
            displayName: "gateway-tenant-id",
            value: args.tenantId,
            secret: false,
        },
        child,
    );
    const callerValues = args.callers.map(
        (c) =>
            new apimanagement.NamedValue(
                `${name}-nv-caller-${c.key}`,
                {
                    ...onService,
                    namedValueId: `caller-${c.key}`,
                    displayName: `caller-${c.key}`,
                    // Lower-case: the policy compares it with the token's appid, lower-cased there too.
                    value: pulumi.output(c.clientId).apply((id) => id.toLowerCase()),
                    secret: false,
                },
                child,
            ),
    );

    const api = new apimanagement.Api(
        `${name}-api`,
        {
            ...onService,
            apiId: "azure-openai",
            displayName: "Azure OpenAI (governed)",
            description: `Azure OpenAI data plane of ${args.namePrefix}: Entra ID callers, token quotas from the stack's USD limits, ${args.limits.tokens.perRequest} tokens per request.`,
            path: "openai",
            protocols: ["https"],
            apiType: "http",
            // No subscription keys: callers present Entra ID tokens, validated by the policy.
            subscriptionRequired: false,
            serviceUrl: `https://${args.backends[0].customSubDomainName}.openai.azure.com/openai`,
        },
        child,
    );
    // By the API's name output, so that operations and policy link to the API by URN (known in a preview).
    const operations = Object.entries(gatewayOperations).map(
        ([operationId, urlTemplate]) =>
            new apimanagement.ApiOperation(
                `${name}-op-${operationId}`,
                {
                    ...onService,
                    apiId: api.name,
                    operationId,
                    displayName: operationId,
                    method: "POST",
                    urlTemplate,
                    templateParameters: [{ name: "deployment-id", type: "string", required: true }],
                    request: { queryParameters: [{ name: "api-version", type: "string", required: true }] },
                },
                { ...child, dependsOn: [api] },
            ),
    );

    const policy = gatewayPolicyXml({
        counterPrefix: args.namePrefix,
        tenantNamedValue: "gateway-tenant-id",
        audiences: [cognitiveServicesResource],
        callers: args.callers.map((c) => ({ namedValue: `caller-${c.key}`, team: c.team })),
        limits: args.limits,
        backendResource: cognitiveServicesResource,
        backendId: routing.targetId,
        completionOperations,
        privateEndpointOnly: !args.residency.publicInboundAllowed,
        metricNamespace: "azure-openai-gateway",
    });
    new apimanagement.ApiPolicy(
        `${name}-api-policy`,
        {
            ...onService,
            apiId: api.name,
            policyId: "policy",
            format: "xml",
            value: policy,
        },
        {
            ...child,
            dependsOn: [
                api,
                routing.target,
                tenantValue,
                ...callerValues,
                ...diagnostics,
                ...operations,
                ...routing.accountRoles,
            ],
        },
    );
}
