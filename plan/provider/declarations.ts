/**
 * Reads TypeScript declaration text the way the SDKs' generated `.d.ts` files are written: the members of a class or
 * interface body (`readonly name: pulumi.Output<T>;`, `accountName?: pulumi.Input<string>;`) and the shape of a member's
 * type. No TypeScript compiler: the generated files follow one layout, and reading them this way costs microseconds.
 */

export type Shape =
    | { kind: "string" | "number" | "boolean" | "any" | "untyped" }
    | { kind: "const"; value: string }
    | { kind: "array"; items: Shape }
    | { kind: "map"; values: Shape }
    /** A named output type, e.g. `cognitiveservices.AccountPropertiesResponse` (types/output.d.ts). */
    | { kind: "object"; ref: string }
    /** Several object types (a discriminated union): the provider passes an input through as it is. */
    | { kind: "union" };

export interface Member {
    name: string;
    optional: boolean;
    type: string;
}

const open = new Set(["<", "{", "[", "("]);
const close = new Set([">", "}", "]", ")"]);

/** Index of the first `stop` character at bracket depth 0 from `from`, outside comments and quotes (or the text's end). */
function scanTo(text: string, from: number, stop: string): number {
    let depth = 0;
    for (let i = from; i < text.length; i++) {
        const c = text[i];
        if (depth === 0 && c === stop) return i;
        if (c === "/" && text[i + 1] === "*") {
            const end = text.indexOf("*/", i + 2);
            i = end < 0 ? text.length : end + 1;
        } else if (c === "/" && text[i + 1] === "/") {
            const end = text.indexOf("\n", i + 2);
            i = end < 0 ? text.length : end;
        } else if (c === '"' || c === "'") {
            const end = text.indexOf(c, i + 1);
            i = end < 0 ? text.length : end;
        } else if (c === "=" && text[i + 1] === ">") {
            i++;
        } else if (open.has(c)) {
            depth++;
        } else if (close.has(c)) {
            depth--;
        }
    }
    return text.length;
}

const memberStart = /\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)(\?)?\s*:\s*/y;

/** The property members of a class or interface body; methods, constructors and comments are skipped. */
export function membersOf(body: string): Member[] {
    const out: Member[] = [];
    let i = 0;
    while (i < body.length) {
        while (i < body.length && /\s/.test(body[i])) i++;
        if (body.startsWith("/*", i)) {
            const end = body.indexOf("*/", i + 2);
            i = end < 0 ? body.length : end + 2;
            continue;
        }
        if (body.startsWith("//", i)) {
            const end = body.indexOf("\n", i);
            i = end < 0 ? body.length : end + 1;
            continue;
        }
        if (i >= body.length) break;
        memberStart.lastIndex = i;
        const m = memberStart.exec(body);
        if (m && !/^(static|constructor|private|protected)$/.test(m[1])) {
            const end = scanTo(body, memberStart.lastIndex, ";");
            out.push({ name: m[1], optional: m[2] === "?", type: body.slice(memberStart.lastIndex, end).trim() });
            i = end + 1;
        } else {
            i = scanTo(body, i, ";") + 1;
        }
    }
    return out;
}

/** The body of `<header> {` ... `}` in `text` (the header must be unique, e.g. `export declare class Account `). */
export function bodyOf(text: string, header: string, from = 0): string | undefined {
    const at = text.indexOf(header, from);
    if (at < 0) return undefined;
    const start = text.indexOf("{", at + header.length - 1);
    if (start < 0) return undefined;
    const end = scanTo(text, start + 1, "}");
    return text.slice(start + 1, end);
}

/** Splits a type at its top-level `|`. */
function alternatives(type: string): string[] {
    const out: string[] = [];
    let from = 0;
    for (;;) {
        const at = scanTo(type, from, "|");
        out.push(type.slice(from, at).trim());
        if (at >= type.length) return out.filter(Boolean);
        from = at + 1;
    }
}

function unwrap(type: string, wrapper: string): string {
    const t = type.trim();
    return t.startsWith(`${wrapper}<`) && t.endsWith(">") && scanTo(t, wrapper.length + 1, ">") === t.length - 1
        ? t.slice(wrapper.length + 1, -1)
        : t;
}

/** The shape of a declared type: `pulumi.Output<outputs.x.FooResponse | undefined>`, `string[]`, `{ [key: string]: T; }`, ... */
export function shapeOf(type: string): Shape {
    const alts = alternatives(unwrap(unwrap(type, "pulumi.Output"), "pulumi.Input")).filter(
        (a) => a !== "undefined" && a !== "null",
    );
    if (alts.length === 0) return { kind: "untyped" };
    if (alts.length > 1) {
        if (alts.every((a) => /^(".*"|'.*'|string|enums\.[\w.]+)$/.test(a))) return { kind: "string" };
        return alts.every((a) => /^outputs\.[\w.]+$/.test(a)) ? { kind: "union" } : { kind: "untyped" };
    }
    let t = alts[0];
    if (t.startsWith("(") && scanTo(t, 1, ")") === t.length - 1) return shapeOf(t.slice(1, -1));
    if (t.endsWith("[]")) {
        t = t.slice(0, -2).trim();
        return { kind: "array", items: t.startsWith("(") && t.endsWith(")") ? shapeOf(t.slice(1, -1)) : shapeOf(t) };
    }
    if (t.startsWith("{")) {
        const indexed = /^\{\s*\[\s*\w+\s*:\s*string\s*\]\s*:\s*([\s\S]*?);?\s*\}$/.exec(t);
        return indexed ? { kind: "map", values: shapeOf(indexed[1]) } : { kind: "any" };
    }
    if (t === "string" || t === "number" || t === "boolean" || t === "any") return { kind: t };
    if (/^".*"$|^'.*'$/.test(t)) return { kind: "const", value: t.slice(1, -1) };
    if (/^enums\.[\w.]+$/.test(t)) return { kind: "string" };
    const ref = /^outputs\.([\w.]+)$/.exec(t);
    if (ref) return { kind: "object", ref: ref[1] };
    return { kind: "untyped" };
}
