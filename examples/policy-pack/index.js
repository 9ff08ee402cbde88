// A consumer's pack: the published policies at this team's levels. `pulumi preview --policy-pack examples/policy-pack`
// runs it as it runs any pack; npm test plans the consumer example through it.
"use strict";
const { AzureOpenAiGuard } = require("azure-openai-policies");

new AzureOpenAiGuard({
    name: "contoso-azure-openai",
    policies: {
        // This team reviews tags in its own pipeline: an advisory here, mandatory in the platform's pack.
        "azure-openai-resource-require-tags": "advisory",
        // A stricter spend cap than the profile's.
        "azure-openai-deployment-limit-worst-case-spend": { dailySpendLimitUsd: 150 },
    },
});
