/** Entry point of the pack: constructing the PolicyPack starts the analyzer gRPC server the Pulumi CLI talks to. */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies, packName } from "./all";

new PolicyPack(packName, { policies: allPolicies, enforcementLevel: "mandatory" });
