/**
 * The DLP patterns of the user's design as regular expressions for an Azure OpenAI custom blocklist
 * (`RaiBlocklistItem` with `isRegex: true`), tightened so ordinary numbers and identifiers are not blocked.
 *
 * Portable on purpose: no look-around, no back-references, no flags, so the same source means the same thing in
 * JavaScript (where the tests run it) and in RE2-style engines. Case is spelled out in character classes.
 * What a regex cannot do (Luhn checks, SSNs without separators, ...) is listed in docs/components-core.md.
 */
import { DlpPattern, dlpPatternNames } from "../catalogue/profiles";

export interface DlpRegex {
    /** Stable id; the blocklist item's name (letters, digits, '-'). */
    id: string;
    /** Regex source, as the blocklist item's `pattern`. */
    pattern: string;
    /** What it matches and what it deliberately does not. */
    description: string;
}

/** NANP area code / exchange: first digit 2-9. */
const nanp3 = "[2-9][0-9]{2}";
/** Any run of letters and digits. */
const alnum = "[A-Za-z0-9]";

export const dlpRegexes: Record<DlpPattern, DlpRegex[]> = {
    creditCard: [
        {
            id: "card-16-digit",
            // Visa 4, Mastercard 51-55 and 2221-2720 (as 22-27), Discover 6011/65/644-649; groups of four with optional space or dash.
            pattern:
                "\\b(?:4[0-9]{3}|5[1-5][0-9]{2}|2[2-7][0-9]{2}|6011|65[0-9]{2}|64[4-9][0-9])[ -]?[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}\\b",
            description: "16-digit Visa, Mastercard and Discover numbers, plain or grouped 4-4-4-4; no Luhn check",
        },
        {
            id: "card-amex",
            pattern: "\\b3[47][0-9]{2}[ -]?[0-9]{6}[ -]?[0-9]{5}\\b",
            description: "15-digit American Express numbers, plain or grouped 4-6-5; no Luhn check",
        },
    ],
    usSsn: [
        {
            id: "us-ssn",
            // Separators required (a bare 9-digit number is far more often an order or account number); area not
            // 000, 666 or 9xx, group not 00, serial not 0000 (SSA rules since 2011 randomisation still exclude these).
            pattern:
                "\\b(?:00[1-9]|0[1-9][0-9]|[1-5][0-9]{2}|6[0-5][0-9]|66[0-57-9]|6[7-9][0-9]|[78][0-9]{2})[- ](?:0[1-9]|[1-9][0-9])[- ](?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})\\b",
            description:
                "US SSNs written 123-45-6789 or 123 45 6789 with valid area, group and serial; bare 9-digit numbers are not matched",
        },
    ],
    email: [
        {
            id: "email",
            pattern:
                "\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}\\b",
            description: "Email addresses with a dotted domain and an alphabetic top-level domain",
        },
    ],
    phone: [
        {
            id: "phone-nanp",
            // Separators or parentheses required, NANP area and exchange rules: ten bare digits are not a phone number here.
            pattern: `(?:\\+1[ .-]?)?(?:\\(${nanp3}\\) ?|\\b${nanp3}[ .-])${nanp3}[ .-][0-9]{4}\\b`,
            description: "North American numbers such as (415) 555-2671, 415-555-2671, +1 415 555 2671",
        },
        {
            id: "phone-international",
            pattern: "\\+[1-9][0-9]{0,2}[ .-]?(?:\\(?[0-9]{1,4}\\)?[ .-]?){2,4}[0-9]{3,4}\\b",
            description: "International numbers in + notation such as +44 20 7946 0958, +61 2 9374 4000, +49 30 901820",
        },
    ],
    apiKey: [
        {
            id: "key-sk",
            pattern: "\\bsk-[A-Za-z0-9_-]{20,}",
            description: "OpenAI-style secret keys (sk-..., sk-proj-..., sk-svcacct-...)",
        },
        {
            id: "key-known-prefixes",
            pattern:
                "\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b|\\bgh[pousr]_[A-Za-z0-9]{36,}\\b|\\bgithub_pat_[A-Za-z0-9_]{40,}|\\bxox[abprs]-[A-Za-z0-9-]{10,}",
            description: "AWS access key ids, GitHub tokens and Slack tokens",
        },
        {
            id: "key-private-key-block",
            pattern: "-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----",
            description: "PEM private keys",
        },
        {
            id: "key-long-secret",
            // 30+ letters and digits whose tail (after 28 characters) mixes a digit with a letter outside a-f: random
            // secrets almost always do, hex digests, dashless GUIDs and long words without digits do not. One
            // alternative with a fixed head keeps backtracking engines polynomial on long base64 blobs.
            pattern: `\\b${alnum}{28,}(?:[0-9]${alnum}*[G-Zg-z]|[G-Zg-z]${alnum}*[0-9])${alnum}*\\b`,
            description:
                "Long opaque secrets (30+ characters mixing digits and letters beyond hex); hex digests are not matched",
        },
    ],
};

/** The blocklist items for the selected patterns, in catalogue order, each pattern once. Throws naming a bad entry. */
export function blocklistItemsFor(patterns: readonly DlpPattern[]): DlpRegex[] {
    const seen = new Set<DlpPattern>();
    patterns.forEach((p, i) => {
        if (!dlpPatternNames.includes(p))
            throw new Error(
                `dlpPatterns[${i}]: '${String(p)}' is not a known DLP pattern: expected one of ${dlpPatternNames.join(", ")}`,
            );
        if (seen.has(p)) throw new Error(`dlpPatterns[${i}]: '${p}' is listed twice: expected each pattern once`);
        seen.add(p);
    });
    return dlpPatternNames.filter((p) => seen.has(p)).flatMap((p) => dlpRegexes[p]);
}

/** Which DLP patterns (by name) a text would be blocked for: what the tests and the docs' examples use. */
export function matchingPatterns(text: string, patterns: readonly DlpPattern[] = dlpPatternNames): DlpPattern[] {
    return patterns.filter((p) => dlpRegexes[p].some((r) => new RegExp(r.pattern).test(text)));
}
