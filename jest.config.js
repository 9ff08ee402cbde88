/** Jest only transpiles (isolatedModules); `npm run typecheck` type-checks. */
const project = {
    testEnvironment: "node",
    // Per project: jest does not pass a top-level cacheDirectory on to its projects.
    cacheDirectory: "<rootDir>/.jestcache/jest",
    roots: ["<rootDir>/test"],
    transform: {
        "^.+\\.ts$": [
            "ts-jest",
            {
                tsconfig: {
                    isolatedModules: true,
                    esModuleInterop: true,
                    target: "ES2022",
                    module: "commonjs",
                    sourceMap: true,
                },
            },
        ],
    },
    // @pulumi/pulumi's index eagerly loads its function serializer's `typescript` and `@npmcli/arborist` (~300 ms through
    // jest's per-file registry), which only serializing JavaScript functions uses and no test does: every test file gets
    // the worker's one instance of each instead (ts-jest has already loaded typescript). See test/support/worker-require.ts.
    moduleNameMapper: {
        "^typescript$": "<rootDir>/test/support/worker-modules/typescript.ts",
        "^@npmcli/arborist$": "<rootDir>/test/support/worker-modules/arborist.ts",
    },
};

module.exports = {
    // Two projects: `fast` is what `npm test` runs (every unit, component, pack, plan and pipeline test); `scenarios` is
    // test/reliability/ (the threat corpus, property plans, bad-config corpus through the program, robustness), which
    // plans hundreds of weakened stacks: `npm run test:scenarios`, run by CI beside npm test (.ci/run).
    projects: [
        {
            ...project,
            displayName: "fast",
            testMatch: ["**/*.test.ts"],
            testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/reliability/"],
        },
        { ...project, displayName: "scenarios", testMatch: ["<rootDir>/test/reliability/**/*.test.ts"] },
    ],
    // One worker per core (jest's default is one fewer: on two cores, a single in-band process). Many files mostly wait
    // on processes they spawn (policy packs, plan workers), and each worker loads the SDK once for all its files
    // (test/support/dist.ts). jest starts the files that took longest last time first.
    maxWorkers: "100%",
    testTimeout: 30000,
};
