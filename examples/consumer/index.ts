/**
 * Another team's program: the landing zone from the published package, its arguments written out here instead of
 * read from a stack file. `npm test` plans it offline through examples/policy-pack (test/examples/).
 */
import * as authorization from "@pulumi/azure-native/authorization";
import { RegionalOpenAi } from "@azure-openai-lz/components";

const client = authorization.getClientConfigOutput();
const network =
    "/subscriptions/5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d/resourceGroups/rg-network-sdc-lab/providers/Microsoft.Network/virtualNetworks/vnet-ai-sdc-lab";

const zone = new RegionalOpenAi("contoso-sdc-lab", {
    profile: "eu-gdpr",
    environment: "nonprod",
    location: "swedencentral",
    namePrefix: "contoso-sdc-lab",
    network: {
        vnetId: network,
        privateEndpointSubnetId: `${network}/subnets/snet-private-endpoints`,
        clientAddressPrefixes: ["10.91.0.0/16"],
    },
    deployments: [{ name: "embeddings", model: "text-embedding-3-large", version: "1", sku: "Standard", capacity: 10 }],
    access: {
        developers: { groupObjectIds: ["3d5f7a9b-1c3e-4f5a-8b7c-9d1e3f5a7b9c"] },
        dataScientists: {},
        securityAuditors: { groupObjectIds: ["2c4e6a8b-0d1f-4e3a-9b5c-7d9e1f3a5b7c"] },
    },
    budget: { monthlyAmount: 200, dailySpendLimit: 20, contactEmails: ["ai-lab@contoso.com"] },
    tags: { "cost-center": "CC-0815", owner: "ai-lab@contoso.com", "data-classification": "internal" },
    subscriptionId: client.subscriptionId,
    tenantId: client.tenantId,
});

export const endpoint = zone.endpoint;
export const accountName = zone.accountName;
