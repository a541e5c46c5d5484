import { describe, expect, it } from "vitest";
import { emailHash } from "../../functions/src/users/email-hash.js";
import { migrateUserEmails } from "../../functions/src/users/migrate-emails.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat } from "../helpers/api.js";
import { signUpMany } from "../helpers/users.js";

describe("moving e-mail addresses out of profiles", () => {
  it("when profiles still hold their e-mail, then the migration moves it to user-emails, ?with= finds the user, and a rerun changes nothing", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    // As the code before left it: the address on the public profile, no user-emails doc.
    await adminDb().doc(`users/${bob.uid}`).update({ email: bob.email });
    await adminDb()
      .doc(`user-emails/${emailHash(bob.email)}`)
      .delete();
    expect((await api<{ chats: unknown[] }>(alice, "GET", `/chats?with=${emailHash(bob.email)}`)).body.chats).toEqual([]);

    const first = await migrateUserEmails(adminDb());
    const again = await migrateUserEmails(adminDb());

    expect(first.moved).toBeGreaterThanOrEqual(1);
    expect(again.moved).toBe(0);
    expect((await adminDb().doc(`users/${bob.uid}`).get()).data()).not.toHaveProperty("email");
    expect(
      (
        await adminDb()
          .doc(`user-emails/${emailHash(bob.email)}`)
          .get()
      ).data(),
    ).toEqual({ uid: bob.uid });
    const found = await api<{ chats: { id: string }[] }>(alice, "GET", `/chats?with=${emailHash(bob.email)}`);
    expect(found.body.chats.map((chat) => chat.id)).toEqual([chatId]);
  });
});
