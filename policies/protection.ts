/**
 * In production, the account, the audit workspace and the Key Vault survive a mistaken `pulumi destroy`
 * or replacement: `protect` or a CanNotDelete/ReadOnly management lock on them. Production is decided by the stack
 * name (pipeline-controlled) or the environment tag, so dropping a tag is no way out.
 */
import { PolicyResource } from "@pulumi/policy";
import { types } from "../catalogue/azure";
import { isObject, peek } from "./core";
import { accountTypes } from "./stack-index";
import { stackRule } from "./stack-rule";

const statefulTypes = [...accountTypes, types.workspace, types.vault];
const lockTypes = [types.managementLock];

function globToRegExp(glob: string): RegExp {
    return new RegExp(
        `^${glob
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
    );
}

interface ProtectionConfig {
    productionStackPatterns: string[];
    productionEnvironments: string[];
}
export const deletionProtection = stackRule<ProtectionConfig>({
    name: "azure-openai-production-require-deletion-protection",
    description:
        "In production, Azure OpenAI accounts, their audit workspaces and Key Vaults must be protected against deletion with `protect` or a CanNotDelete management lock.",
    severity: "high",
    concerns: statefulTypes,
    anchors: { mcsb: "BR-2" },
    configSchema: {
        properties: {
            productionStackPatterns: {
                type: "array",
                items: { type: "string" },
                default: ["*-prod", "prod-*", "prod"],
            },
            productionEnvironments: { type: "array", items: { type: "string" }, default: ["prod", "production"] },
        },
    },
    remediationSteps:
        "Set `protect: true` on the resource and add an authorization.ManagementLockByScope with level CanNotDelete on it (the components do both when environment is prod). Either alone passes: while a stack suspends its locks for one update that deletes a locked child (stack config deletionLocks: suspended), `protect` keeps the resource.",
    check: (index, config, problem) => {
        const stackIsProduction = config.productionStackPatterns.some((p) => globToRegExp(p).test(index.stack));
        const locked = new Set<string>();
        for (const lock of index.of(...lockTypes)) {
            const level = peek(lock.props, "level");
            if (level !== "CanNotDelete" && level !== "ReadOnly") continue;
            // A lock's scope is a URL path parameter: absent from its outputs, found by URN or from the lock's id.
            const link = index.scopeOf(lock, "scope", statefulTypes);
            if (link.kind === "resources") link.resources.forEach((r) => locked.add(r.urn));
        }
        const isProduction = (r: PolicyResource) => {
            const tags = peek(r.props, "tags");
            return (
                stackIsProduction ||
                (isObject(tags) && config.productionEnvironments.includes(String(tags.environment)))
            );
        };
        for (const r of index.of(...statefulTypes)) {
            if (!isProduction(r) || r.opts.protect || locked.has(r.urn)) continue;
            problem(
                r,
                "protect",
                "is false and no CanNotDelete lock covers it in a production stack",
                "set protect: true and add a CanNotDelete management lock",
            );
        }
    },
});
