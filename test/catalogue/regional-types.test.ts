/** catalogue/regional-types.ts is what scripts/generate-regional-types.ts derives from the installed azure-native SDK. */
import * as fs from "fs";
import * as path from "path";
import { readRegionalTypes, renderRegionalTypes } from "../../scripts/generate-regional-types";
import { classicLocatedTypes, classicRegionalTypesSource } from "../../catalogue/regional-types-classic";

const root = path.join(__dirname, "..", "..");

describe("the generated lists of regional resource types", () => {
    it("catalogue/regional-types.ts is current with the installed @pulumi/azure-native (else: npm run build && npm run regional-types)", () => {
        const generated = renderRegionalTypes(
            readRegionalTypes(path.join(root, "node_modules", "@pulumi", "azure-native")),
        );
        expect(fs.readFileSync(path.join(root, "catalogue", "regional-types.ts"), "utf8")).toBe(generated);
    });

    it("the classic list names its source and holds classic tokens only, sorted and unique", () => {
        expect(classicRegionalTypesSource).toMatch(
            /^pulumi\/pulumi-azure sdk\/nodejs at [0-9a-f]{40} \(\d{4}-\d{2}-\d{2}/,
        );
        for (const t of classicLocatedTypes) expect(t).toMatch(/^azure:[a-zA-Z0-9]+\/[a-zA-Z0-9]+:[A-Za-z0-9]+$/);
        expect([...classicLocatedTypes].sort()).toEqual(classicLocatedTypes);
        expect(new Set(classicLocatedTypes).size).toBe(classicLocatedTypes.length);
    });
});
