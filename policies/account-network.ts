/** Where an Azure OpenAI account can be reached from, and where it may send data. */
import { always, isClassic } from "./account-common";
import { asArray, known, peek, show, unknown } from "./core";
import { fixFor } from "./fix";
import { resourceRule } from "./rule";
import { accountTypes } from "./stack-index";

export const publicNetworkAccess = resourceRule({
    name: "azure-openai-account-disallow-public-network-access",
    description:
        "Azure OpenAI accounts must disable public network access so that they are reachable only through private endpoints.",
    severity: "critical",
    nonExemptable: true,
    concerns: accountTypes,
    anchors: {
        mcsb: "NS-2",
        azurePolicy: "47ba1dd7-28d9-4b07-a8d5-9813bed64e0c",
        checkov: "CKV_AZURE_134",
        psrule: "Azure.AI.PrivateEndpoints",
    },
    remediationSteps:
        'Set properties.publicNetworkAccess to "Disabled" (classic provider: publicNetworkAccessEnabled = false) and reach the account through its private endpoint.',
    check: (type, props, _c, problem) => {
        if (isClassic(type)) {
            const v = known(props, "publicNetworkAccessEnabled");
            if (v !== false)
                problem(
                    "publicNetworkAccessEnabled",
                    `is ${show(v)} (the classic provider defaults to true)`,
                    fixFor("set publicNetworkAccessEnabled = false", always),
                );
        } else {
            const v = known(props, "properties", "publicNetworkAccess");
            if (v !== "Disabled")
                problem(
                    "properties.publicNetworkAccess",
                    `is ${show(v)} (Azure defaults to Enabled)`,
                    fixFor('set it to "Disabled"', always),
                );
        }
    },
});

export const networkAclDeny = resourceRule({
    name: "azure-openai-account-enforce-network-acl-deny",
    description:
        "Azure OpenAI accounts must deny network traffic by default and carry no IP or virtual network allow rules.",
    severity: "high",
    concerns: accountTypes,
    anchors: { mcsb: "NS-2", azurePolicy: "037eea7a-bd0a-46c5-9a66-03aea78705d3", psrule: "Azure.AI.PublicAccess" },
    remediationSteps:
        'Set networkAcls.defaultAction to "Deny" and remove ipRules and virtualNetworkRules; callers reach the account through its private endpoint.',
    check: (type, props, _c, problem) => {
        const base = isClassic(type) ? ["networkAcls"] : ["properties", "networkAcls"];
        const label = base.join(".");
        const action = known(props, ...base, "defaultAction");
        if (action !== "Deny")
            problem(`${label}.defaultAction`, `is ${show(action)}`, fixFor('set it to "Deny"', always));
        for (const rules of ["ipRules", "virtualNetworkRules"]) {
            const list = peek(props, ...base, rules);
            if (list === unknown || asArray(list).length > 0)
                problem(
                    `${label}.${rules}`,
                    `allows ${list === unknown ? "networks not known until deploy" : `${asArray(list).length} rule(s)`}`,
                    fixFor(`remove every entry from ${rules}`, always),
                );
        }
    },
});

export const outboundRestricted = resourceRule({
    name: "azure-openai-account-restrict-outbound-access",
    description:
        "Azure OpenAI accounts must restrict outbound network access to an explicit allow-list of FQDNs to prevent data exfiltration; an empty list allows no egress at all.",
    severity: "high",
    concerns: accountTypes,
    anchors: { mcsb: "NS-2", checkov: "CKV_AZURE_247" },
    remediationSteps:
        "Set properties.restrictOutboundNetworkAccess to true (classic provider: outboundNetworkAccessRestricted) and list in properties.allowedFqdnList (classic: fqdns) only the hosts the account must call; an empty list, the platform's default, allows none. Stack owners list hosts in network.allowedOutboundFqdns; OpenAiAccount users in allowedFqdns.",
    check: (type, props, _c, problem) => {
        const flag = isClassic(type)
            ? ["outboundNetworkAccessRestricted"]
            : ["properties", "restrictOutboundNetworkAccess"];
        const restricted = known(props, ...flag);
        // An empty allow-list with restriction on is the strictest setting (no egress), not a gap: it passes.
        if (restricted !== true) {
            problem(
                flag.join("."),
                `is ${show(restricted)}, so the account may send data to any host`,
                fixFor("set it to true and list the hosts it may call", {
                    alwaysSetBy: "OpenAiAccount",
                    stackKey: "network.allowedOutboundFqdns lists the allowed hosts",
                    componentArg: "OpenAiAccount allowedFqdns",
                }),
            );
        }
    },
});
