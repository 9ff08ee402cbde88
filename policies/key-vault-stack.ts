/**
 * The Key Vault family, across resources: a vault uses Azure RBAC unless it is the customer-managed-key vault of an
 * Azure OpenAI account of the stack (Azure OpenAI's CMK requires legacy access policies), and every vault sends its
 * audit logs to a Log Analytics workspace. Links are followed by URN (preview) and by id or name (update).
 */
import { PolicyResource, UnknownValueError } from "@pulumi/policy";
import { keyVaultDiagnostics, types } from "../catalogue/azure";
import { asArray, cannotKnow, describe, isObject, known, peek, show, unknown } from "./core";
import { armVault } from "./key-vault";
import { accountTypes, canonicalType, StackIndex } from "./stack-index";
import { judgeEach, stackRule } from "./stack-rule";

const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : "");

/** A generic ARM resource of Microsoft.KeyVault/vaults (its namespace and type known). */
export function isGenericVault(r: PolicyResource): boolean {
    if (canonicalType(r.type) !== types.genericResource) return false;
    const parent = peek(r.props, "parentResourcePath");
    return (
        `${lower(peek(r.props, "resourceProviderNamespace"))}/${lower(peek(r.props, "resourceType"))}` === armVault &&
        (parent === undefined || parent === "")
    );
}

/** Every vault of the stack, whichever route declared it. */
export function vaultsOf(index: StackIndex): PolicyResource[] {
    return [...index.of(types.vault, types.classicVault), ...index.of(types.genericResource).filter(isGenericVault)];
}

const vaultTargets = [types.vault, types.classicVault, types.genericResource];
const isVault = (r: PolicyResource) =>
    canonicalType(r.type) === types.vault || canonicalType(r.type) === types.classicVault || isGenericVault(r);

/** `kv-contoso` from `https://kv-contoso.vault.azure.net/` or `https://kv-contoso.vault.azure.net/keys/cmk/1`. */
const vaultNameOfUri = (uri: unknown) =>
    typeof uri === "string" ? /^https:\/\/([^./]+)\.vault\./i.exec(uri)?.[1] : undefined;

/** The vaults a key (native or classic) belongs to: by URN, parent or id (a native key's `vaultName` is a URL path parameter). */
function vaultsOfKey(index: StackIndex, key: PolicyResource): PolicyResource[] {
    const link =
        canonicalType(key.type) === types.classicVaultKey
            ? index.link(key, "keyVaultId", [types.classicVault])
            : index.ownerOf(key, "vaultName", types.vault);
    return link.kind === "resources" ? link.resources : [];
}

/**
 * Vaults holding the customer-managed key of an Azure OpenAI account of the stack, or granting an account's identity
 * access; `unsure` when some link could not be followed yet (a preview), so a vault not found may still be one.
 */
function customerManagedKeyVaults(index: StackIndex): { vaults: Set<string>; unsure?: unknown } {
    const out = new Set<string>();
    let unsure: unknown;
    const follow = (fn: () => void) => {
        try {
            fn();
        } catch (e) {
            if (!(e instanceof UnknownValueError)) throw e;
            unsure ??= e;
        }
    };
    const add = (rs: PolicyResource[]) => rs.filter(isVault).forEach((v) => out.add(v.urn));
    const keyTypes: string[] = [types.vaultKey, types.classicVaultKey];
    const accountUrns = new Set(index.of(...accountTypes).map((a) => a.urn));
    const principalIds = new Set(
        index
            .of(...accountTypes)
            .map((a) => peek(a.props, "identity", "principalId"))
            .filter((p): p is string => typeof p === "string" && p !== ""),
    );
    for (const account of index.of(...accountTypes)) {
        const classic = canonicalType(account.type) === types.classicAccount;
        const deps = account.propertyDependencies[classic ? "customerManagedKey" : "properties"] ?? [];
        add(deps);
        for (const key of deps.filter((d) => keyTypes.includes(canonicalType(d.type))))
            follow(() => add(vaultsOfKey(index, key)));
        const uri = classic
            ? peek(account.props, "customerManagedKey", "keyVaultKeyId")
            : peek(account.props, "properties", "encryption", "keyVaultProperties", "keyVaultUri");
        const name = vaultNameOfUri(uri);
        if (name) add([...index.named(types.vault, name), ...index.named(types.classicVault, name)]);
    }
    // An access policy whose grantee is an account's identity (by URN in preview, by principal id once known).
    const grantsToAccount = (r: PolicyResource, property: string, objectId: unknown) =>
        (r.propertyDependencies[property] ?? []).some((d) => accountUrns.has(d.urn)) ||
        (typeof objectId === "string" && principalIds.has(objectId));
    for (const ap of index.of(types.vaultAccessPolicy)) {
        if (!grantsToAccount(ap, "policy", peek(ap.props, "policy", "objectId"))) continue;
        follow(() => {
            const link = index.ownerOf(ap, "vaultName", types.vault);
            if (link.kind === "resources") add(link.resources);
        });
    }
    for (const ap of index.of(types.classicVaultAccessPolicy)) {
        if (!grantsToAccount(ap, "objectId", peek(ap.props, "objectId"))) continue;
        follow(() => {
            const link = index.link(ap, "keyVaultId", [types.classicVault]);
            if (link.kind === "resources") add(link.resources);
        });
    }
    for (const vault of vaultsOf(index)) {
        const classic = canonicalType(vault.type) === types.classicVault;
        const policies = peek(vault.props, ...(classic ? ["accessPolicies"] : ["properties", "accessPolicies"]));
        const inline = asArray(policies === unknown ? [] : policies).some(
            (p) => isObject(p) && typeof p.objectId === "string" && principalIds.has(p.objectId),
        );
        if (inline || grantsToAccount(vault, classic ? "accessPolicies" : "properties", undefined)) out.add(vault.urn);
    }
    return { vaults: out, unsure };
}

export const vaultAccessModel = stackRule({
    name: "azure-openai-key-vault-configure-access-model",
    description:
        "Key Vaults must authorize data access with Azure RBAC; legacy access policies are accepted only on the customer-managed-key vault of an Azure OpenAI account of the stack, where Azure requires them.",
    severity: "high",
    concerns: [types.vault, types.classicVault],
    anchors: { mcsb: "PA-7", azurePolicy: "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5", psrule: "Azure.KeyVault.RBAC" },
    remediationSteps:
        "Set properties.enableRbacAuthorization to true (classic provider: rbacAuthorizationEnabled = true) and grant Key Vault roles instead of access policies. Only the vault of an Azure OpenAI account's customer-managed key keeps access policies (get, wrapKey, unwrapKey for the account's system-assigned identity).",
    check: (index, _c, problem) => {
        let cmk: ReturnType<typeof customerManagedKeyVaults> | undefined;
        judgeEach(vaultsOf(index), (vault) => {
            const classic = canonicalType(vault.type) === types.classicVault;
            const path = classic ? ["rbacAuthorizationEnabled"] : ["properties", "enableRbacAuthorization"];
            let rbac = known(vault.props, ...path);
            if (classic && rbac === undefined) rbac = known(vault.props, "enableRbacAuthorization");
            if (rbac === true) return;
            cmk ??= customerManagedKeyVaults(index);
            if (cmk.vaults.has(vault.urn)) return;
            // Not found while some access policy or key could not be placed yet: which vault it is on is not known.
            if (cmk.unsure) throw cmk.unsure;
            problem(
                vault,
                path.join("."),
                `is ${show(rbac)} (access policies${rbac === undefined ? ", Azure's default" : ""}) and the vault holds no Azure OpenAI account's customer-managed key`,
                "set it to true and grant Key Vault roles through Azure RBAC",
            );
        });
    },
});

const isWorkspaceId = (v: string) => /\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i.test(v);

/** What a diagnostic setting lacks to count as the vault's audit trail; empty when complete. */
export function vaultDiagnosticGaps(index: StackIndex, setting: PolicyResource): string[] {
    const gaps: string[] = [];
    const logs = asArray(known(setting.props, "logs")).filter((l) => isObject(l) && peek(l, "enabled") === true);
    // In a preview's outputs an entry given by category group has an unknown `category` (and the reverse).
    const fields = logs.flatMap((l) => [peek(l, "category"), peek(l, "categoryGroup")]);
    const audited = logs.some(
        (l) =>
            lower(peek(l, "category")) === keyVaultDiagnostics.auditCategory.toLowerCase() ||
            keyVaultDiagnostics.categoryGroups.some((g) => lower(peek(l, "categoryGroup")) === g.toLowerCase()),
    );
    if (!audited) {
        if (fields.includes(unknown)) cannotKnow(`${describe(setting)}: the categories of logs`);
        gaps.push(
            `logs enable neither the ${keyVaultDiagnostics.auditCategory} category nor the ${keyVaultDiagnostics.categoryGroups.join("/")} category group`,
        );
    }
    const ws = index.link(setting, "workspaceId", [types.workspace]);
    if (!(ws.kind === "resources" || (ws.kind === "external" && isWorkspaceId(ws.id))))
        gaps.push("workspaceId does not point to a Log Analytics workspace");
    return gaps;
}

export const vaultDiagnostics = stackRule({
    name: "azure-openai-key-vault-enable-audit-diagnostics",
    description:
        "Every Key Vault must send its audit logs (the AuditEvent category, or the audit/allLogs category group) to a Log Analytics workspace, so every use of the key is on record.",
    severity: "high",
    concerns: [types.vault, types.classicVault],
    anchors: { mcsb: "LT-3", azurePolicy: "cf820ca0-f99e-4f3e-84fb-66e913812d21", psrule: "Azure.KeyVault.Logs" },
    remediationSteps:
        "Add a monitor.DiagnosticSetting with resourceUri = the vault id, workspaceId = the stack's audit workspace and logs [{ categoryGroup: \"audit\", enabled: true }] (the CustomerManagedKey component's diagnosticSettings do).",
    check: (index, _c, problem) => {
        const settingsOf = new Map<string, PolicyResource[]>();
        judgeEach(index.of(types.diagnosticSetting), (s) => {
            // resourceUri is a URL path parameter: absent from the outputs, so the scope comes by URN or from the id.
            const link = index.scopeOf(s, "resourceUri", vaultTargets);
            if (link.kind === "resources")
                for (const v of link.resources.filter(isVault))
                    settingsOf.set(v.urn, [...(settingsOf.get(v.urn) ?? []), s]);
        });
        judgeEach(vaultsOf(index), (vault) => {
            const settings = settingsOf.get(vault.urn) ?? [];
            if (settings.length === 0) {
                problem(
                    vault,
                    "diagnostic setting",
                    "is missing, so key use is not audited",
                    "add a DiagnosticSetting sending the audit category group to the audit workspace",
                );
                return;
            }
            const judged = settings.map((s) => vaultDiagnosticGaps(index, s));
            if (judged.every((g) => g.length > 0))
                problem(
                    vault,
                    "diagnostic settings",
                    `are incomplete: ${judged[0].join("; ")}`,
                    "send the AuditEvent category (or the audit category group) to a Log Analytics workspace",
                );
        });
    },
});

export const keyVaultStackPolicies = [vaultAccessModel, vaultDiagnostics];
