import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("scripts/browser.mjs (finds the browser tests' Chromium)", () => {
  it("when CHROMIUM_PATH names no file, then it stops with one line naming the problem", () => {
    const run = spawnSync("node", ["scripts/browser.mjs"], {
      encoding: "utf8",
      env: { ...process.env, CHROMIUM_PATH: "/nonexistent/chromium" },
    });

    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual(["CHROMIUM_PATH is set to /nonexistent/chromium, which does not exist."]);
  });
});
