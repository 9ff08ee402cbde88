/**
 * Who may call an AI gateway: from the internet only where the compliance profile allows it, and only with Microsoft
 * Entra ID tokens, never with a subscription key.
 */
import { gatewayTypes, policyElements } from "../catalogue/gateway";
import { describe, known, show } from "./core";
import { profileGateways } from "./gateway-defaults";
import { gatewayOfResource, gatewaysOf } from "./gateway-graph";
import { named, openAiGateways, scopesOf } from "./gateway-scopes";
import { PolicyElement } from "./gateway-xml";
import { resourceRule } from "./rule";
import { stackRule } from "./stack-rule";

/** The non-empty texts of the `child` elements of `e`. */
const childTexts = (e: PolicyElement | undefined, child: string) =>
    (e?.children ?? [])
        .filter((c) => c.name === child)
        .map((c) => c.text.trim())
        .filter(Boolean);

export const gatewayPublicAccess = resourceRule<{ requirePrivateInbound: boolean }>({
    name: "azure-openai-gateway-disallow-public-network-access",
    description:
        "API Management gateways must not accept calls from the internet where the compliance profile forbids it: public network access disabled (private endpoint only) or internal VNet injection.",
    severity: "critical",
    concerns: [gatewayTypes.service],
    anchors: { mcsb: "NS-2" },
    configSchema: {
        properties: {
            requirePrivateInbound: { type: "boolean", default: profileGateways.some((g) => !g.publicInboundAllowed) },
        },
    },
    remediationSteps:
        'Set publicNetworkAccess to "Disabled" and reach the gateway through a private endpoint (group "Gateway"), or inject a Developer/Premium gateway in a VNet with virtualNetworkType "Internal". Azure refuses Disabled when it creates a gateway: deploy once with an expiring exemption of this rule (the AiGateway component\'s firstDeployment), then disable (docs/gateway.md).',
    skip: (_t, _p, config) =>
        config.requirePrivateInbound ? undefined : "the compliance profile allows public inbound access to the gateway",
    check: (_type, props, _c, problem) => {
        const access = known(props, "publicNetworkAccess");
        const vnetType = known(props, "virtualNetworkType");
        if (access === "Disabled" || vnetType === "Internal") return;
        problem(
            "publicNetworkAccess",
            `is ${show(access)} (Azure defaults to Enabled) and virtualNetworkType is ${show(vnetType)}, so the gateway answers calls from the internet`,
            'set publicNetworkAccess to "Disabled" once its private endpoint is approved',
        );
    },
});

interface CallerConfig {
    forbidSubscriptionKeys: boolean;
}
export const gatewayEntraCallers = stackRule<CallerConfig>({
    name: "azure-openai-gateway-require-entra-id-callers",
    description:
        "Every API of a gateway in front of Azure OpenAI must authenticate callers with Microsoft Entra ID tokens (validate-azure-ad-token with tenant, audience and admitted applications) and require no subscription key; no subscription (API key pair) may exist.",
    severity: "critical",
    nonExemptable: true,
    concerns: [gatewayTypes.api, gatewayTypes.subscription],
    anchors: { mcsb: "IM-1" },
    configSchema: { properties: { forbidSubscriptionKeys: { type: "boolean", default: true } } },
    remediationSteps:
        'Set subscriptionRequired: false on the API, remove apimanagement.Subscription resources, and put <validate-azure-ad-token tenant-id="..."> with <audiences> and <client-application-ids> (or <required-claims>) unconditionally in the API\'s inbound policy (the AiGateway component does all three).',
    check: (index, config, problem) => {
        const gateways = openAiGateways(index);
        if (config.forbidSubscriptionKeys) {
            for (const sub of index.of(gatewayTypes.subscription)) {
                const g = gatewayOfResource(gatewaysOf(index), sub);
                problem(
                    sub,
                    "subscription",
                    `creates an API key pair${g ? ` on ${describe(g.service)}` : ""}: anyone holding a key could call the models`,
                    "delete the subscription; callers present Entra ID tokens",
                );
            }
        }
        for (const g of gateways) {
            for (const entry of g.apis) {
                const required = known(entry.api.props, "subscriptionRequired");
                if (required !== false && config.forbidSubscriptionKeys)
                    problem(
                        entry.api,
                        "subscriptionRequired",
                        `is ${show(required)} (Azure defaults to true: callers need a subscription key)`,
                        "set subscriptionRequired: false and authenticate callers with Entra ID",
                    );
                for (const scope of scopesOf(g, entry, problem)) {
                    const validators = named(scope.inbound, policyElements.validateEntraToken);
                    if (validators.length === 0) {
                        problem(
                            entry.api,
                            `${scope.label} inbound`,
                            "has no unconditional validate-azure-ad-token, so callers are not authenticated with Entra ID",
                            "add <validate-azure-ad-token> as a direct child of <inbound>",
                        );
                        continue;
                    }
                    const complete = validators.some((v) => {
                        const audiences = childTexts(
                            v.children.find((c) => c.name === "audiences"),
                            "audience",
                        );
                        const apps = childTexts(
                            v.children.find((c) => c.name === "client-application-ids"),
                            "application-id",
                        );
                        const claims =
                            v.children
                                .find((c) => c.name === "required-claims")
                                ?.children.filter((c) => c.name === "claim") ?? [];
                        return (
                            (v.attributes["tenant-id"] ?? "").trim() !== "" &&
                            audiences.length > 0 &&
                            (apps.length > 0 || claims.length > 0)
                        );
                    });
                    if (!complete)
                        problem(
                            entry.api,
                            `${scope.label} validate-azure-ad-token`,
                            "does not pin the tenant, an audience and the admitted applications (or required claims)",
                            "set tenant-id, <audiences><audience> and <client-application-ids><application-id> (or <required-claims>)",
                        );
                }
            }
        }
    },
});
