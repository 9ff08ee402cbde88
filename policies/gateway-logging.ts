/** What an AI gateway logs: its gateway logs to a Log Analytics workspace, and no prompts or completions. */
import { types } from "../catalogue/azure";
import { gatewayLogCategories, gatewayTypes } from "../catalogue/gateway";
import { asArray, asString, cannotKnow, isObject, known, peek, show, unknown } from "./core";
import { profileGateways } from "./gateway-defaults";
import { gatewaysOf } from "./gateway-graph";
import { resourceRule } from "./rule";
import { stackRule } from "./stack-rule";

const isWorkspaceId = (v: string) => /\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i.test(v);

export const gatewayDiagnostics = stackRule({
    name: "azure-openai-gateway-enable-diagnostics",
    description:
        "Every API Management gateway must send its gateway logs (GatewayLogs, or the allLogs category group) to a Log Analytics workspace.",
    severity: "high",
    concerns: [gatewayTypes.service],
    anchors: { mcsb: "LT-3" },
    remediationSteps: `Add a monitor.DiagnosticSetting with resourceUri = the service id, workspaceId = the stack's workspace and logs [{ category: "${gatewayLogCategories.gateway}" }, { category: "${gatewayLogCategories.llm}" }] (the AiGateway component does).`,
    check: (index, _c, problem) => {
        const covered = new Set<string>();
        const incomplete = new Map<string, string>();
        for (const s of index.of(types.diagnosticSetting)) {
            const target = index.link(s, "resourceUri", [gatewayTypes.service]);
            if (target.kind !== "resources") continue;
            const ws = index.link(s, "workspaceId", [types.workspace]);
            const toWorkspace = ws.kind === "resources" || (ws.kind === "external" && isWorkspaceId(ws.id));
            const logs = asArray(known(s.props, "logs")).filter((l) => isObject(l) && l.enabled !== false) as Record<
                string,
                unknown
            >[];
            const gatewayLogs = logs.some(
                (l) => asString(l.category) === gatewayLogCategories.gateway || asString(l.categoryGroup) === "allLogs",
            );
            for (const svc of target.resources) {
                if (toWorkspace && gatewayLogs) covered.add(svc.urn);
                else
                    incomplete.set(
                        svc.urn,
                        !toWorkspace
                            ? "workspaceId does not point to a Log Analytics workspace"
                            : `logs enable neither ${gatewayLogCategories.gateway} nor the allLogs group`,
                    );
            }
        }
        for (const g of gatewaysOf(index)) {
            if (covered.has(g.service.urn)) continue;
            const why = incomplete.get(g.service.urn);
            problem(
                g.service,
                "diagnostic setting",
                why ? `is incomplete: ${why}` : "is missing, so requests through the gateway are not audited",
                "send GatewayLogs to the stack's Log Analytics workspace",
            );
        }
    },
});

/** Body sizes logged by an API Management diagnostic (frontend/backend, request/response), and LLM message logging. */
function loggedBodies(props: Record<string, unknown>): string[] {
    const out: string[] = [];
    for (const side of ["frontend", "backend"]) {
        for (const dir of ["request", "response"]) {
            const bytes = peek(props, side, dir, "body", "bytes");
            if (bytes === unknown) cannotKnow(`${side}.${dir}.body.bytes`);
            if (typeof bytes === "number" && bytes > 0) out.push(`${side}.${dir}.body.bytes is ${bytes}`);
        }
    }
    const llm = peek(props, "largeLanguageModel");
    if (isObject(llm) && String(llm.logs ?? "").toLowerCase() === "enabled") {
        for (const dir of ["requests", "responses"]) {
            const messages = peek(llm, dir, "messages");
            if (messages !== undefined && String(messages).toLowerCase() !== "none")
                out.push(`largeLanguageModel.${dir}.messages is ${show(messages)}`);
        }
    }
    return out;
}

export const gatewayBodyLogging = resourceRule<{ forbidBodyLogging: boolean }>({
    name: "azure-openai-gateway-disallow-body-logging",
    description:
        "API Management diagnostics must not log request or response bodies (prompts and completions, which carry personal data) unless the compliance profile allows it.",
    severity: "high",
    concerns: [gatewayTypes.diagnostic, gatewayTypes.apiDiagnostic],
    anchors: { mcsb: "DP-2" },
    configSchema: {
        properties: {
            forbidBodyLogging: { type: "boolean", default: profileGateways.some((g) => !g.bodyLoggingAllowed) },
        },
    },
    remediationSteps:
        "Set frontend and backend request/response body.bytes to 0 on every apimanagement Diagnostic and ApiDiagnostic, and leave LLM message logging (largeLanguageModel) off.",
    skip: (_t, _p, config) =>
        config.forbidBodyLogging ? undefined : "the compliance profile allows logging request and response bodies",
    check: (_type, props, _c, problem) => {
        for (const logged of loggedBodies(props))
            problem(
                logged.split(" is ")[0],
                `is ${logged.split(" is ")[1]}: prompts or completions reach the logs`,
                "set it to 0 (or messages to none)",
            );
    },
});
