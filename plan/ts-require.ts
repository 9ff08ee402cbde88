/**
 * Lets the plan run a TypeScript program without a build: `.ts` files are transpiled on load (no type-check,
 * as `ts-node --transpile-only`; `npm run typecheck` does the checking).
 */
import * as fs from "fs";

let installed = false;

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
        module._compile(out.outputText, filename);
    };
}
