/**
 * Writes policies/config/<profile>.json for every profile of the catalogue, with the exemptions of
 * policies/exemptions.yaml, so the pack's config and the catalogue never disagree. Run: npm run policy-config.
 */
import * as fs from "fs";
import * as path from "path";
import { profileIds } from "../catalogue/profiles";
import { parseExemptions, policyConfigFor, renderConfig } from "../policies/policy-config";

/** The repository root, from dist/scripts or scripts/. */
const root =
    [path.resolve(__dirname, "..", ".."), path.resolve(__dirname, "..")].find((d) =>
        fs.existsSync(path.join(d, "policies", "exemptions.yaml")),
    ) ?? process.cwd();

function main(): void {
    const exemptions = parseExemptions(fs.readFileSync(path.join(root, "policies", "exemptions.yaml"), "utf8"));
    const dir = path.join(root, "policies", "config");
    fs.mkdirSync(dir, { recursive: true });
    for (const id of profileIds) {
        const file = path.join(dir, `${id}.json`);
        fs.writeFileSync(file, renderConfig(policyConfigFor(id, exemptions)));
        console.log(`wrote ${path.relative(root, file)} (${exemptions.length} exemption(s))`);
    }
}

try {
    main();
} catch (e) {
    console.error((e as Error).message);
    process.exit(1);
}
