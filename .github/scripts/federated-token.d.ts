/** Types for federated-token.js. */
export interface TokenSource {
    system: "github" | "azure-devops";
    url: string;
    method: "GET" | "POST";
    bearer: string;
    field: string;
}
export const AUDIENCE: string;
export function tokenSource(env: Record<string, string | undefined>): TokenSource;
export function requestToken(source: TokenSource): Promise<string>;
export function maskCommand(system: TokenSource["system"], token: string): string;
export function main(argv: string[], env: Record<string, string | undefined>): Promise<void>;
