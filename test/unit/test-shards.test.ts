import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dealFiles } from "../../scripts/test-emulators.mjs";

const durations = JSON.parse(readFileSync("test/durations.json", "utf8")) as Record<string, number>;
const files = Object.keys(durations);

describe("dealing the emulator tier into shards (scripts/test-emulators.mjs)", () => {
  it("when the recorded files are dealt into 2 shards, then each file runs once, the browser tests and hostingOrigin users run on shard 0, and neither shard exceeds half the total by more than the longest file", () => {
    const shards = dealFiles(files, 2, durations);
    const dealt = shards.flatMap((shard) => shard.files);
    expect([...dealt].sort()).toEqual([...files].sort());
    const pinned = files.filter(
      (file) => file.startsWith("test/browser/") || readFileSync(file, "utf8").includes("hostingOrigin"),
    );
    expect(pinned.length).toBeGreaterThan(0);
    expect(pinned.filter((file) => !shards[0].files.includes(file))).toEqual([]);
    const total = files.reduce((sum, file) => sum + durations[file], 0);
    const longest = Math.max(...Object.values(durations));
    for (const shard of shards) expect(shard.seconds).toBeLessThanOrEqual(total / 2 + longest);
  });

  it("when there are fewer files than shards, then no shard is empty", () => {
    const shards = dealFiles(["test/users/users.test.ts"], 3, durations);
    expect(shards).toHaveLength(1);
    expect(shards[0].files).toEqual(["test/users/users.test.ts"]);
  });
});
