import { describe, expect, it } from "vitest";
import { toHttpsError } from "../../functions/src/api/callable-errors.js";
import { toHttpError } from "../../functions/src/api/http-errors.js";
import { rateLimited } from "../../functions/src/shared/errors.js";
import { DEFAULT_ACTION_RATES, parseRateLimits } from "../../functions/src/shared/action-limits.js";
import { takeToken, TokenBuckets } from "../../functions/src/shared/token-bucket.js";

describe("token buckets (send limits)", () => {
  it("when a key spends its burst, then it waits for the rate; other keys are untouched", () => {
    const buckets = new TokenBuckets(10, 20);
    const at = 1_000_000;

    const burst = Array.from({ length: 20 }, () => buckets.take("alice", at));
    const over = buckets.take("alice", at);
    const other = buckets.take("bob", at);
    const after100ms = buckets.take("alice", at + 100);
    const again = buckets.take("alice", at + 100);

    expect(burst.every((wait) => wait === 0)).toBe(true);
    expect(over).toBe(100);
    expect(other).toBe(0);
    expect(after100ms).toBe(0);
    expect(again).toBeGreaterThan(0);
  });

  it("when the rate is 0, then nothing is limited", () => {
    const buckets = new TokenBuckets(0, 20);
    expect(Array.from({ length: 1000 }, () => buckets.take("alice", 0)).every((wait) => wait === 0)).toBe(true);
  });

  it("when refused, then REST says 429 with Retry-After and callables resource-exhausted with the wait in details", () => {
    const error = rateLimited("You are sending too fast; slow down.", 1200);

    expect(toHttpError(error, "test")).toEqual({
      status: 429,
      body: { error: { code: "resource-exhausted", message: "You are sending too fast; slow down." } },
      headers: { "retry-after": "2" },
    });
    const httpsError = toHttpsError(error, "sendMessage");
    expect(httpsError.code).toBe("resource-exhausted");
    expect(httpsError.details).toEqual({ code: "resource-exhausted", retryAfterSeconds: 2 });
  });
});

describe("takeToken (the buckets kept in docs)", () => {
  const rate = { perSecond: 0.5, burst: 2 };
  it("when a stored bucket is spent, then it refills at the rate, never past the burst, and a clock that went back refills nothing", () => {
    const first = takeToken(undefined, 10_000, rate);
    expect(first).toEqual({ taken: { tokens: 1, at: 10_000 } });
    const second = takeToken("taken" in first ? first.taken : undefined, 10_000, rate);
    expect(second).toEqual({ taken: { tokens: 0, at: 10_000 } });
    const spent = "taken" in second ? second.taken : undefined;

    expect(takeToken(spent, 11_000, rate)).toEqual({ waitMs: 1000 });
    expect(takeToken(spent, 12_000, rate)).toEqual({ taken: { tokens: 0, at: 12_000 } });
    expect(takeToken(spent, 5_000, rate)).toEqual({ waitMs: 2000 });
    expect(takeToken(spent, 1_000_000, rate)).toEqual({ taken: { tokens: 1, at: 1_000_000 } });
  });
});

describe("RATE_LIMITS", () => {
  it("when it is empty, then the defaults apply; when it overrides a class, then only that class changes", () => {
    expect(parseRateLimits("")).toEqual(DEFAULT_ACTION_RATES);
    const rates = parseRateLimits('{"reactions": {"perMinute": 120, "burst": 40}, "searches": {"perMinute": 0, "burst": 1}}');
    expect(rates.reactions).toEqual({ perSecond: 2, burst: 40 });
    expect(rates.searches.perSecond).toBe(0);
    expect(rates.edits).toEqual(DEFAULT_ACTION_RATES.edits);
  });

  it("when it is not JSON, names an unknown class or has a bad number, then it is refused with the reason", () => {
    expect(() => parseRateLimits("{reactions")).toThrow("RATE_LIMITS is not JSON.");
    expect(() => parseRateLimits('{"likes": {"perMinute": 1, "burst": 1}}')).toThrow(/RATE_LIMITS is not valid/);
    expect(() => parseRateLimits('{"edits": {"perMinute": -1, "burst": 1}}')).toThrow(/perMinute/);
    expect(() => parseRateLimits('{"edits": {"perMinute": 1, "burst": 0.5}}')).toThrow(/burst/);
  });
});
