import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPort } from "../helpers/emulators.js";
import { serveApi, type ServedFunction } from "../helpers/framework.js";
import { signUpMany } from "../helpers/users.js";

// The emulator has no App Check, so ENFORCE_APP_CHECK is off there (its default); served as
// production serves `api`, with it on, a call must bring a valid token.
let served: ServedFunction;
beforeAll(async () => {
  served = await serveApi(testPort(8340), { ENFORCE_APP_CHECK: "true" });
}, 120_000);
afterAll(() => served?.stop());

describe("App Check enforcement (ENFORCE_APP_CHECK=true)", () => {
  it("when a call has no App Check token or a forged one, then 401 before its ID token is even read", async () => {
    const [alice] = await signUpMany("Alice");
    const call = (headers: Record<string, string>) =>
      fetch(`${served.base}/chats`, { headers: { authorization: `Bearer ${alice.token}`, ...headers } }).then(
        async (response) => ({
          status: response.status,
          body: (await response.json()) as unknown,
        }),
      );

    expect(await call({})).toEqual({
      status: 401,
      body: { error: { code: "unauthenticated", message: "Send an App Check token in X-Firebase-AppCheck." } },
    });
    expect(await call({ "x-firebase-appcheck": "forged.app.check" })).toEqual({
      status: 401,
      body: { error: { code: "unauthenticated", message: "The App Check token is not valid." } },
    });
  });
});
