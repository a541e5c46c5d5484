import { deleteApp, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { authHost, projectId } from "../helpers/emulators.js";
import { tokenTimes } from "../helpers/users.js";

// The Auth emulator's `accounts:signUp` (firebase-tools 14) with the plain SDKs, no Parley code.
// It records the known problem behind the one workaround in test/helpers/users.ts
// (`acceptedSignUpToken`): the emulator reads the clock once for the new user's `lastLoginAt`,
// which becomes the ID token's `auth_time`, and again, after hashing the password, for its
// `validSince`. When a second starts between the two readings, `auth_time < validSince`, and the
// Admin SDK's revocation check (`verifyIdToken(token, true)`, which Parley's API runs with
// CHECK_REVOKED_TOKENS) refuses the brand-new token as revoked: a 401 on the user's first call.
// It cost a fresh-clone run on 2026-12-06 (`moderation.test.ts`: a new user's first call, 401).
const admin = initializeApp({ projectId }, "auth-sign-up-clock");
afterAll(() => deleteApp(admin));

async function signUp(): Promise<{ uid: string; email: string; token: string }> {
  const email = `clock-${randomUUID().slice(0, 8)}@example.com`;
  const response = await fetch(`http://${authHost}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-key`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "test-password", returnSecureToken: true }),
  });
  const account = (await response.json()) as { localId: string; idToken: string };
  return { uid: account.localId, email, token: account.idToken };
}

/** Waits until `lead` ms before the next second starts. */
async function justBeforeASecond(lead: number): Promise<void> {
  const wait = (1000 - (Date.now() % 1000) - lead + 1000) % 1000;
  await new Promise((resolve) => setTimeout(resolve, wait));
}

describe("the Auth emulator's sign-up clock (known problem)", () => {
  it("when a sign-up straddles a second, then its token's auth_time is before validSince and the revocation check refuses it; no other token is refused", async () => {
    const users: { uid: string; email: string; token: string }[] = [];
    // Waves of sign-ups sent just before a second starts, so that some straddle it.
    for (let wave = 0; wave < 5; wave++) {
      await justBeforeASecond(3);
      users.push(...(await Promise.all(Array.from({ length: 40 }, () => signUp()))));
    }

    const outcomes = await Promise.all(
      users.map(async ({ uid, token }) => {
        const { authTime } = tokenTimes(token);
        const validSince = Date.parse((await getAuth(admin).getUser(uid)).tokensValidAfterTime ?? "") / 1000;
        const refusal = await getAuth(admin)
          .verifyIdToken(token, true)
          .then(() => null)
          .catch((error: { code?: string }) => error.code ?? "unknown");
        return { straddled: authTime < validSince, refusal, tokenTimes: tokenTimes(token) };
      }),
    );
    const straddled = outcomes.filter((outcome) => outcome.straddled);
    console.log(`auth sign-up clock: ${straddled.length} of ${outcomes.length} sign-ups straddled a second`);

    // A token is refused exactly when its sign-up straddled a second, and then as revoked.
    for (const outcome of outcomes) expect(outcome.refusal).toBe(outcome.straddled ? "auth/id-token-revoked" : null);
    // Every straddling token was issued in a later second than its auth_time: the sign the
    // workaround looks for.
    for (const outcome of straddled) expect(outcome.tokenTimes.issuedAt).toBeGreaterThan(outcome.tokenTimes.authTime);
  }, 60_000);
});
