import { describe, expect, it } from "vitest";
import { refusal } from "../../functions/src/api/authenticate.js";

const withCode = (code: string) => Object.assign(new Error("refused"), { code });

describe("why an ID token was refused (authenticate.ts)", () => {
  it("when the token itself is bad, expired, revoked or its user disabled, then 401 unauthenticated, saying which", () => {
    expect(refusal(withCode("auth/id-token-expired"))).toMatchObject({
      code: "unauthenticated",
      message: "The ID token has expired; get a fresh one.",
    });
    expect(refusal(withCode("auth/id-token-revoked"))).toMatchObject({
      code: "unauthenticated",
      message: "The ID token has been revoked; sign in again.",
    });
    expect(refusal(withCode("auth/user-disabled"))).toMatchObject({
      code: "unauthenticated",
      message: "This account is disabled.",
    });
    expect(refusal(withCode("auth/argument-error"))).toMatchObject({
      code: "unauthenticated",
      message: "The ID token is not valid.",
    });
    expect(refusal(withCode("auth/user-not-found")).code).toBe("unauthenticated");
  });

  it("when Firebase Auth or the network to it failed during the check, then 503 unavailable: the client retries instead of signing out", () => {
    for (const code of ["auth/internal-error", "app/network-error", "app/network-timeout"]) {
      expect(refusal(withCode(code)), code).toMatchObject({
        code: "unavailable",
        message: "Could not check the ID token just now; retry.",
      });
    }
    expect(refusal(new Error("socket hang up")).code).toBe("unavailable");
  });
});
