import { describe, expect, it } from "vitest";
import { errorSummary, isTransient, TransientError } from "../../functions/src/shared/failures.js";

const withCode = (code: string | number) => Object.assign(new Error(`failed with ${code}`), { code });

describe("isTransient (shared/failures.ts): which failures a trigger throws so the runtime retries", () => {
  it.each([1, 2, 4, 8, 10, 13, 14])("when Firestore fails with gRPC %i, then a retry may succeed", (code) => {
    expect(isTransient(withCode(code))).toBe(true);
  });

  it.each([3, 5, 6, 7, 9, 11, 12, 16])("when Firestore fails with gRPC %i, then retrying cannot help", (code) => {
    expect(isTransient(withCode(code))).toBe(false);
  });

  it.each([
    "messaging/server-unavailable",
    "messaging/internal-error",
    "messaging/quota-exceeded",
    "app/network-timeout",
    "ECONNRESET",
  ])("when FCM or the network answers %s, then it is transient", (code) => expect(isTransient(withCode(code))).toBe(true));

  it.each(["messaging/registration-token-not-registered", "messaging/invalid-argument", "messaging/mismatched-credential"])(
    "when FCM answers %s, then it is permanent",
    (code) => expect(isTransient(withCode(code))).toBe(false),
  );

  it("when the error is a timeout, an HTTP 503, or Parley's own TransientError, then it is transient; a plain bug is not", () => {
    expect(isTransient(Object.assign(new Error("slow"), { name: "TimeoutError" }))).toBe(true);
    expect(isTransient(withCode(503))).toBe(true);
    expect(isTransient(new TransientError("lease held"))).toBe(true);
    expect(isTransient(new TypeError("x is undefined"))).toBe(false);
    expect(isTransient("a string")).toBe(false);
  });

  it("when a failure is recorded, then its code and the first 300 characters of its message are kept", () => {
    expect(errorSummary(withCode(14))).toEqual({ code: "14", message: "failed with 14" });
    expect(errorSummary(new TypeError("y".repeat(400)))).toEqual({ code: "TypeError", message: "y".repeat(300) });
  });
});
