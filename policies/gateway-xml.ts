/**
 * API Management policy documents as the pack reads them: parsed with a real XML parser (fast-xml-parser) into an
 * element tree, never matched with regular expressions, so that comments, attribute order, quoting and escaping make no
 * difference. Elements inside a `choose` run only on some requests: rules that need a control on every request look
 * at the unconditional children of a section.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface PolicyElement {
    name: string;
    attributes: Record<string, string>;
    children: PolicyElement[];
    text: string;
}

type FxpNode = Record<string, unknown>;

const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
    commentPropName: "#comment",
});

function toElement(node: FxpNode): PolicyElement | undefined {
    const name = Object.keys(node).find((k) => k !== ":@");
    if (!name || name.startsWith("#") || name.startsWith("?")) return undefined;
    const attributes = Object.fromEntries(
        Object.entries((node[":@"] ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    );
    const raw = (node[name] ?? []) as FxpNode[];
    const children = raw.map(toElement).filter((e): e is PolicyElement => e !== undefined);
    const text = raw
        .filter((n) => "#text" in n)
        .map((n) => String(n["#text"]))
        .join("");
    return { name, attributes, children, text };
}

/**
 * Parses a policy document (`format` xml or rawxml; `xml-link` documents are not fetched). Throws with the parser's
 * position when the text is not well-formed XML or its root is not `<policies>`.
 */
export function parsePolicy(xml: string): PolicyElement {
    const valid = XMLValidator.validate(xml);
    if (valid !== true)
        throw new Error(`not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`);
    const root = (parser.parse(xml) as FxpNode[]).map(toElement).find((e) => e !== undefined);
    if (!root || root.name !== "policies")
        throw new Error(`the root element is <${root?.name ?? "none"}>: expected <policies>`);
    return root;
}

/** A section (`inbound`, `backend`, `outbound`, `on-error`) of a policy document; empty when absent. */
export function section(doc: PolicyElement, name: string): PolicyElement[] {
    return doc.children.find((c) => c.name === name)?.children ?? [];
}

/** Every element under `elements`, depth first (conditional ones included). */
export function descendants(elements: PolicyElement[]): PolicyElement[] {
    return elements.flatMap((e) => [e, ...descendants(e.children)]);
}

/** Whether the section inherits the enclosing scope's policy (`<base />`). */
export const inherits = (elements: PolicyElement[]) => elements.some((e) => e.name === "base");

/**
 * The elements that run on every request at an API: the API's unconditional inbound elements, with the service-wide
 * (global) policy's where the API's section inherits it through `<base />`.
 */
export function effectiveSection(
    name: string,
    api: PolicyElement | undefined,
    global: PolicyElement | undefined,
): PolicyElement[] {
    const own = api ? section(api, name) : [];
    const inherited = !api || inherits(own) ? (global ? section(global, name) : []) : [];
    return [...inherited, ...own];
}

/** An attribute value `@(4000)` or `4000` as a number, when it is a literal whole number (an expression is not evaluated). */
export function literalInteger(value: string | undefined): number | undefined {
    if (value === undefined) return undefined;
    const m = /^\s*(?:@\(\s*(\d+)\s*\)|(\d+))\s*$/.exec(value);
    return m ? Number(m[1] ?? m[2]) : undefined;
}
