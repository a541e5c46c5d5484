import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inRange, MAX_RANGES, rangeCount, uidRanges } from "../../functions/src/push/uid-ranges.js";

const authUid = fc.string({
  unit: fc.constantFrom(..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
  minLength: 28,
  maxLength: 28,
});

describe("uid ranges of a room's fan-out (push/uid-ranges.ts)", () => {
  it("when a room grows, then it fans out in 1 range up to 300 members and at most 32", () => {
    expect([0, 1, 300, 301, 1_000, 9_600, 10_000, 1_000_000].map(rangeCount)).toEqual([1, 1, 1, 2, 4, 32, 32, 32]);
  });

  it("when any uid is split into n ranges, then exactly one range holds it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_RANGES }), fc.string({ minLength: 1, maxLength: 128 }), (n, uid) => {
        expect(uidRanges(n).filter((range) => inRange(uid, range))).toHaveLength(1);
      }),
    );
  });

  it("when ranges are made, then they are adjacent, ordered and open at both ends", () => {
    for (let n = 1; n <= MAX_RANGES; n++) {
      const ranges = uidRanges(n);
      expect(ranges).toHaveLength(n);
      expect(ranges[0].from).toBeNull();
      expect(ranges[n - 1].to).toBeNull();
      for (let i = 1; i < n; i++) {
        expect(ranges[i].from).toBe(ranges[i - 1].to);
        expect(String(ranges[i].from) > (ranges[i - 1].from ?? "")).toBe(true);
      }
    }
  });

  it("when 10,000 Auth-like uids are split into 32 ranges, then every range fits one page of 400", () => {
    const uids = fc.sample(authUid, { numRuns: 10_000, seed: 21 });
    const sizes = uidRanges(32).map((range) => uids.filter((uid) => inRange(uid, range)).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Math.max(...sizes)).toBeLessThan(400);
  });

  it("when asked for 0 or 33 ranges, then it refuses", () => {
    expect(() => uidRanges(0)).toThrow(RangeError);
    expect(() => uidRanges(33)).toThrow(RangeError);
  });
});
