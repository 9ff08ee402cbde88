/**
 * An exemption as it travels in policy config (each exemptable policy's `exemptions` property; the governance
 * policies get every entry), and the config properties every policy that judges exemptions adds to its schema.
 */
import { PolicyConfigSchema } from "@pulumi/policy";
import { datePattern, todayProperty } from "./clock";

export interface Exemption {
    /** Stable id, e.g. EX-2025-014. */
    id: string;
    /** The policy it waives. */
    policy: string;
    /** The stack it applies in. */
    stack: string;
    /** The exact URN of the resource, or */
    urn?: string;
    /** a glob (`*`, `?`) over the resource's logical name. */
    name?: string;
    reason: string;
    owner: string;
    ticket: string;
    /** Last day the exemption holds, YYYY-MM-DD. */
    expires: string;
}

/** JSON schema of one exemption. */
export const exemptionSchema = {
    type: "object",
    properties: {
        id: { type: "string", minLength: 1 },
        policy: { type: "string", pattern: "^azure-openai-[a-z0-9-]+$" },
        stack: { type: "string", minLength: 1 },
        urn: { type: "string", pattern: "^urn:pulumi:" },
        name: { type: "string", minLength: 1 },
        reason: { type: "string", minLength: 10 },
        owner: { type: "string", minLength: 3 },
        ticket: { type: "string", minLength: 1 },
        expires: { type: "string", pattern: datePattern },
    },
    required: ["id", "policy", "stack", "reason", "owner", "ticket", "expires"],
    additionalProperties: false,
} as const;

export const exemptionsProperty = { type: "array", items: exemptionSchema, default: [] } as const;

/** The config of a policy that judges exemptions, as far as exemptions go. */
export interface ExemptionConfig {
    exemptions?: Exemption[];
    today?: string;
}

/** A policy's schema with the `exemptions` and `today` properties added. */
export function withExemptionsSchema(schema: PolicyConfigSchema | undefined): PolicyConfigSchema {
    return {
        ...schema,
        properties: { ...(schema?.properties ?? {}), exemptions: exemptionsProperty, today: todayProperty },
    } as unknown as PolicyConfigSchema;
}
