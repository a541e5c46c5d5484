import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROSTER_SHARDS } from "../../functions/src/shared/docs.js";
import { compareIds, rosterShard } from "../../functions/src/timeline/rosters.js";

describe("roster shards", () => {
  it("when any uid is sharded, then it gets one shard of 0-63, the same every time", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 128 }), (uid) => {
        const shard = rosterShard(uid);
        expect(Number.isInteger(shard) && shard >= 0 && shard < ROSTER_SHARDS).toBe(true);
        expect(rosterShard(uid)).toBe(shard);
      }),
    );
  });

  it("when 10,000 uids that share a prefix are sharded, then no shard holds over twice its share", () => {
    const counts = new Array<number>(ROSTER_SHARDS).fill(0);
    for (let i = 0; i < 10_000; i++) counts[rosterShard(`user_${i}`)]++;
    expect(Math.max(...counts)).toBeLessThan((2 * 10_000) / ROSTER_SHARDS);
  });

  it("when ids are compared, then they order as Firestore orders document ids: by UTF-8 bytes", () => {
    // U+FF5E (3 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 ...), though not in UTF-16.
    expect(compareIds("\uff5e", "😀")).toBeLessThan(0);
    expect("\uff5e" < "😀").toBe(false);
    // UTF-8's byte order is the order of code points: compare those, one by one.
    const byCodePoints = (a: string, b: string) => {
      const [x, y] = [[...a].map((c) => c.codePointAt(0) ?? 0), [...b].map((c) => c.codePointAt(0) ?? 0)];
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return Math.sign(x[i] - y[i]);
      return Math.sign(x.length - y.length);
    };
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        expect(Math.sign(compareIds(a, b))).toBe(byCodePoints(a, b));
      }),
    );
  });
});
