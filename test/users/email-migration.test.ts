import { describe, expect, it } from "vitest";
import { emailHash } from "../../functions/src/users/email-hash.js";
import { migrateUserEmails, pruneUnverifiedEmails } from "../../functions/src/users/migrate-emails.js";
import { verifiedEmails } from "../../functions/src/users/verified-emails.js";
import { adminAuth, adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { registerVerifiedEmail, signUpMany, verifyEmails } from "../helpers/users.js";

describe("moving e-mail addresses out of profiles", () => {
  it("when profiles still hold their e-mail, then the migration moves it to user-emails, ?with= finds the user, and a rerun changes nothing", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    await verifyEmails(bob);
    // Carol never verified hers: the migration takes it off her profile and maps nothing.
    await adminDb().doc(`users/${carol.uid}`).update({ email: carol.email });
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "hi");
    // As the code before left it: the address on the public profile, no user-emails doc.
    await adminDb().doc(`users/${bob.uid}`).update({ email: bob.email });
    await adminDb()
      .doc(`user-emails/${emailHash(bob.email)}`)
      .delete();
    expect((await api<{ chats: unknown[] }>(alice, "GET", `/chats?with=${emailHash(bob.email)}`)).body.chats).toEqual([]);

    const verified = (uids: string[]) => verifiedEmails(adminAuth(), uids);
    const first = await migrateUserEmails(adminDb(), verified);
    const again = await migrateUserEmails(adminDb(), verified);

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
    expect(
      (
        await adminDb()
          .doc(`user-emails/${emailHash(carol.email)}`)
          .get()
      ).exists,
    ).toBe(false);
    expect((await adminDb().doc(`users/${carol.uid}`).get()).data()).not.toHaveProperty("email");
    const found = await api<{ chats: { id: string }[] }>(alice, "GET", `/chats?with=${emailHash(bob.email)}`);
    expect(found.body.chats.map((chat) => chat.id)).toEqual([chatId]);
  });

  it("when user-emails holds docs an earlier version wrote for unverified addresses, then the prune deletes them and keeps the verified ones", async () => {
    const [dave, signedUpErin] = await signUpMany("Dave", "Erin");
    const erin = await registerVerifiedEmail(signedUpErin);
    // As the code before left it: every sign-up's address mapped, verified or not.
    await adminDb()
      .doc(`user-emails/${emailHash(dave.email)}`)
      .set({ uid: dave.uid });
    await adminDb()
      .doc(`user-emails/${emailHash("ghost@example.com")}`)
      .set({ uid: "no-such-user" });
    const verified = (uids: string[]) => verifiedEmails(adminAuth(), uids);

    const first = await pruneUnverifiedEmails(adminDb(), verified);
    const again = await pruneUnverifiedEmails(adminDb(), verified);

    expect(first.deleted).toBeGreaterThanOrEqual(2);
    expect(again.deleted).toBe(0);
    expect(
      (
        await adminDb()
          .doc(`user-emails/${emailHash(dave.email)}`)
          .get()
      ).exists,
    ).toBe(false);
    expect(
      (
        await adminDb()
          .doc(`user-emails/${emailHash("ghost@example.com")}`)
          .get()
      ).exists,
    ).toBe(false);
    expect(
      (
        await adminDb()
          .doc(`user-emails/${emailHash(erin.email)}`)
          .get()
      ).data(),
    ).toEqual({ uid: erin.uid });
  });
});
