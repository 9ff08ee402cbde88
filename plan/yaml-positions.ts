/**
 * Where a config key stands in a stack file, so a config problem can say `stacks/Pulumi.eu-prod.yaml:14:9` beside
 * its key path. A key that is missing points at its nearest present parent.
 */
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node } from "yaml";

/** `deployments[0].sku` -> ["deployments", 0, "sku"]. */
export function splitKeyPath(keyPath: string): (string | number)[] {
    const out: (string | number)[] = [];
    for (const m of keyPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
    return out;
}

/** The node of the key itself (for a mapping entry) or of the item (for a sequence), as deep as `segments` go. */
function nearestNode(root: Node | null | undefined, segments: (string | number)[]): Node | undefined {
    let current: Node | null | undefined = root;
    let found: Node | undefined;
    for (const segment of segments) {
        if (isMap(current)) {
            const pair = current.items.find(
                (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
            );
            if (!pair) break;
            found = (pair.key as Node) ?? found;
            current = pair.value as Node | null;
        } else if (isSeq(current) && typeof segment === "number") {
            const item = current.items[segment] as Node | undefined;
            if (!item) break;
            found = item;
            current = item;
        } else {
            break;
        }
    }
    return found;
}

/** `file:line:column` of the node at `segments` from the document's root, or of its nearest present parent. */
export function locate(doc: Document, lines: LineCounter, file: string, segments: (string | number)[]): string {
    const offset = nearestNode(doc.contents, segments)?.range?.[0];
    if (offset === undefined) return file;
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
}

/** Where a project config key path (`deployments[0].sku`) stands under the stack file's `config:` block. */
export function locateConfigKey(
    doc: Document,
    lines: LineCounter,
    file: string,
    namespace: string,
    keyPath: string,
): string {
    const [top, ...rest] = splitKeyPath(keyPath);
    return locate(doc, lines, file, top === undefined ? ["config"] : ["config", `${namespace}:${top}`, ...rest]);
}

/**
 * Line of every project config key of a stack file, two levels deep (`network`, `network.allowedOutboundFqdns`), and
 * of each named list item (`deployments[chat]`): where a finding about that part of the stack is shown.
 */
export function configKeyLines(doc: Document, lines: LineCounter, namespace: string): Record<string, number> {
    const out: Record<string, number> = {};
    const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : undefined);
    const config = doc.get("config", true) as Node | undefined;
    if (!isMap(config)) return out;
    const record = (key: string, node: Node | null | undefined) => {
        const line = lineOf(node);
        if (line !== undefined) out[key] = line;
    };
    for (const pair of config.items) {
        if (!isScalar(pair.key) || !String(pair.key.value).startsWith(`${namespace}:`)) continue;
        const top = String(pair.key.value).slice(namespace.length + 1);
        record(top, pair.key as Node);
        const value = pair.value as Node | null;
        if (isMap(value)) {
            for (const inner of value.items)
                if (isScalar(inner.key)) record(`${top}.${String(inner.key.value)}`, inner.key as Node);
        } else if (isSeq(value)) {
            for (const item of value.items as Node[]) {
                const name = isMap(item) ? item.get("name") : undefined;
                if (typeof name === "string") record(`${top}[${name}]`, item);
            }
        }
    }
    return out;
}
