/** Generated blocks of docs/pipelines.md: each sits between `<!-- NAME:begin -->` and `<!-- NAME:end -->`. */
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "./helpers";

export const pipelinesDoc = path.join(repoRoot, "docs", "pipelines.md");

/** The text between a block's markers, or an error naming the missing marker. */
export function docBlock(name: string, text = fs.readFileSync(pipelinesDoc, "utf8")): string {
    const begin = `<!-- ${name}:begin -->`;
    const end = `<!-- ${name}:end -->`;
    const i = text.indexOf(begin);
    const j = text.indexOf(end);
    if (i === -1 || j === -1 || j < i)
        throw new Error(`docs/pipelines.md: expected a block between ${begin} and ${end}`);
    return text.slice(i + begin.length, j).trim();
}
