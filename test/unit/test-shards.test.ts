import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dealFiles, shardSummary } from "../../scripts/test-emulators.mjs";

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

describe("a shard's summary (scripts/test-emulators.mjs)", () => {
  it("when vitest reports failures, then the summary has the counts, and each failed test with its message, its diff's changed lines and its counterexample, without stack frames or code", () => {
    // Vitest's own output (colours and all) of two failing tests: an object diff and a fast-check property.
    const summary = shardSummary();
    for (const line of readFileSync("test/fixtures/vitest-failures.txt", "utf8").split("\n")) summary.add(line);
    expect(summary.lines()).toEqual([
      "Test Files  1 failed (1)",
      "Tests  2 failed (2)",
      "Duration  329ms (transform 29ms, setup 0ms, import 62ms, tests 15ms, environment 0ms)",
      "FAIL   unit  test/unit/tmp-fail.test.ts > a group > compares objects",
      "  AssertionError: expected { counts: [ 1, 2, 3 ], docs: [ 'a' ] } to deeply equal { counts: [ 1, 2, 4 ], docs: [ 'a' ] }",
      "  -     4,",
      "  +     3,",
      "FAIL   unit  test/unit/tmp-fail.test.ts > a group > a property",
      "  Error: Property failed after 1 tests",
      '  { seed: -1123902182, path: "0", endOnFailure: true }',
      '  Counterexample: ["na"]',
      "  Caused by: AssertionError: a body: expected 602 to be less than 500",
    ]);
  });

  it("when an error has more lines than the summary keeps, then it keeps the first ten, each cut at 160 characters", () => {
    const summary = shardSummary();
    const error = ["x".repeat(300), ...Array.from({ length: 20 }, (_, i) => `line ${i}`)];
    for (const line of [" FAIL  emulators  a.test.ts > b", ...error, "⎯⎯[1/1]⎯", "      Tests  1 failed (1)"]) summary.add(line);
    const lines = summary.lines();
    expect(lines).toHaveLength(12);
    expect(lines[2]).toBe(`  ${"x".repeat(159)}…`);
    expect(lines[11]).toBe("  line 8");
  });
});

describe("a shard whose suite did not start (scripts/test-emulators.mjs)", () => {
  it("when vitest printed no counts, then the summary is the shard's last six lines", () => {
    const summary = shardSummary();
    for (const line of ["i  emulators: Starting", "", ...Array.from({ length: 7 }, (_, i) => `\x1b[31mline ${i}\x1b[39m`)])
      summary.add(line);
    expect(summary.lines()).toEqual([
      "no test counts; the shard's last lines:",
      ...Array.from({ length: 6 }, (_, i) => `  line ${i + 1}`),
    ]);
  });
});
