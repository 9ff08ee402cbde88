/**
 * Lets the plan run a TypeScript program without a build: `.ts` files are transpiled on load (no type-check,
 * as `ts-node --transpile-only`; `npm run typecheck` does the checking). Each file's source map is kept, so a
 * position in the code that runs maps back to the TypeScript line (the transpiler's helpers and rewritten imports
 * shift every line below them).
 */
import * as fs from "fs";
import { SourceMap, SourceMapPayload } from "module";

let installed = false;
/** The inline source map of each transpiled file (base64), parsed on first use. */
const inlineMaps = new Map<string, string | SourceMap>();
const inlineMapComment = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

export function registerTypeScript(): void {
    if (installed) return;
    installed = true;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require("typescript") as typeof import("typescript");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Module = require("module") as {
        _extensions: Record<string, (m: { _compile(code: string, file: string): void }, file: string) => void>;
    };
    Module._extensions[".ts"] = (module, filename) => {
        const out = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
            fileName: filename,
            compilerOptions: {
                module: ts.ModuleKind.CommonJS,
                target: ts.ScriptTarget.ES2022,
                esModuleInterop: true,
                sourceMap: false,
                inlineSourceMap: true,
            },
        });
        const map = inlineMapComment.exec(out.outputText)?.[1];
        if (map) inlineMaps.set(filename, map);
        else inlineMaps.delete(filename);
        module._compile(out.outputText, filename);
    };
}

/** The source map of a file this hook transpiled (its last load), or undefined for any other file. */
export function transpiledSourceMap(filename: string): SourceMap | undefined {
    const entry = inlineMaps.get(filename);
    if (typeof entry !== "string") return entry;
    const map = new SourceMap(JSON.parse(Buffer.from(entry, "base64").toString("utf8")) as SourceMapPayload);
    inlineMaps.set(filename, map);
    return map;
}
