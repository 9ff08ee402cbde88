/**
 * Where the AI gateway sends requests: one API Management backend per account (a pool when there are several), called
 * with the gateway's managed identity, which holds OpenAI User on each account and nothing more.
 */
import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import { AiGatewayArgs } from "./ai-gateway-args";
import { assignRoles } from "./shared";

export interface GatewayBackends {
    /** The backend (single or pool) the policy forwards to, and its id. */
    target: pulumi.Resource;
    targetId: string;
    /** The gateway identity's roles on the accounts. */
    accountRoles: pulumi.Resource[];
}

export function gatewayBackends(
    owner: pulumi.ComponentResource,
    name: string,
    args: AiGatewayArgs,
    service: apimanagement.ApiManagementService,
    identity: { serviceName: string; principalId: pulumi.Output<string> },
): GatewayBackends {
    const child = { parent: owner };
    const onService = { resourceGroupName: args.resourceGroupName, serviceName: service.name };
    const accountRoles = args.backends
        .map((b) =>
            assignRoles(owner, `${name}-${b.key}`, b.accountId, args.subscriptionId, [
                {
                    key: "gateway",
                    principalId: identity.principalId,
                    principalType: "ServicePrincipal",
                    role: "cognitiveServicesOpenAiUser",
                    description: `AI gateway ${identity.serviceName} calls the account with its managed identity`,
                },
            ]),
        )
        .flat();

    const backends = args.backends.map(
        (b) =>
            new apimanagement.Backend(
                `${name}-backend-${b.key}`,
                {
                    ...onService,
                    backendId: `openai-${b.key}`,
                    title: `Azure OpenAI ${b.key} (${b.location})`,
                    // Resolved through the account's private endpoint from the integration subnet; the account refuses public calls.
                    url: `https://${b.customSubDomainName}.openai.azure.com/openai`,
                    protocol: "http",
                    tls: { validateCertificateChain: true, validateCertificateName: true },
                    // Throttled or failing accounts leave the rotation for a minute, as Azure's Retry-After says (backends.md).
                    circuitBreaker: {
                        rules: [
                            {
                                name: "throttled-or-failing",
                                acceptRetryAfter: true,
                                tripDuration: "PT1M",
                                failureCondition: {
                                    count: 3,
                                    interval: "PT1M",
                                    statusCodeRanges: [
                                        { min: 429, max: 429 },
                                        { min: 500, max: 599 },
                                    ],
                                },
                            },
                        ],
                    },
                },
                child,
            ),
    );
    if (backends.length <= 1) return { target: backends[0], targetId: `openai-${args.backends[0].key}`, accountRoles };
    const pool = new apimanagement.Backend(
        `${name}-backend-pool`,
        {
            ...onService,
            backendId: "openai-pool",
            title: `Azure OpenAI accounts of ${args.namePrefix} (${args.residency.profile})`,
            type: "Pool",
            // Pool members by backend path, as backends.md's pool example gives them.
            pool: {
                services: args.backends.map((b) => ({
                    id: `/backends/openai-${b.key}`,
                    priority: b.priority ?? 1,
                })),
            },
        },
        { ...child, dependsOn: backends },
    );
    return { target: pool, targetId: "openai-pool", accountRoles };
}
