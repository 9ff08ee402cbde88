/**
 * The content-filter policy every deployment of the account is bound to: never weaker than Azure's default
 * (Microsoft.DefaultV2), plus a regex blocklist that blocks prompts carrying the stack's DLP patterns.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import { DlpPattern } from "../catalogue/profiles";
import { blocklistItemsFor } from "./dlp-patterns";
import { CommonArgs } from "./shared";

/** Harm categories Azure grades by severity; each is filtered on prompts and on completions. */
export const harmCategories = ["Hate", "Sexual", "Violence", "Selfharm"] as const;
/** Lowest severity that is blocked. Low blocks more than Medium; High (Azure's weakest setting) is never allowed. */
export type BlockingThreshold = "Low" | "Medium";
/** RAI names (0-9, A-Z, a-z, '-', '.', '_', '~'). */
const raiNamePattern = /^[A-Za-z0-9._~-]{1,64}$/;

export interface ContentFilterArgs extends Pick<CommonArgs, "resourceGroupName" | "tags"> {
    /** The account's name (its output, so the filter waits for the account). */
    accountName: pulumi.Input<string>;
    /** DLP patterns blocked on prompts (a plain list: it decides how many blocklist items exist). */
    dlpPatterns: DlpPattern[];
    /** Default Medium, Azure's default; Low is stricter. */
    blockingThreshold?: BlockingThreshold;
    /** Policy name (default `landing-zone-strict`). */
    policyName?: string;
    /** Blocklist name (default `landing-zone-dlp`). */
    blocklistName?: string;
}

/** Synchronous checks of the arguments; every problem names the argument and what was expected. */
export function validateContentFilterArgs(
    args: Pick<ContentFilterArgs, "dlpPatterns" | "blockingThreshold" | "policyName" | "blocklistName">,
): void {
    const problems: string[] = [];
    const threshold: string | undefined = args.blockingThreshold;
    if (threshold !== undefined && threshold !== "Low" && threshold !== "Medium") {
        problems.push(
            `blockingThreshold: '${threshold}' expected Low or Medium (High only blocks the most severe content, weaker than Azure's default)`,
        );
    }
    for (const key of ["policyName", "blocklistName"] as const) {
        const value = args[key];
        if (value !== undefined && !raiNamePattern.test(value))
            problems.push(`${key}: '${value}' expected 1-64 letters, digits, '-', '.', '_' or '~'`);
    }
    try {
        blocklistItemsFor(args.dlpPatterns);
    } catch (e) {
        problems.push((e as Error).message);
    }
    if (problems.length > 0) throw new Error(`ContentFilter: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

export interface ContentFilterEntry {
    name: string;
    enabled: boolean;
    blocking: boolean;
    /** Only for the graded harm categories. */
    severityThreshold?: BlockingThreshold;
    source: "Prompt" | "Completion";
}

/** The policy's content filters: every category blocking at the threshold on both sides, shields and protected material on. */
export function contentFiltersFor(threshold: BlockingThreshold): ContentFilterEntry[] {
    return [
        ...(["Prompt", "Completion"] as const).flatMap((source) =>
            harmCategories.map((name) => ({
                name,
                enabled: true,
                blocking: true,
                severityThreshold: threshold,
                source,
            })),
        ),
        // Prompt shields: direct jailbreaks, and attacks hidden in grounding documents.
        { name: "Jailbreak", enabled: true, blocking: true, source: "Prompt" as const },
        { name: "Indirect Attack", enabled: true, blocking: true, source: "Prompt" as const },
        // Output matching known copyrighted text or public code is blocked, not only annotated.
        { name: "Protected Material Text", enabled: true, blocking: true, source: "Completion" as const },
        { name: "Protected Material Code", enabled: true, blocking: true, source: "Completion" as const },
    ];
}

/** What a deployment needs to be bound to the policy: its name (known in preview) and what to wait for. */
export interface ContentFilterBinding {
    policyName: string;
    /** The policy resource (which itself waits for the blocklist and its items). */
    readyAfter: pulumi.Resource[];
}

export class ContentFilter extends pulumi.ComponentResource {
    /** The policy's name; plain, so deployments that reference it stay fully known in preview. */
    public readonly policyName: string;
    public readonly policyId: pulumi.Output<string>;
    /** Absent when no DLP pattern is selected. */
    public readonly blocklistName?: string;
    /** Pass as `ModelDeploymentsArgs.contentFilter`. */
    public readonly binding: ContentFilterBinding;
    /** Names of the blocklist items (one per regex). */
    public readonly blocklistItemNames: string[];
    /** The policy, blocklist and items: children of the account, so a lock on the account covers them. */
    public readonly lockCovers: pulumi.Resource[];

    constructor(name: string, args: ContentFilterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("azure-openai-lz:ai:ContentFilter", name, {}, opts);
        validateContentFilterArgs(args);
        const { resourceGroupName, accountName, tags } = args;
        const regexes = blocklistItemsFor(args.dlpPatterns);
        if (regexes.length === 0)
            pulumi.log.warn(`${name}: no DLP patterns selected; prompts are filtered for harm and attacks only`, this);

        const policyName = args.policyName ?? "landing-zone-strict";
        const blocklistName = args.blocklistName ?? "landing-zone-dlp";
        let blocklist: cognitiveservices.RaiBlocklist | undefined;
        let items: cognitiveservices.RaiBlocklistItem[] = [];
        if (regexes.length > 0) {
            blocklist = new cognitiveservices.RaiBlocklist(
                `${name}-dlp`,
                {
                    raiBlocklistName: blocklistName,
                    accountName,
                    resourceGroupName,
                    properties: {
                        description: `DLP patterns blocked on prompts: ${args.dlpPatterns.join(", ")} (managed by the landing zone)`,
                    },
                    tags,
                },
                { parent: this },
            );
            const list = blocklist;
            items = regexes.map(
                (r) =>
                    new cognitiveservices.RaiBlocklistItem(
                        `${name}-dlp-${r.id}`,
                        {
                            raiBlocklistItemName: r.id,
                            raiBlocklistName: list.name,
                            accountName,
                            resourceGroupName,
                            properties: { pattern: r.pattern, isRegex: true },
                        },
                        { parent: list },
                    ),
            );
        }

        const policy = new cognitiveservices.RaiPolicy(
            `${name}-policy`,
            {
                raiPolicyName: policyName,
                accountName,
                resourceGroupName,
                properties: {
                    basePolicyName: "Microsoft.DefaultV2",
                    // Blocking: content is held until filtered (the asynchronous mode streams first and filters after).
                    mode: "Blocking",
                    contentFilters: contentFiltersFor(args.blockingThreshold ?? "Medium"),
                    // The plain name, carried by the blocklist's URN (known in a preview): the policy stays known, and the
                    // pack links it to the blocklist even in a preview, where azure-native leaves the blocklist's name unknown.
                    customBlocklists: blocklist
                        ? [
                              {
                                  blocklistName: blocklist.urn.apply(() => blocklistName),
                                  blocking: true,
                                  source: "Prompt",
                              },
                          ]
                        : [],
                },
                tags,
                // The policy must not reference the blocklist before every pattern is in it.
            },
            { parent: this, dependsOn: blocklist ? [blocklist, ...items] : [] },
        );

        this.policyName = policyName;
        this.policyId = policy.id;
        this.blocklistName = blocklist ? blocklistName : undefined;
        this.binding = { policyName, readyAfter: [policy] };
        this.blocklistItemNames = regexes.map((r) => r.id);
        this.lockCovers = [policy, ...(blocklist ? [blocklist] : []), ...items];
        this.registerOutputs({
            policyName: this.policyName,
            policyId: this.policyId,
            blocklistName: this.blocklistName,
            blocklistItemNames: this.blocklistItemNames,
        });
    }
}
