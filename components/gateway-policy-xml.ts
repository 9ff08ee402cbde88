/**
 * The building blocks of the gateway's policy document: a typed element tree, the C# expressions its attributes hold,
 * and its serialisation with a real XML builder (the policy is generated, never written by hand).
 */
import { XMLBuilder } from "fast-xml-parser";

/** One element of a policy document. */
export interface XmlElement {
    name: string;
    attributes?: Record<string, string | number | boolean>;
    children?: XmlElement[];
    text?: string;
}

export const el = (name: string, attributes?: XmlElement["attributes"], children?: XmlElement[]): XmlElement => ({
    name,
    attributes,
    children,
});
export const base = () => el("base");
export const when = (condition: string, ...children: XmlElement[]) =>
    el("when", { condition: `@(${condition})` }, children);
export const variable = (name: string) => `context.Variables["${name}"]`;
export const quote = (s: string) => `"${s}"`;

type FxpNode = Record<string, unknown>;

function toFxp(e: XmlElement): FxpNode {
    const node: FxpNode = { [e.name]: e.text !== undefined ? [{ "#text": e.text }] : (e.children ?? []).map(toFxp) };
    const attributes = Object.entries(e.attributes ?? {}).filter(([, v]) => v !== undefined);
    if (attributes.length > 0) node[":@"] = Object.fromEntries(attributes.map(([k, v]) => [`@_${k}`, String(v)]));
    return node;
}

const builder = new XMLBuilder({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    format: true,
    indentBy: "    ",
    suppressEmptyNode: true,
});

/** Serialises a policy document; attribute values and texts are escaped by the builder, never by hand. */
export function renderPolicyXml(doc: XmlElement): string {
    return (builder.build([toFxp(doc)]) as string).trim();
}
