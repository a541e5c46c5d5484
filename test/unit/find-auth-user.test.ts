import type { Auth } from "firebase-admin/auth";
import { describe, expect, it } from "vitest";
import { findAuthUser } from "../../functions/src/users/find-auth-user.js";

/** An Auth whose `getUser` fails with `code`, as the Admin SDK's errors carry it. */
const failingAuth = (code: string) =>
  ({ getUser: () => Promise.reject(Object.assign(new Error(code), { code })) }) as unknown as Auth;

describe("findAuthUser", () => {
  it("when Auth has no such user, or refuses the uid as one it can't hold, then there is no user; other failures pass", async () => {
    expect(await findAuthUser(failingAuth("auth/user-not-found"), "nobody")).toBeNull();
    // The fuzzer's 96 emoji: 193 UTF-16 code units, which the Admin SDK refuses before asking.
    expect(await findAuthUser(failingAuth("auth/invalid-uid"), "😀".repeat(96))).toBeNull();
    await expect(findAuthUser(failingAuth("auth/internal-error"), "u1")).rejects.toThrow("auth/internal-error");
  });
});
