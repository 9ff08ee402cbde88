// What counts as weaker, per enforcement level and per config property (docs/pipelines.md, "What counts as weakening
// the rules"):
//   enforcement levels   disabled < advisory < remediate < mandatory (anything below mandatory is weaker:
//                        remediate rewrites a resource instead of stopping the deployment)
//   allowlist            a list of what is allowed: any element the base does not allow is weaker
//   allowlist-map        allowed values per key (approved model versions): a new key or value is weaker
//   requirelist          a list of what is required or watched: any element dropped is weaker
//   requirement          a boolean that switches a requirement on: true to false is weaker
//   minimum / maximum    a number that must be reached / not exceeded: lower / higher is weaker
//   floor-map            numbers per key used to estimate a cost (prices): a lower or missing value is weaker
//   exact                a value with no order (the compliance profile a tag must name): any change is weaker
// A config property without an ordering here is reported as changed whenever it changes; a test fails when the
// pack declares a property this table does not order, so the table cannot fall behind the pack.
"use strict";

const LEVEL_RANK = { disabled: 0, advisory: 1, remediate: 2, mandatory: 3 };

const VALUE_ORDER = {
    allowedRegions: "allowlist",
    allowedSkus: "allowlist",
    allowedKinds: "allowlist",
    allowedSeverityThresholds: "allowlist",
    allowedRoleIds: "allowlist",
    allowedAccountRoleIds: "allowlist",
    allowedWorkspaceRoleIds: "allowlist",
    allowedKeyVaultRoleIds: "allowlist",
    allowedContainerRoleIds: "allowlist",
    allowedKeyVaultKeyPermissions: "allowlist",
    allowedPrincipalTypes: "allowlist",
    accountZones: "allowlist",
    vaultZones: "allowlist",
    monitorZones: "allowlist",
    allowedKeyPermissions: "allowlist",
    allowedKeyTypes: "allowlist",
    approvedModels: "allowlist-map",
    requiredTags: "requirelist",
    productionStackPatterns: "requirelist",
    productionEnvironments: "requirelist",
    requireCustomerManagedKey: "requirement",
    requireFqdnList: "requirement",
    requireNoAutoUpgrade: "requirement",
    requirePrivateInbound: "requirement",
    forbidSubscriptionKeys: "requirement",
    forbidBodyLogging: "requirement",
    requireHsm: "requirement",
    requirePrivateAccess: "requirement",
    requiredQuotaPeriods: "requirelist",
    minInteractiveDays: "minimum",
    minTotalDays: "minimum",
    warningDays: "minimum",
    minRsaKeySize: "minimum",
    dailySpendLimitUsd: "maximum",
    maxPerRequestTokens: "maximum",
    maxDailyUsd: "maximum",
    maxMonthlyUsd: "maximum",
    maxDays: "maximum",
    maxRotateAfterDays: "maximum",
    pricesUsdPer1kTokens: "floor-map",
    complianceProfile: "exact",
    today: "clock",
    exemptions: "exemptions",
};

const json = (v) => JSON.stringify(v);
const list = (v) => (Array.isArray(v) ? v.map(String) : []);

/** Why a value change is weaker under its ordering, or undefined when it is not. */
function relaxation(kind, base, head) {
    if (json(base) === json(head)) return undefined;
    switch (kind) {
        case "allowlist": {
            const added = list(head).filter((x) => !list(base).includes(x));
            return added.length ? `now also allows ${added.join(", ")}` : undefined;
        }
        case "allowlist-map": {
            const b = base && typeof base === "object" ? base : {};
            const h = head && typeof head === "object" ? head : {};
            const added = [];
            for (const [key, values] of Object.entries(h)) {
                if (!(key in b)) added.push(`${key} (${list(values).join(", ")})`);
                else for (const v of list(values)) if (!list(b[key]).includes(v)) added.push(`${key} ${v}`);
            }
            return added.length ? `now also allows ${added.join(", ")}` : undefined;
        }
        case "requirelist": {
            const dropped = list(base).filter((x) => !list(head).includes(x));
            return dropped.length ? `no longer requires ${dropped.join(", ")}` : undefined;
        }
        case "requirement":
            return base === true && head !== true
                ? `requirement switched off (${json(base)} to ${json(head)})`
                : undefined;
        case "clock":
            // The pack's notion of today: pinning it (or moving a pin) can revive expired exemptions and retired models.
            return head !== undefined && head !== null && head !== ""
                ? `the pack's date is pinned to ${json(head)} (was ${json(base)})`
                : undefined;
        case "minimum":
            return typeof head !== "number" || (typeof base === "number" && head < base)
                ? `minimum lowered from ${json(base)} to ${json(head)}`
                : undefined;
        case "maximum":
            return typeof head !== "number" || (typeof base === "number" && head > base)
                ? `maximum raised from ${json(base)} to ${json(head)}`
                : undefined;
        case "floor-map": {
            const b = base && typeof base === "object" ? base : {};
            const h = head && typeof head === "object" ? head : {};
            const lowered = Object.entries(b)
                .filter(([k, v]) => !(typeof h[k] === "number" && h[k] >= v))
                .map(([k, v]) => `${k} ${v} to ${h[k] === undefined ? "(none)" : h[k]}`);
            return lowered.length ? `lowered ${lowered.join(", ")}` : undefined;
        }
        default:
            return `changed from ${json(base)} to ${json(head)}`;
    }
}

module.exports = { LEVEL_RANK, VALUE_ORDER, relaxation };
