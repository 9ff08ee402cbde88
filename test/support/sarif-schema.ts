/** The SARIF 2.1.0 schema (test/plan/fixtures) compiled with Ajv, for tests that check what GitHub code scanning reads. */
import * as fs from "fs";
import * as path from "path";
import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

export function sarifValidator(): ValidateFunction {
    const file = path.join(__dirname, "..", "plan", "fixtures", "sarif-schema-2.1.0.json");
    const schema = JSON.parse(fs.readFileSync(file, "utf8"));
    // Draft-04 spelling: Ajv 8 reads the same keywords under their draft-07 names.
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    // The schema's language-tag pattern is not valid with the `u` flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    return ajv.compile(schema);
}
