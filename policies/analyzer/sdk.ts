/**
 * The parts of `@pulumi/policy` 1.21's analyzer server (server.js, policy.js, protoutil.js, deserialize.js, proxy.js)
 * the pack's own handlers reuse, loaded from the SDK itself. Any other @pulumi/policy version fails loudly on import, so
 * that policies/fast-analyzer.ts and this folder, which mirror that server, are reviewed for it.
 */
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
import * as path from "path";

// The package.json of @pulumi/policy 1.21.0 says "v1.21.0".
const supportedVersion = "v1.21.0";
const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
const fromPolicy = (id: string) => require(require.resolve(id, { paths: [policyDir] }));

const sdkVersion = (require("@pulumi/policy/package.json") as { version: string }).version;
if (sdkVersion !== supportedVersion) {
    throw new Error(
        `policies/fast-analyzer.ts mirrors @pulumi/policy ${supportedVersion}'s analyzer server, found ${sdkVersion}: review it for this version`,
    );
}

export const server = require("@pulumi/policy/server") as { serve: (...a: any[]) => void };
export const policyModule = require("@pulumi/policy/policy") as {
    isResourcePolicy(p: unknown): boolean;
    isStackPolicy(p: unknown): boolean;
    getPulumiType(o: unknown): string | undefined;
};
export const protoutil = require("@pulumi/policy/protoutil") as {
    makeAnalyzeResponse(ds: unknown[], na?: unknown[]): any;
    asGrpcError(e: unknown, m?: string): Error;
    convertEnforcementLevel(el: number): string;
};
export const deserialize = require("@pulumi/policy/deserialize") as {
    deserializeProperties(s: object, proxySecrets: boolean): Record<string, unknown>;
};
export const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T>(v: T): T;
    UnknownValueError: new (...a: any[]) => Error;
};
export const analyzerproto = fromPolicy("@pulumi/pulumi/proto/analyzer_pb");
export const grpc = fromPolicy("@grpc/grpc-js") as {
    Server: { prototype: { addService(service: unknown, impl: Record<string, Handler>): void } };
};

export type Callback = (err: unknown, response?: any) => void;
export type Handler = (call: { request: any }, callback: Callback) => void;
export type Level = "advisory" | "mandatory" | "remediate" | "disabled";
