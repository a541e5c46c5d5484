import { defineConfig } from "vitest/config";

// Two tiers. `unit` (npm run test:unit): pure logic, schemas, declarations, mappers; no
// emulators, seconds. `emulators` (inside `firebase emulators:exec`, see npm test): the real
// SDKs against the real emulators, one file after another since they share them; each test
// makes its own users and chats.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        test: {
          name: "emulators",
          include: ["test/**/*.test.ts"],
          exclude: ["test/unit/**"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ["test/helpers/global-setup.ts"],
        },
      },
    ],
  },
});
