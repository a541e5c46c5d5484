import { describe, expect, it } from "vitest";
import { toHttpsError } from "../../functions/src/api/callable-errors.js";
import { toHttpError } from "../../functions/src/api/http-errors.js";
import { rateLimited } from "../../functions/src/shared/errors.js";
import { TokenBuckets } from "../../functions/src/shared/token-bucket.js";

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
