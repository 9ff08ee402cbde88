/**
 * Every deployment is bound to a content-filter (RAI) policy defined in the stack that is no weaker than
 * the platform baseline and carries a blocking DLP blocklist with at least one item.
 */
import { PolicyResource, UnknownValueError } from "@pulumi/policy";
import { types } from "../catalogue/azure";
import { asArray, cannotKnow, describe, isObject, peek, show, unknown } from "./core";
import { deploymentFields } from "./deployments";
import { canonicalType, deploymentTypes, StackIndex } from "./stack-index";
import { judgeEach, StackProblem, stackRule } from "./stack-rule";

/** Harm categories filtered on both prompts and completions by Azure's default policy; the baseline keeps them all. */
export const harmCategories = ["Hate", "Sexual", "Violence", "Selfharm"];
/** Detections the baseline requires: [name, source, must block]. */
export const requiredDetections: [string, "Prompt" | "Completion", boolean][] = [
    ["Jailbreak", "Prompt", true],
    ["Protected Material Text", "Completion", true],
    ["Protected Material Code", "Completion", false],
];
/** Modes in which content reaches the caller before it is filtered. */
const deferredModes = ["deferred", "asynchronous_filter"];

const norm = (v: unknown) => (typeof v === "string" ? v.toLowerCase().replace(/[^a-z0-9]/g, "") : "");

interface FilterConfig {
    allowedSeverityThresholds: string[];
}

function judgePolicy(
    index: StackIndex,
    policy: PolicyResource,
    itemsPerBlocklist: Map<string, number>,
    config: FilterConfig,
): string[] {
    const out: string[] = [];
    const props = policy.props;
    const mode = peek(props, "properties", "mode");
    if (mode !== unknown && deferredModes.includes(String(mode).toLowerCase()))
        out.push(
            `properties.mode is ${show(mode)}, so content reaches callers before it is filtered: use "Blocking" or "Default"`,
        );
    const filters = asArray(peek(props, "properties", "contentFilters")).filter(isObject);
    const find = (name: string, source: string) =>
        filters.find((f) => norm(f.name) === norm(name) && norm(f.source) === norm(source));
    for (const category of harmCategories) {
        for (const source of ["Prompt", "Completion"]) {
            const f = find(category, source);
            if (!f || f.enabled !== true || f.blocking !== true)
                out.push(
                    `properties.contentFilters has no enabled, blocking ${category} filter on ${source}: add { name: "${category}", source: "${source}", enabled: true, blocking: true }`,
                );
            else if (!config.allowedSeverityThresholds.includes(String(f.severityThreshold)))
                out.push(
                    `properties.contentFilters ${category}/${source} severityThreshold is ${show(f.severityThreshold)}: use ${config.allowedSeverityThresholds.join(" or ")}`,
                );
        }
    }
    for (const [name, source, mustBlock] of requiredDetections) {
        const f = find(name, source);
        if (!f || f.enabled !== true || (mustBlock && f.blocking !== true))
            out.push(
                `properties.contentFilters has no enabled${mustBlock ? ", blocking" : ""} ${name} detection on ${source}: add it`,
            );
    }
    const blocking = asArray(peek(props, "properties", "customBlocklists")).filter(
        (b) => isObject(b) && peek(b, "blocking") === true && norm(peek(b, "source")) === "prompt",
    ) as Record<string, unknown>[];
    if (blocking.length === 0) {
        out.push(
            'properties.customBlocklists has no blocking blocklist on prompts: attach the stack\'s DLP blocklist with blocking: true, source: "Prompt"',
        );
        return out;
    }
    // Each blocking entry names a blocklist of the policy's account: the stack's, by URN or by the names the outputs know.
    const withItems = blocking.map((b) => {
        const link = index.linkByName(policy, "properties", types.raiBlocklist, peek(b, "blocklistName"));
        if (link.kind !== "resources") return false;
        const counts = sameAccount(index, policy, link.resources).map((l) => (itemsPerBlocklist.get(l.urn) ?? 0) > 0);
        if (counts.every(Boolean)) return true;
        if (counts.some(Boolean)) cannotKnow(`${describe(policy)}: which blocklist properties.customBlocklists names`);
        return false;
    });
    if (!withItems.some(Boolean))
        out.push(
            "properties.customBlocklists: no blocking prompt blocklist is defined in this stack with at least one item: create the DLP blocklist (RaiBlocklist with RaiBlocklistItems) and attach it",
        );
    return out;
}

/** The account a deployment, policy or blocklist belongs to (by URN, parent or id), when that is known. */
function accountOf(index: StackIndex, r: PolicyResource): Set<string> | undefined {
    try {
        const link = index.ownerOf(r, "accountName", types.account);
        return link.kind === "resources" ? new Set(link.resources.map((a) => a.urn)) : undefined;
    } catch (e) {
        if (e instanceof UnknownValueError) return undefined;
        throw e;
    }
}

/**
 * Of the resources a name matched, those on `owner`'s account (names are unique per account, not per stack). When
 * the accounts are not known, or none matches, every candidate stays: the rule then holds only if it holds for all.
 */
function sameAccount(index: StackIndex, owner: PolicyResource, candidates: PolicyResource[]): PolicyResource[] {
    if (candidates.length < 2) return candidates;
    const mine = accountOf(index, owner);
    if (!mine) return candidates;
    const matching = candidates.filter((c) => [...(accountOf(index, c) ?? [])].some((a) => mine.has(a)));
    return matching.length > 0 ? matching : candidates;
}

/** Items per blocklist: an item belongs to the blocklist it depends on by URN, its parent, or the one its id nests under. */
function countItems(index: StackIndex): Map<string, number> {
    const counts = new Map<string, number>();
    for (const item of index.of(types.raiBlocklistItem)) {
        const link = index.ownerOf(item, "raiBlocklistName", types.raiBlocklist);
        if (link.kind === "resources") for (const l of link.resources) counts.set(l.urn, (counts.get(l.urn) ?? 0) + 1);
    }
    return counts;
}

export const contentFilter = stackRule<FilterConfig>({
    name: "azure-openai-deployment-enforce-content-filter",
    description:
        "Every model deployment must be bound to a content-filter policy of the stack that is no weaker than the platform baseline and blocks the DLP blocklist on prompts.",
    severity: "high",
    concerns: deploymentTypes,
    anchors: { mcsb: "AI-1", azurePolicy: "c1ad46c6-37f8-4af0-9c71-c208375c87dd" },
    configSchema: {
        properties: {
            allowedSeverityThresholds: {
                type: "array",
                items: { type: "string", enum: ["Low", "Medium", "High"] },
                default: ["Low", "Medium"],
            },
        },
    },
    remediationSteps:
        "Create the content filter with the ContentFilter component (harm filters blocking at Medium or Low on prompts and completions, jailbreak and protected-material detection, the DLP blocklist blocking on prompts) and set the deployment's raiPolicyName to it.",
    check: (index, config, problem: StackProblem) => {
        const items = countItems(index);
        const verdicts = new Map<string, string[]>();
        judgeEach(index.of(...deploymentTypes), (d) => {
            const path = deploymentFields(canonicalType(d.type)).raiPolicyName;
            const value = peek(d.props, ...path);
            if (value === undefined || value === "") {
                problem(
                    d,
                    path.join("."),
                    "is not set, so Azure applies its default filter without the DLP blocklist",
                    "bind the deployment to the stack's content-filter policy",
                );
                return;
            }
            const link = index.linkByName(d, path[0], types.raiPolicy, value);
            if (link.kind !== "resources") {
                problem(
                    d,
                    path.join("."),
                    `is ${show(value)}, a policy not defined in this stack, so the pack cannot verify it`,
                    "bind the deployment to a content-filter policy created in this stack",
                );
                return;
            }
            const findings = sameAccount(index, d, link.resources).map((p) => {
                const cached = verdicts.get(p.urn) ?? judgePolicy(index, p, items, config);
                verdicts.set(p.urn, cached);
                return { policy: p, findings: cached };
            });
            const weak = findings.filter((f) => f.findings.length > 0);
            if (weak.length === 0) return;
            // Several candidates (names unknown in a preview, or accounts unknown): weak and compliant ones cannot be told apart.
            if (weak.length < findings.length)
                cannotKnow(`${describe(d)}: which content-filter policy ${path.join(".")} names`);
            problem(
                d,
                path.join("."),
                `points to ${describe(weak[0].policy)}, which is weaker than the baseline (${weak[0].findings.join("; ")})`,
                "fix the content-filter policy as listed",
            );
        });
    },
});
