/** How an AI gateway calls Azure OpenAI: with its managed identity, never with an API key. */
import { cognitiveServicesResource, gatewayTypes, policyElements } from "../catalogue/gateway";
import { cannotKnow, describe, isObject, known, peek, show, unknown } from "./core";
import { named, openAiGateways, scopesOf } from "./gateway-scopes";
import { descendants } from "./gateway-xml";
import { stackRule } from "./stack-rule";

const isManagedIdentity = (v: unknown) => typeof v === "string" && /SystemAssigned|UserAssigned/i.test(v);
const isCognitiveResource = (v: string | undefined) =>
    (v ?? "").replace(/\/+$/, "").toLowerCase() === cognitiveServicesResource;

export const gatewayManagedIdentity = stackRule({
    name: "azure-openai-gateway-require-managed-identity-backend",
    description:
        "A gateway in front of Azure OpenAI must call the accounts with its managed identity (authentication-managed-identity for https://cognitiveservices.azure.com on every request), never with an API key.",
    severity: "critical",
    concerns: [gatewayTypes.api, gatewayTypes.backend],
    anchors: { mcsb: "IM-3" },
    remediationSteps:
        'Give the API Management service a system-assigned identity with Cognitive Services OpenAI User on the accounts, put <authentication-managed-identity resource="https://cognitiveservices.azure.com"/> in the API\'s inbound policy, and remove api-key headers and backend credentials.',
    check: (index, _c, problem) => {
        for (const g of openAiGateways(index)) {
            const identity = known(g.service.props, "identity", "type");
            for (const b of g.backends) {
                const credentials = peek(b.props, "credentials");
                if (credentials === unknown) cannotKnow(`${describe(b)}: credentials`);
                const keyed = ["header", "query"]
                    .flatMap((k) =>
                        Object.keys(isObject(credentials) && isObject(credentials[k]) ? credentials[k] : {}),
                    )
                    .filter((k) => /^(api-key|ocp-apim-subscription-key)$/i.test(k));
                if (keyed.length > 0)
                    problem(
                        b,
                        "credentials",
                        `send ${keyed.join(", ")} to the backend: an API key`,
                        "remove the key; the gateway authenticates with its managed identity",
                    );
            }
            for (const entry of g.apis) {
                if (!isManagedIdentity(identity))
                    problem(
                        entry.api,
                        `${describe(g.service)} identity.type`,
                        `is ${show(identity)}, so the gateway has no identity to call the accounts with`,
                        'set identity.type to "SystemAssigned"',
                    );
                for (const scope of scopesOf(g, entry, problem)) {
                    const auth = named(scope.inbound, policyElements.managedIdentity).filter(
                        (e) => isCognitiveResource(e.attributes.resource) && e.attributes["ignore-error"] !== "true",
                    );
                    if (auth.length === 0)
                        problem(
                            entry.api,
                            `${scope.label} inbound`,
                            `has no unconditional authentication-managed-identity for ${cognitiveServicesResource}`,
                            `add <authentication-managed-identity resource="${cognitiveServicesResource}"/> to <inbound>`,
                        );
                    const keyHeaders = descendants([...scope.inbound, ...scope.backend]).filter(
                        (e) =>
                            e.name === "set-header" &&
                            /^api-key$/i.test(e.attributes.name ?? "") &&
                            e.attributes["exists-action"] !== "delete",
                    );
                    if (keyHeaders.length > 0)
                        problem(
                            entry.api,
                            `${scope.label} set-header api-key`,
                            "sends an API key to the backend",
                            "remove it; authenticate with the managed identity",
                        );
                }
            }
        }
    },
});
