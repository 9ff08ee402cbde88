/**
 * A strict check of the Mermaid flowchart subset the plan emits (no Mermaid parser runs in Node without a browser
 * DOM): a `flowchart` header, node declarations with quoted labels, and edges between declared nodes.
 */
export function checkFlowchart(source: string): string[] {
    const problems: string[] = [];
    const lines = source.split("\n");
    if (!/^flowchart (LR|TD|TB|RL|BT)$/.test(lines[0]))
        problems.push(`line 1: expected 'flowchart LR|TD', got '${lines[0]}'`);
    const declared = new Set<string>();
    const label = String.raw`"[^"\[\]{}|<>]*"`;
    const nodeRe = new RegExp(String.raw`^\s{4}(n\d+)(\[${label}\]|\(\[${label}\]\))$`);
    const edgeRe = new RegExp(String.raw`^\s{4}(n\d+) (-->|-\.->)(\|${label}\|)? (n\d+)$`);
    lines.slice(1).forEach((line, i) => {
        const node = nodeRe.exec(line);
        if (node) {
            if (declared.has(node[1])) problems.push(`line ${i + 2}: node ${node[1]} declared twice`);
            declared.add(node[1]);
            return;
        }
        const edge = edgeRe.exec(line);
        if (edge) {
            for (const id of [edge[1], edge[4]])
                if (!declared.has(id)) problems.push(`line ${i + 2}: edge uses undeclared node ${id}`);
            return;
        }
        problems.push(`line ${i + 2}: not a node or edge: '${line}'`);
    });
    return problems;
}
