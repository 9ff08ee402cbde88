/** Types for arm-id.js (plain JavaScript so the pipelines can run it before `npm ci`). */
export function armTypeOf(id: string): string;
export function isUnder(id: string, scope: string): boolean;
export function sameId(id: string, scope: string): boolean;
