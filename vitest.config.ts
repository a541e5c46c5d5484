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
          // The emulators (Firestore's gRPC server, the web SDK's listen streams) occasionally drop a
          // call under the suite's load (CANCELLED, UNKNOWN, a listener that never fires); a test that
          // fails again on its second run is a real failure. Each test makes its own users and chats.
          retry: 1,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ["test/helpers/global-setup.ts"],
        },
      },
    ],
  },
});
