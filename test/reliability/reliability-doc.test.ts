/** docs/reliability.md is generated from the corpora (`npm run docs:reliability`); the committed file must be current. */
import * as fs from "fs";
import { reliabilityDocPath, renderReliabilityDoc } from "./reliability-doc";

describe("docs/reliability.md", () => {
    it("is what `npm run docs:reliability` writes from the corpora today", () => {
        const committed = fs.readFileSync(reliabilityDocPath, "utf8");
        const fresh = renderReliabilityDoc();
        if (committed !== fresh)
            throw new Error("docs/reliability.md is not current: run `npm run docs:reliability` and commit it");
        expect(committed).toBe(fresh);
    });
});
