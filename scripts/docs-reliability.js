// `npm run docs:reliability`: writes docs/reliability.md from the corpora in test/reliability/ (test/reliability/
// reliability-doc.ts). Those modules are TypeScript outside the build; they are loaded as jest loads them, transpiled
// one file at a time with the project's own compiler (no type-check: `npm run typecheck` does that).
const fs = require("fs");
const ts = require("typescript");

require.extensions[".ts"] = (module, filename) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    module._compile(outputText, filename);
};

const { reliabilityDocPath, renderReliabilityDoc } = require("../test/reliability/reliability-doc.ts");
fs.writeFileSync(reliabilityDocPath, renderReliabilityDoc());
console.log(`wrote ${reliabilityDocPath}`);
