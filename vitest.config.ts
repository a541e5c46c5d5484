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
          // One retry, kept for now: the listen-stream faults are found and confined to next(), but a
          // full run without retries (2026-12-02, 949 tests) still met one emulator fault: an Admin SDK
          // commit in a test's own setup answered "2 UNKNOWN" under the suite's load. Until that is
          // shown and confined too, a retry keeps one emulator fault from failing the suite.
          retry: 1,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ["test/helpers/global-setup.ts"],
        },
      },
    ],
  },
});
