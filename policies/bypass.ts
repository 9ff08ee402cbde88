/**
 * No route around the pack. The classic provider's account and deployment get the same baseline (the
 * account and deployment rules judge them); what the pack cannot judge is denied: generic ARM resources and ARM
 * template deployments that create Microsoft.CognitiveServices resources.
 */
import { types } from "../catalogue/azure";
import { asArray, isObject, known, peek, show, unknown } from "./core";
import { resourceRule } from "./rule";

const armTemplateDeployment = "azure-native:resources:Deployment";
const cognitive = /^microsoft\.cognitiveservices(\/|$)/i;

/** Resource types of an ARM template, nested templates included. */
function templateTypes(template: unknown, out: string[] = []): string[] {
    for (const r of asArray(isObject(template) ? template.resources : undefined)) {
        if (!isObject(r)) continue;
        if (typeof r.type === "string") out.push(r.type);
        templateTypes(isObject(r.properties) ? r.properties.template : undefined, out);
        templateTypes({ resources: r.resources }, out);
    }
    return out;
}

export const genericBypass = resourceRule({
    name: "azure-openai-generic-resource-disallow-cognitive-services",
    description:
        "Cognitive Services resources must not be created through generic ARM resources or template deployments, which bypass every rule of this pack.",
    severity: "critical",
    concerns: [types.genericResource, armTemplateDeployment],
    anchors: {},
    remediationSteps:
        "Create the account and its deployments with the azure-native cognitiveservices resources (or the platform's components) so the pack can judge them.",
    check: (type, props, _c, problem, args) => {
        if (type === types.genericResource) {
            const namespace = known(props, "resourceProviderNamespace");
            if (typeof namespace === "string" && cognitive.test(namespace))
                problem(
                    "resourceProviderNamespace",
                    `is ${show(namespace)}`,
                    "use azure-native:cognitiveservices resources instead",
                );
            else args.notApplicable(`generic resource of ${show(namespace)}, not Microsoft.CognitiveServices`);
            return;
        }
        const template = peek(props, "properties", "template");
        if (template === unknown) known(props, "properties", "template");
        const found = templateTypes(template).filter((t) => cognitive.test(t));
        if (found.length > 0)
            problem(
                "properties.template",
                `creates ${[...new Set(found)].join(", ")}`,
                "create them with azure-native:cognitiveservices resources instead",
            );
        else args.notApplicable("template deploys no Microsoft.CognitiveServices resource");
    },
});
