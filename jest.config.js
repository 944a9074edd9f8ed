// Unit, property, integration (real HTTP) and e2e (Chromium) tests, all under test/.
// @swc/jest transpiles TypeScript (type-checking is `npm run typecheck`); a few ESM-only
// packages in node_modules are transpiled too.
const esmPackages = ["jose", "openapi-fetch"].join("|");
module.exports = {
  testEnvironment: "node",
  testMatch: ["<rootDir>/test/**/*.test.ts?(x)"],
  // The spawned bins run build/cli/ (compiled from src/cli): rebuild it once per test run.
  globalSetup: "<rootDir>/test/support/build-cli.global-setup.js",
  transform: {
    "^.+\\.(t|j|mj)sx?$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", tsx: true },
          transform: { react: { runtime: "automatic" } },
          target: "es2022",
        },
        module: { type: "commonjs" },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages})/)`],
  moduleFileExtensions: ["ts", "tsx", "js", "mjs", "cjs", "json"],
  testTimeout: 30000,
};
