import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import laget from "./packages/eslint-plugin/index.js";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "data/**", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["client/src/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { laget },
    rules: {
      // Every UI string goes through the i18n catalog.
      "laget/no-inline-ui-strings": "error",
    },
  },
);
