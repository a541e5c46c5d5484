// Lint: typescript-eslint's type-aware recommended rules everywhere, and a docstring on every
// exported function of the backend and the client library. `npm run lint` (part of `npm test`).
import jsdoc from "eslint-plugin-jsdoc";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/lib/",
      "**/dist/",
      "**/node_modules/",
      ".cache/",
      "emulator-data/",
      "test-results/",
      "**/*.mjs",
      "**/*.cjs",
      "**/*.js",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["vitest.config.ts"] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Tests read JSON answers and Firestore docs as the untyped data they are, then assert on them.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    files: ["functions/src/**/*.ts", "client/src/**/*.ts"],
    plugins: { jsdoc },
    rules: {
      "jsdoc/require-jsdoc": [
        "error",
        {
          publicOnly: true,
          enableFixer: false,
          require: { FunctionDeclaration: true, ArrowFunctionExpression: true, FunctionExpression: true, ClassDeclaration: true },
        },
      ],
    },
  },
  {
    // Small units: a function fits on a screen, and more than 4 parameters become one options
    // object, in the backend, the client library and the web app.
    files: ["functions/src/**/*.ts", "client/src/**/*.ts", "web/src/**/*.{ts,tsx}"],
    rules: {
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
      "max-params": ["error", 4],
    },
  },
);
