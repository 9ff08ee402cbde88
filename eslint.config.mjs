// typescript-eslint's recommended rules everywhere; Pulumi's Output-in-template-literal rules (which need type
// information) only where Pulumi resources are declared, to keep `npm run lint` fast.
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

/**
 * The layers, lowest first; a folder may import its own layer and the ones listed for it, nothing above.
 * catalogue (profiles, Azure constants, models, naming, the stack schema) and runtime (process shims) are leaves.
 */
const layers = {
    catalogue: [],
    runtime: [],
    components: ["catalogue"],
    infra: ["catalogue", "components"],
    policies: ["catalogue", "runtime"],
    scripts: ["catalogue", "policies"],
    plan: ["catalogue", "runtime", "infra", "components", "policies"],
    bench: ["catalogue", "runtime", "infra", "plan"],
};
const folders = Object.keys(layers);
const layerRules = Object.entries(layers).map(([layer, allowed]) => ({
    files: [`${layer}/**/*.ts`],
    rules: {
        "no-restricted-imports": [
            "error",
            {
                patterns: folders
                    .filter((f) => f !== layer && !allowed.includes(f))
                    .map((f) => ({
                        group: [`../${f}`, `../${f}/*`, `../../${f}`, `../../${f}/*`],
                        message: `${layer}/ may import ${allowed.length ? `only ${allowed.join(", ")}` : "nothing of the project"} (layers run one way; see CONTRIBUTING.md).`,
                    })),
            },
        ],
    },
}));

export default tseslint.config(
    {
        ignores: [
            "node_modules/**",
            "dist/**",
            "policies/bin/**",
            "components/bin/**",
            "coverage/**",
            ".jestcache*/**",
            "**/*.js",
            "**/*.mjs",
        ],
    },
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    ...layerRules,
    {
        files: ["components/**/*.ts", "infra/**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { pulumi },
        rules: {
            "pulumi/no-output-in-template-literal": "error",
            "pulumi/no-output-instance-in-template-literal": "error",
        },
    },
);
