import { defineConfig } from "vitest/config";

// The suite runs inside `firebase emulators:exec` (npm test). Test files share the emulators,
// so they run one after another; each test makes its own users and chats.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ["test/helpers/global-setup.ts"],
  },
});
