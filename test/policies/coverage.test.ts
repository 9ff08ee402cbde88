/**
 * Every resource type the platform's components create (planned from every committed stack) is judged by at least one
 * rule beyond tags and location, or docs/policies.md ("Coverage of the resource types the components create") says
 * why none is needed. The table is checked against the plans and the pack, so neither can drift.
 */
import * as fs from "fs";
import * as path from "path";
import { rules } from "../../policies/all";
import { allowedLocations } from "../../policies/location";
import { requiredTags } from "../../policies/tags";
import { assertBuilt, repoRoot, runStack } from "../support/dist";
import { rawStackConfig, stackNames } from "../support/stacks";

interface Row {
    type: string;
    judgedBy: string;
    why: string;
}

function coverageTable(): Row[] {
    const doc = fs.readFileSync(path.join(repoRoot, "docs", "policies.md"), "utf8");
    const start = doc.indexOf("### Coverage of the resource types the components create");
    if (start < 0) throw new Error("docs/policies.md has no coverage section");
    const lines = doc
        .slice(start)
        .split("\n")
        .filter((l) => /^\| `[^`]+` \|/.test(l));
    return lines.map((l) => {
        const [type, judgedBy, why] = l
            .split("|")
            .slice(1, 4)
            .map((c) => c.trim());
        return { type: type.replace(/`/g, ""), judgedBy, why };
    });
}

let created: string[] = [];

beforeAll(async () => {
    assertBuilt();
    const types = new Set<string>();
    for (const stack of stackNames()) {
        const run = await runStack(stack, rawStackConfig(stack), true);
        for (const r of run.resources) if (r.custom && !r.type.startsWith("pulumi:")) types.add(r.type);
    }
    created = [...types].sort();
});

describe("coverage of the component-created resource types", () => {
    const beyondTagsAndLocation = rules.filter((p) => p.name !== requiredTags.name && p.name !== allowedLocations.name);
    const judging = (type: string) => beyondTagsAndLocation.filter((p) => p.concerns.includes(type)).map((p) => p.name);

    it("the table lists exactly the types the committed stacks create", () => {
        expect(created.length).toBeGreaterThan(20);
        expect(
            coverageTable()
                .map((r) => r.type)
                .sort(),
        ).toEqual(created);
    });

    it.each(coverageTable().map((r) => [r.type, r] as const))(
        "%s: judged by a rule beyond tags and location, or explained",
        (type, row) => {
            const judges = judging(type);
            if (row.judgedBy !== "-") {
                expect(judges.length).toBeGreaterThan(0);
                expect(row.why).toBe("");
            } else {
                // No rule judges it: the reason is given (and a rule that does would belong in the first column).
                expect(judges).toEqual([]);
                expect(row.why.length).toBeGreaterThan(30);
            }
        },
    );
});
