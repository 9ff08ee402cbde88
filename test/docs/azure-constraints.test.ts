/**
 * docs/azure-constraints.md, the register of Azure facts: every row names its source, when it was read, the code that
 * relies on it and the test that holds the code to it, and those files exist. Dated facts (model lifecycle and
 * availability, prices) fail CI once they are older than the threshold, so staleness shows before a deployment does.
 */
import * as fs from "fs";
import * as path from "path";
import { catalogueStalenessDays as stalenessThresholdDays, daysBetween, utcToday } from "../../catalogue/models";

const root = path.join(__dirname, "..", "..");
const register = fs.readFileSync(path.join(root, "docs", "azure-constraints.md"), "utf8");

interface Row { id: string; fact: string; source: string; read: string; code: string; test: string }
const rows: Row[] = register.split("\n")
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((l) => {
        const [id, fact, source, read, code, test] = l.slice(2, -2).split(" | ");
        return { id, fact, source, read, code, test };
    });

/** Repository paths a cell names in backticks (`components/x.ts`, `test/y.test.ts`). */
const pathsIn = (cell: string) => [...cell.matchAll(/`((?:catalogue|components|infra|policies|plan|stacks|test)\/[^`\s]+)`/g)].map((m) => m[1]);

describe("docs/azure-constraints.md", () => {
    it("has numbered rows with a fact, a source, a read date, the code and the test", () => {
        expect(rows.length).toBeGreaterThanOrEqual(15);
        rows.forEach((r, i) => {
            expect(r.id).toBe(String(i + 1));
            for (const cell of [r.fact, r.source, r.read, r.code, r.test]) expect(cell?.trim().length ?? 0).toBeGreaterThan(3);
            expect(r.read).toMatch(/\d{4}-\d{2}-\d{2}|platform-facts/);
        });
    });

    it("covers the facts of the first deployment: CMK, model lifecycle, budget start, locks, and those the components rely on", () => {
        for (const topic of ["CMK identity", "CMK vault", "Model retirements", "Budget start date", "Lock inheritance", "Who may create locks", "Private DNS zones", "Role ids", "SKU residency", "Log retention", "Diagnostic categories", "Private endpoint after provisioning", "Outbound allow-list"]) {
            expect(rows.some((r) => r.fact.includes(`**${topic}`))).toBe(true);
        }
    });

    it("names code and tests that exist", () => {
        for (const r of rows) {
            for (const p of [...pathsIn(r.code), ...pathsIn(r.test)]) expect({ row: r.id, path: p, exists: fs.existsSync(path.join(root, p)) }).toEqual({ row: r.id, path: p, exists: true });
        }
        // Every row but the one about the pipeline's permissions names a test in test/.
        expect(rows.filter((r) => pathsIn(r.test).length === 0).map((r) => r.id)).toEqual(["11"]);
    });

    it(`keeps its dated facts younger than ${stalenessThresholdDays} days`, () => {
        const dated = rows.filter((r) => r.fact.includes("(dated"));
        expect(dated.length).toBeGreaterThanOrEqual(3);
        for (const r of dated) {
            const read = /\d{4}-\d{2}-\d{2}/.exec(r.read)![0];
            const age = daysBetween(read, utcToday());
            expect({ row: r.id, read, stale: age > stalenessThresholdDays }).toEqual({ row: r.id, read, stale: false });
        }
    });
});
