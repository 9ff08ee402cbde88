/**
 * The account's model deployments from stack config, each bound to the landing zone's content filter and created
 * one after another: parallel creates on one account fail with 409 Conflict in real use.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import { describeReplacement, findModelVersion, isRetired, retirementFor, utcToday } from "../catalogue/models";
import { DeploymentConfig, deploymentSchema } from "../catalogue/stack-schema";
import { formatPath } from "../catalogue/stack-schema";
import { ContentFilterBinding } from "./content-filter";
import { CommonArgs } from "./shared";

export interface ModelDeploymentsArgs extends Pick<CommonArgs, "resourceGroupName" | "tags"> {
    /** The account's name (its output, so the deployments wait for the account). */
    accountName: pulumi.Input<string>;
    /** One deployment per entry, in this order (a plain list: it decides how many resources exist). */
    deployments: DeploymentConfig[];
    /** The content-filter policy every deployment is bound to (`ContentFilter.binding`). */
    contentFilter: ContentFilterBinding;
    /** The day model retirement is judged against (YYYY-MM-DD, UTC); default the day the program runs. */
    today?: string;
}

/** Synchronous checks of the arguments; every problem names the argument and what was expected. */
export function validateModelDeploymentsArgs(
    args: Pick<ModelDeploymentsArgs, "deployments" | "contentFilter" | "today">,
): void {
    const today = args.today ?? utcToday();
    const problems: string[] = [];
    if (args.deployments.length === 0) problems.push("deployments: expected at least one model deployment");
    const names = new Set<string>();
    args.deployments.forEach((d, i) => {
        const parsed = deploymentSchema.safeParse(d);
        if (!parsed.success) {
            for (const issue of parsed.error.issues)
                problems.push(
                    `${formatPath(["deployments", i, ...issue.path])}: ${issue.message.replace(/^Invalid (input|option): /, "")}`,
                );
        }
        if (names.has(d.name))
            problems.push(
                `deployments[${i}].name: duplicate deployment name '${d.name}': expected names unique in the account`,
            );
        // A retired model answers every call with an error: refuse it here too, for programs that use the component alone.
        const known = findModelVersion(d.model, d.version);
        if (known && isRetired(known, d.sku, today)) {
            problems.push(
                `deployments[${i}].version: ${d.model} ${d.version} retired on ${retirementFor(known, d.sku).date}: expected a current model, e.g. ${describeReplacement(known, today)}`,
            );
        }
        names.add(d.name);
    });
    if (args.contentFilter.policyName.trim() === "")
        problems.push("contentFilter.policyName: expected the name of the account's content-filter policy");
    if (problems.length > 0) throw new Error(`ModelDeployments: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

export class ModelDeployments extends pulumi.ComponentResource {
    /** Deployment names, in creation order: what applications call. Known in preview. */
    public readonly deploymentNames: string[];
    public readonly deploymentIds: pulumi.Output<string[]>;
    /** The deployments: children of the account, so a lock on the account covers them. */
    public readonly deployments: cognitiveservices.Deployment[];

    constructor(name: string, args: ModelDeploymentsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("azure-openai-lz:ai:ModelDeployments", name, {}, opts);
        validateModelDeploymentsArgs(args);
        const { resourceGroupName, accountName, tags, contentFilter } = args;

        const created: cognitiveservices.Deployment[] = [];
        for (const d of args.deployments) {
            const previous = created[created.length - 1];
            created.push(
                new cognitiveservices.Deployment(
                    `${name}-${d.name}`,
                    {
                        deploymentName: d.name,
                        accountName,
                        resourceGroupName,
                        // Capacity is in thousands of tokens per minute (PTUs for provisioned SKUs).
                        sku: { name: d.sku, capacity: d.capacity },
                        properties: {
                            model: { format: "OpenAI", name: d.model, version: d.version },
                            versionUpgradeOption: d.versionUpgradeOption,
                            // The plain name, carried by the policy's URN (known in a preview): the pack links the deployment to
                            // the policy even in a preview, where azure-native leaves the policy's own name unknown.
                            raiPolicyName: pulumi
                                .all(contentFilter.readyAfter.map((r) => r.urn))
                                .apply(() => contentFilter.policyName),
                        },
                        tags,
                        // One at a time: each waits for the previous one (409 Conflict otherwise) and for the policy it names.
                    },
                    { parent: this, dependsOn: [...contentFilter.readyAfter, ...(previous ? [previous] : [])] },
                ),
            );
        }

        this.deployments = created;
        this.deploymentNames = args.deployments.map((d) => d.name);
        this.deploymentIds = pulumi.all(created.map((c) => c.id));
        this.registerOutputs({ deploymentNames: this.deploymentNames, deploymentIds: this.deploymentIds });
    }
}
