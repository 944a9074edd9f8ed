import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import jsxA11y from "eslint-plugin-jsx-a11y";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "build/", "coverage/", ".data/", "tmp/", ".scratch/", "**/dist/", "src/practice-api/schema.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // React's rules of hooks (the pane's components and its hooks in .ts files) and the accessibility rules,
    // as the React and Office add-in templates lint.
    files: ["src/taskpane/**/*.ts", "src/**/*.tsx", "test/**/*.tsx"],
    ...reactHooks.configs.flat["recommended-latest"],
  },
  { files: ["src/**/*.tsx"], ...jsxA11y.flatConfigs.recommended },
  {
    // The engine is pure: no DOM, network, Office or storage imports (DESIGN §2).
    files: ["src/sync/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["dexie", "react*", "@fluentui/*", "@microsoft/*", "@azure/*", "fastify*", "better-sqlite3", "undici", "node:*"], message: "src/sync is pure: use a port." },
            { group: ["../*"], message: "src/sync imports nothing outside src/sync." },
          ],
        },
      ],
    },
  },
);
