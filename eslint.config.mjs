import nextVitals from "eslint-config-next/core-web-vitals";
import tseslint from "typescript-eslint";

const config = [
  { ignores: [".next/**", "dist/**", "node_modules/**", ".data/**", "drizzle/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  ...nextVitals,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // lib/ is the pure domain core: the same code serves pages, the CLI and the tests.
    files: ["lib/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*", "next-auth", "next-auth/*"], message: "lib/ may not import Next.js." },
            { group: ["react", "react-dom", "react/*"], message: "lib/ may not import React." },
            { group: ["@/app/*", "@/components/*", "server-only"], message: "lib/ may not depend on the app layer." },
          ],
        },
      ],
    },
  },
  {
    // Components take props; they never query.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/lib/db/*"], message: "components/ may not query the database." }] }],
    },
  },
  {
    // A drizzle update or delete without where() would touch every row the policy allows.
    files: ["lib/**/*.ts", "app/**/*.{ts,tsx}", "scripts/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "AwaitExpression > CallExpression[callee.property.name='delete'][arguments.length=1]",
          message: "A drizzle delete needs a .where(...).",
        },
        {
          selector: "AwaitExpression > CallExpression[callee.property.name='set'][callee.object.callee.property.name='update']",
          message: "A drizzle update needs a .where(...).",
        },
        {
          selector: "CallExpression[callee.property.name='returning'][callee.object.callee.property.name=/^(set|delete)$/]",
          message: "A drizzle update/delete needs a .where(...) before .returning().",
        },
      ],
    },
  },
];
export default config;
