/**
 * An Analyze or AnalyzeStack response as server.js builds it: each policy's violations (makeReportViolationFun), its
 * not-applicable entry, or what a thrown error makes of it, in the order the policies run.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { PackPolicy } from "../core";
import { analyzerproto, protoutil, proxy } from "./sdk";

class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

/** The `notApplicable` a policy is handed: it throws, and the policy is answered not-applicable with `reason`. */
export const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicableError(reason);
};

export function notApplicableEntry(policyName: string, reason?: string): any {
    const na = new analyzerproto.PolicyNotApplicable();
    na.setPolicyName(policyName);
    if (reason) na.setReason(reason);
    return na;
}

function withoutFields(p: Record<string, unknown>, ...fields: string[]) {
    const out = { ...p };
    for (const f of fields) delete out[f];
    return out;
}

export class Answers {
    private readonly diagnostics: any[] = [];
    private notApplicableEntries: any[] | undefined;

    constructor(
        private readonly packName: string,
        private readonly packVersion: string,
    ) {}

    notApplicable(policyName: string, reason?: string): void {
        (this.notApplicableEntries ??= []).push(notApplicableEntry(policyName, reason));
    }

    /** server.js makeReportViolationFun, verbatim in behaviour. */
    reporter(p: PackPolicy, level: string) {
        const { packName, packVersion, diagnostics: ds } = this;
        const { name: policyName, description, severity } = p;
        return (message: any, urn?: string) => {
            if (typeof message === "object") {
                ds.push({
                    policyName: message.name || policyName,
                    policyPackName: packName,
                    policyPackVersion: packVersion,
                    message: message.message || message.description || description,
                    urn: message.urn,
                    description: message.description || description,
                    enforcementLevel: message.enforcementLevel || level,
                    severity: message.severity || severity,
                });
            } else {
                ds.push({
                    policyName,
                    policyPackName: packName,
                    policyPackVersion: packVersion,
                    message: message ? `${description}\n${message}` : description,
                    urn,
                    description,
                    enforcementLevel: level,
                    severity,
                });
            }
        };
    }

    /**
     * What server.js makes of an error thrown by a policy's `validator`: an advisory diagnostic when it read a value
     * unknown in a preview, a not-applicable entry when it called `notApplicable`, else a gRPC error for the request.
     */
    failed(p: PackPolicy, validator: "validateResource" | "validateStack", e: unknown): void {
        const policyFrom = `policy '${p.name}' from policy pack '${this.packName}@v${this.packVersion}'`;
        if (e instanceof proxy.UnknownValueError) {
            this.diagnostics.push({
                policyName: p.name,
                policyPackName: this.packName,
                policyPackVersion: this.packVersion,
                message: `can't run ${policyFrom} during preview: ${e.message}`,
                ...withoutFields(p as unknown as Record<string, unknown>, validator, "name"),
                enforcementLevel: "advisory",
            });
        } else if (e instanceof NotApplicableError) {
            this.notApplicable(p.name, e.reason);
        } else {
            throw protoutil.asGrpcError(e, `Error validating resource with ${policyFrom}`);
        }
    }

    response(): any {
        return protoutil.makeAnalyzeResponse(this.diagnostics, this.notApplicableEntries);
    }
}
