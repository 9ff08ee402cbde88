/** Jest only transpiles (isolatedModules); `npm run typecheck` type-checks. */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    transform: {
        "^.+\\.ts$": ["ts-jest", { tsconfig: { isolatedModules: true, esModuleInterop: true, target: "ES2022", module: "commonjs", sourceMap: true } }],
    },
    cacheDirectory: "<rootDir>/.jestcache",
    testTimeout: 30000,
};
