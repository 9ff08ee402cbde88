/** The rules of a stack's AI gateway, and the gateway as the stack runs it. */
import { componentGatewayTier, gatewayDailyCostUsd, gatewayPrivateLink } from "./gateway";
import { catalogueUsdPer1kTokens, gatewayTokenLimits, GatewayUsdLimits } from "./gateway-limits";
import { ComplianceProfile } from "./profiles";
import { asArray, ConfigProblem, isObject, Raw } from "./stack-problems";
import { GatewayConfig, ParsedStackConfig } from "./stack-schema";
import { EffectiveGateway } from "./stack-settings";

/** The profile's gateway rules: required where the profile says, limits never above its own, callers that exist, a wiring that can work. */
export function gatewayProblems(raw: Raw, profile: ComplianceProfile, prod: boolean): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const add = (path: string, message: string) => problems.push({ path, message });
    const rule = profile.gateway;
    const required = rule.requiredFor === "all" || (rule.requiredFor === "production" && prod);
    if (!isObject(raw.gateway)) {
        if (raw.gateway === undefined && required)
            add(
                "gateway",
                `profile ${profile.id} requires the governed AI gateway for ${rule.requiredFor === "all" ? "every" : "production"} stack: expected a gateway block with integrationSubnetId (docs/gateway.md)`,
            );
        return problems;
    }
    const gateway = raw.gateway;
    const network = isObject(raw.network) ? raw.network : {};
    const subnet = gateway.integrationSubnetId;
    if (
        typeof subnet === "string" &&
        typeof network.vnetId === "string" &&
        !subnet.toLowerCase().startsWith(`${network.vnetId.toLowerCase()}/subnets/`)
    ) {
        add(
            "gateway.integrationSubnetId",
            "is not a subnet of network.vnetId, so the gateway could not resolve the accounts' private DNS records: expected <vnetId>/subnets/<name>",
        );
    }
    if (
        typeof subnet === "string" &&
        typeof network.privateEndpointSubnetId === "string" &&
        subnet.toLowerCase() === network.privateEndpointSubnetId.toLowerCase()
    ) {
        add(
            "gateway.integrationSubnetId",
            "is the private endpoint subnet: expected a dedicated subnet delegated to Microsoft.Web/serverFarms (outbound VNet integration takes the subnet for itself)",
        );
    }
    const zone = gateway.privateDnsZoneId;
    if (typeof zone === "string" && !zone.toLowerCase().endsWith(`/privatednszones/${gatewayPrivateLink.zone}`)) {
        add(
            "gateway.privateDnsZoneId",
            `points to the wrong zone: expected a privateDnsZones id ending in /${gatewayPrivateLink.zone}`,
        );
    }
    if (zone === undefined && isObject(network.privateDnsZoneIds)) {
        add(
            "gateway.privateDnsZoneId",
            `the stack uses hub DNS zones (network.privateDnsZoneIds): expected the hub's ${gatewayPrivateLink.zone} zone id too`,
        );
    }
    const limits = isObject(gateway.limits) ? gateway.limits : {};
    for (const key of ["dailyUsd", "monthlyUsd", "perRequestTokens", "perCallerPercent"] as const) {
        const value = limits[key];
        if (typeof value === "number" && value > rule.limits[key])
            add(
                `gateway.limits.${key}`,
                `${value} exceeds profile ${profile.id}'s ${rule.limits[key]}: expected at most that (a stack may only lower the profile's limits)`,
            );
    }

    const access = isObject(raw.access) ? raw.access : {};
    const applications = new Set(
        asArray(access.applications)
            .map((a) => (isObject(a) ? a.name : undefined))
            .filter((n): n is string => typeof n === "string"),
    );
    const seen = new Set<string>();
    asArray(gateway.callers).forEach((c, i) => {
        if (!isObject(c)) return;
        const at = `gateway.callers[${i}]`;
        if ((c.application === undefined) === (c.clientId === undefined))
            add(at, "expected exactly one of application (a name of access.applications) or clientId");
        if (typeof c.application === "string" && !applications.has(c.application))
            add(
                `${at}.application`,
                `'${c.application}' is not in access.applications: expected one of ${[...applications].join(", ") || "(none declared)"}`,
            );
        const key = String(c.application ?? c.clientId ?? "").toLowerCase();
        if (key && seen.has(key)) add(at, `duplicate caller '${key}': expected each caller once`);
        seen.add(key);
    });
    if (asArray(gateway.callers).length === 0 && applications.size === 0)
        add(
            "gateway.callers",
            "no caller: the stack declares no access.applications, expected at least one caller so that someone may call the gateway",
        );
    return problems;
}

/** The gateway as the stack runs it, from the parsed config. Throws the arithmetic's message when its limits cannot hold. */
export function effectiveGateway(
    config: ParsedStackConfig & { gateway: GatewayConfig },
    profile: ComplianceProfile,
): EffectiveGateway {
    const g = config.gateway;
    const usdLimits: GatewayUsdLimits = {
        ...profile.gateway.limits,
        ...Object.fromEntries(Object.entries(g.limits).filter(([, v]) => v !== undefined)),
    };
    const prices = catalogueUsdPer1kTokens(
        config.deployments.map((d) => d.model),
        config.prices,
    );
    const callers =
        g.callers.length > 0
            ? g.callers.map((c) =>
                  c.application !== undefined
                      ? { application: c.application, team: c.team }
                      : { clientId: c.clientId as string, team: c.team },
              )
            : config.access.applications.map((a) => ({ application: a.name, team: a.name }));
    return {
        usdLimits,
        limits: gatewayTokenLimits(usdLimits, config.deployments, prices),
        callers,
        publisherEmail: g.publisherEmail ?? config.budget.contactEmails[0],
        dailyCostUsd: gatewayDailyCostUsd(componentGatewayTier, g.units),
        bodyLoggingAllowed: profile.gateway.bodyLoggingAllowed,
        publicInboundAllowed: profile.gateway.publicInboundAllowed,
    };
}
