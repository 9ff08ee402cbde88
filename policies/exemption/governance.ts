/**
 * What the three governance policies of the exemption register share: their config (every entry of the register,
 * the longest grant, today) and the stack they judge. They run after every other policy: stale needs to know what
 * the others used in this run.
 */
import { PolicyConfigSchema, StackValidationArgs } from "@pulumi/policy";
import { PackPolicy, PackStackPolicy, stackOfUrn, withDefaults } from "../core";
import { todayProperty } from "./clock";
import { Exemption, exemptionsProperty } from "./schema";

export interface GovernanceConfig {
    exemptions: Exemption[];
    /** Longest an exemption may be granted for, counted from today. */
    maxDays: number;
    today: string;
}

export const governanceSchema: PolicyConfigSchema = {
    properties: {
        exemptions: exemptionsProperty as never,
        maxDays: { type: "integer", minimum: 1, maximum: 730, default: 365 },
        today: todayProperty as never,
    },
};

export const governanceConfig = (args: StackValidationArgs) =>
    withDefaults<GovernanceConfig>(governanceSchema, args.getConfig());

/** The stack being judged, from its resources' URNs (the engine always sends the stack resource itself). */
export const currentStack = (args: StackValidationArgs) => (args.resources[0] ? stackOfUrn(args.resources[0].urn) : "");

/** The rest of the pack, which the register's entries name, by policy name. */
export type PackPolicies = Map<string, PackPolicy>;

export const isExemptable = (p: PackPolicy | undefined) => p !== undefined && !p.nonExemptable;

/** The fields the three governance policies share. */
export const governanceFields = {
    concerns: [] as string[],
    configSchema: governanceSchema,
    anchors: {},
    nonExemptable: true,
} satisfies Partial<PackStackPolicy>;
