import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("params (functions/src/config.ts)", () => {
  it("when a param is declared, then functions/.env sets it: the emulator and `firebase deploy` would otherwise stop and ask", () => {
    const declared = [
      ...readFileSync("functions/src/config.ts", "utf8").matchAll(/define(?:Int|String|Boolean)\("([A-Z_]+)"/g),
    ].map((match) => match[1]);
    const set = readFileSync("functions/.env", "utf8")
      .split("\n")
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split("=")[0]);

    expect(declared.length).toBeGreaterThanOrEqual(15);
    expect(declared.filter((name) => !set.includes(name))).toEqual([]);
  });
});
