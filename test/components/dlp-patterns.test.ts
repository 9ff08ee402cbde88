import { blocklistItemsFor, dlpRegexes, matchingPatterns } from "../../components/dlp-patterns";
import { DlpPattern, dlpPatternNames } from "../../catalogue/profiles";

/** Realistic prompts that must be blocked for the given pattern. Test data only: every number is a published test value. */
const positives: Record<DlpPattern, string[]> = {
    creditCard: [
        "Process this payment: 4111-1111-1111-1111",
        "card 4111 1111 1111 1111 exp 12/27",
        "Mastercard 5555555555554444 declined",
        "new range MC 2223 0031 2200 3222",
        "Amex 3782 822463 10005 on file",
        "discover: 6011111111111117",
    ],
    usSsn: ["SSN: 123-45-6789", "my social is 219 09 9999, please update", "employee 078-05-1120 onboarding"],
    email: [
        "contact jane.doe@contoso.com for access",
        "Send it to first.last+invoices@mail.example.co.uk today",
        "<ops-team@sub.contoso-corp.io>",
    ],
    phone: [
        "call me at (415) 555-2671",
        "mobile 415-555-2671",
        "office: 415.555.2671 ext 3",
        "+1 415 555 2671",
        "London +44 20 7946 0958",
        "Sydney office +61 2 9374 4000",
        "Berlin: +49 30 901820",
    ],
    apiKey: [
        "use OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
        "key sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "token ghp_1234567890abcdefghijklmnopqrstuvwxyzAB",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA",
        "-----BEGIN PRIVATE KEY-----",
        "secret: 9fQ2xL7vT3kP8mZ1rW6yB4nH0cJ5sD2gA7uE3qV9",
        "AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3",
    ],
};

/** Realistic prompts that look numeric or key-like but must pass. */
const negatives: Record<DlpPattern, string[]> = {
    creditCard: [
        "order 1234 5678 9012 3456 shipped",
        "tracking number 9400111899223345678901",
        "call 415-555-2671",
        "invoice 2024-0001-0002",
    ],
    usSsn: [
        "order number 123456789",
        "ticket 900-12-3456 is an ITIN-like internal id",
        "invalid area 000-12-3456 or 666-12-3456",
        "group zero 123-00-4567, serial zero 123-45-0000",
        "phone 415-555-2671",
        "date 2024-01-15",
    ],
    email: [
        "ping @jane on Teams",
        "the decorator @Component({selector: 'x'})",
        "user@localhost is not routable",
        "git@github: not a full domain",
    ],
    phone: [
        "order 4155552671 shipped",
        "version 1.22.333.4444",
        "ip 192.168.100.1",
        "reference 123-456-7890",
        "math: 3+4=7 and C++ 20",
        "year range 2019-2024",
    ],
    apiKey: [
        "commit 3f786850e387550fdab836ed7e6dc881de23001b fixed it",
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "guid 3f2504e04f8911d39a0c0305e82c3301",
        "Pneumonoultramicroscopicsilicovolcanoconiosis is a long word",
        "call thisIsAVeryLongJavaIdentifierNameForTesting() again",
        "the task-sk-review is due",
        "sk-short",
    ],
};

describe("DLP patterns", () => {
    for (const pattern of dlpPatternNames) {
        describe(pattern, () => {
            it.each(positives[pattern])("blocks %j", (text) => {
                expect(matchingPatterns(text, [pattern])).toEqual([pattern]);
            });
            it.each(negatives[pattern])("lets %j through", (text) => {
                expect(matchingPatterns(text, [pattern])).toEqual([]);
            });
        });
    }

    it("blocks the design's own example and nothing else in it", () => {
        expect(matchingPatterns("Process this payment: 4111-1111-1111-1111")).toEqual(["creditCard"]);
    });

    it("lets an ordinary business prompt through every pattern", () => {
        expect(
            matchingPatterns(
                "Summarise order 123456789 from 2024-01-15: 3 items, total 1,249.00 EUR, shipped to Rotterdam.",
            ),
        ).toEqual([]);
    });

    it("uses only portable regex syntax: no look-around, back-references or inline flags", () => {
        for (const item of blocklistItemsFor(dlpPatternNames)) {
            expect(item.pattern).not.toMatch(/\(\?[=!<]|\(\?[a-z]|\\[1-9]/);
            expect(() => new RegExp(item.pattern)).not.toThrow();
            expect(item.id).toMatch(/^[a-z0-9-]+$/);
        }
    });

    // A catastrophic pattern never returns on this input and fails the test by jest's timeout; no wall-clock assertion.
    it("answers on long adversarial inputs (no catastrophic backtracking)", () => {
        const blob = "A".repeat(5000) + "!" + "0123456789abcdef".repeat(300) + " " + "1".repeat(4000);
        const matched = blocklistItemsFor(dlpPatternNames)
            .filter((item) => new RegExp(item.pattern).test(blob))
            .map((item) => item.id);
        // Letters without digits, hex digits without G-Z letters, digits alone: no pattern's shape.
        expect(matched).toEqual([]);
    });

    it("selects items in catalogue order, each pattern once, and names a bad entry", () => {
        expect(blocklistItemsFor(["email", "creditCard"]).map((i) => i.id)).toEqual([
            "card-16-digit",
            "card-amex",
            "email",
        ]);
        expect(blocklistItemsFor([])).toEqual([]);
        expect(() => blocklistItemsFor(["email", "email"])).toThrow(
            "dlpPatterns[1]: 'email' is listed twice: expected each pattern once",
        );
        expect(() => blocklistItemsFor(["iban" as DlpPattern])).toThrow(
            /dlpPatterns\[0\]: 'iban' is not a known DLP pattern: expected one of creditCard, usSsn, email, phone, apiKey/,
        );
    });

    it("has unique item ids across the catalogue", () => {
        const ids = Object.values(dlpRegexes)
            .flat()
            .map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
    });
});
