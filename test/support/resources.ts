/** Picking planned resources out of a mock run, for the component and stack tests. */
import type { PlannedResource, ProgramRun } from "../../plan/mock-runtime";

export const ofType = (r: ProgramRun, type: string): PlannedResource[] => r.resources.filter((x) => x.type === type);

/** The single resource of a type; fails the test when there is not exactly one. */
export function one(r: ProgramRun, type: string): PlannedResource {
    const found = ofType(r, type);
    expect(found).toHaveLength(1);
    return found[0];
}
