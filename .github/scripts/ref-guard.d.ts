/** Types for ref-guard.js. */
export function main(argv: string[], env: Record<string, string | undefined>): Promise<void>;
