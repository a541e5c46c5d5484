import { describe, expect, it } from "vitest";
import { adminAuth, adminDb } from "../helpers/admin.js";
import { api, createChat } from "../helpers/api.js";
import { callFailure, clientFor } from "../helpers/client.js";
import { signUpMany } from "../helpers/users.js";

describe("revoked tokens and disabled users (CHECK_REVOKED_TOKENS, on by default)", () => {
  it("when a user's tokens are revoked, then their unexpired ID token is refused by REST and callables alike, and nothing is written", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const asAlice = await clientFor(alice);
    try {
      // Revocation counts in whole seconds after the token's auth time.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await adminAuth().revokeRefreshTokens(alice.uid);

      const rest = await api(alice, "POST", `/chats/${chatId}/messages`, { body: { text: "still me?" } });
      const callable = await callFailure(asAlice.call("sendMessage", { chatId, text: "still me?" }));

      expect(rest).toMatchObject({
        status: 401,
        body: { error: { code: "unauthenticated", message: "The ID token has been revoked; sign in again." } },
      });
      expect(callable).toMatchObject({ code: "functions/unauthenticated", details: { code: "unauthenticated" } });
      expect((await adminDb().doc(`chats/${chatId}`).get()).get("messageCount")).toBe(0);
    } finally {
      await asAlice.close();
    }
  });

  it("when a user is disabled, then their ID token is refused", async () => {
    const [mallory] = await signUpMany("Mallory");
    await adminAuth().updateUser(mallory.uid, { disabled: true });

    expect(await api(mallory, "GET", "/chats")).toMatchObject({
      status: 401,
      body: { error: { code: "unauthenticated", message: "This account is disabled." } },
    });
  });
});
