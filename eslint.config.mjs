// SPDX-License-Identifier: Apache-2.0
// ESLint with typescript-eslint's recommended rules for every TypeScript and JavaScript file, the
// AssemblyScript sources included: `allowInvalidAST` lets the parser accept AssemblyScript's
// decorators on functions and top-level constants (`@inline`, `@lazy`, `@external`), which TypeScript
// only reports as misplaced. No type-aware rules: AssemblyScript's types (i32, usize, ...) and builtins
// (load, store, changetype) do not type-check as TypeScript. `pnpm lint`; formatting is Prettier's.
import tseslint from "typescript-eslint";

/** The AssemblyScript sources: compiled by asc, never by tsc. */
const assemblyScript = [
  "**/assembly/**/*.ts",
  "packages/*/test/fixtures/**/*.ts",
  "packages/jwt/test/filter_fixtures/**/*.ts",
  "packages/jwt/bench/**/*.ts",
  "tests/*/fixtures/**/*.ts",
];

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/build/**", "**/dist/**", ".envoy/**", ".bench/**", ".getwild/**"] },
  {
    files: ["**/*.{ts,mts,cts,js,mjs,cjs}"],
    extends: [tseslint.configs.recommended],
    rules: {
      // `let` for a local never reassigned is a style question this code base does not settle by rule.
      "prefer-const": "off",
      // AssemblyScript code needs `// @ts-ignore: decorator` for editors; an ignore must say why.
      "@typescript-eslint/ban-ts-comment": ["error", { "ts-ignore": "allow-with-description" }],
      // Callback parameters follow the proxy-wasm signatures whether used or not; unused imports,
      // locals and functions are dead code.
      "@typescript-eslint/no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
    },
  },
  {
    // Tests, benchmarks and scripts read untyped JSON and wasm exports.
    files: ["**/test/**", "tests/**", "**/bench/**", "bench/**", "scripts/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: assemblyScript,
    languageOptions: { parserOptions: { allowInvalidAST: true } },
    // In AssemblyScript `String` is the class (`idof<String>()`, `changetype<String>(p)`), not a wrapper.
    rules: { "@typescript-eslint/no-wrapper-object-types": "off" },
  },
);
