import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { adminAuth, adminDb } from "../helpers/admin.js";
import { api, createChat } from "../helpers/api.js";
import { callFailure, clientFor } from "../helpers/client.js";
import { signUpMany } from "../helpers/users.js";

/** `REVOCATION_CACHE_SECONDS` of functions/.env, in ms: how long a revocation may take to show. */
const windowMs = Number(/^REVOCATION_CACHE_SECONDS=(\d+)$/m.exec(readFileSync("functions/.env", "utf8"))?.[1]) * 1000;
/** What a loaded machine adds to the window: the lookup itself and the requests. */
const SLACK_MS = 3000;

/** The failure of a callable `call`, or `undefined` when it succeeded. */
async function refusalOf(call: Promise<unknown>) {
  try {
    await call;
    return undefined;
  } catch {
    return callFailure(call);
  }
}

/** Tries `attempt` until it is refused (resolves with the refusal); fails after `ms`. */
async function refusedWithin<T>(ms: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const started = Date.now();
  for (;;) {
    const refused = await attempt();
    if (refused !== undefined) return refused;
    if (Date.now() - started > ms) throw new Error(`still accepted ${ms} ms later`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("revoked tokens and disabled users (CHECK_REVOKED_TOKENS, on by default; REVOCATION_CACHE_SECONDS)", () => {
  it("when a user's tokens are revoked, then within the window their unexpired ID token is refused by REST and callables alike, and a refused send writes nothing", async () => {
    expect(windowMs).toBeGreaterThan(0);
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const asAlice = await clientFor(alice);
    try {
      // Both paths have looked alice up (the window starts), then her tokens are revoked.
      expect((await api(alice, "POST", `/chats/${chatId}/messages`, { body: { text: "hi" } })).status).toBe(201);
      await asAlice.call("sendMessage", { chatId, text: "hi" });
      // Revocation counts in whole seconds after the token's auth time.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await adminAuth().revokeRefreshTokens(alice.uid);

      const rest = await refusedWithin(windowMs + SLACK_MS, async () => {
        const response = await api(alice, "POST", `/chats/${chatId}/messages`, { body: { text: "still me?" } });
        return response.status === 201 ? undefined : response;
      });
      const callable = await refusedWithin(windowMs + SLACK_MS, () =>
        refusalOf(asAlice.call("sendMessage", { chatId, text: "still me?" })),
      );

      expect(rest).toMatchObject({
        status: 401,
        body: { error: { code: "unauthenticated", message: "The ID token has been revoked; sign in again." } },
      });
      expect(callable).toMatchObject({ code: "functions/unauthenticated", details: { code: "unauthenticated" } });
      const count = (await adminDb().doc(`chats/${chatId}`).get()).get("messageCount");
      expect((await api(alice, "POST", `/chats/${chatId}/messages`, { body: { text: "again" } })).status).toBe(401);
      expect((await adminDb().doc(`chats/${chatId}`).get()).get("messageCount")).toBe(count);
    } finally {
      await asAlice.close();
    }
  });

  it("when a user is disabled, then within the window their ID token is refused by REST and callables alike", async () => {
    const [mallory, bob] = await signUpMany("Mallory", "Bob");
    const chatId = await createChat(mallory, bob);
    const asMallory = await clientFor(mallory);
    try {
      await asMallory.call("listChats", {});
      await adminAuth().updateUser(mallory.uid, { disabled: true });

      const rest = await refusedWithin(windowMs + SLACK_MS, async () => {
        const response = await api(mallory, "GET", "/chats");
        return response.status === 200 ? undefined : response;
      });
      const callable = await refusedWithin(windowMs + SLACK_MS, () =>
        refusalOf(asMallory.call("sendMessage", { chatId, text: "hello?" })),
      );

      expect(rest).toMatchObject({
        status: 401,
        body: { error: { code: "unauthenticated", message: "This account is disabled." } },
      });
      expect(callable).toMatchObject({ code: "functions/unauthenticated", details: { code: "unauthenticated" } });
      expect(callable.message).toContain("This account is disabled.");
    } finally {
      await asMallory.close();
    }
  });
});
