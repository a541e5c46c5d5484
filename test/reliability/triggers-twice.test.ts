import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { endChat } from "../../functions/src/chats/end-chat.js";
import { exportChat } from "../../functions/src/exports/export-chat.js";
import { deliverPush } from "../../functions/src/push/deliver-push.js";
import { outboxTransport } from "../../functions/src/push/transport.js";
import type { MessageDoc } from "../../functions/src/shared/model.js";
import { createUserProfile } from "../../functions/src/users/create-user-profile.js";
import { emailHash } from "../../functions/src/users/email-hash.js";
import { findAuthUser } from "../../functions/src/users/find-auth-user.js";
import { verifiedEmails } from "../../functions/src/users/verified-emails.js";
import { adminAuth, adminBucket, adminDb, objectNames } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { apiBase, backgroundTriggers, hostingOrigin } from "../helpers/emulators.js";
import { signUpMany, verifyEmails } from "../helpers/users.js";

/** Plain data of docs, comparable with toEqual. */
const docsData = async (paths: string[]) =>
  Promise.all(paths.map(async (path) => (await adminDb().doc(path).get()).data() ?? null));
const queryData = async (collection: string, field: string, value: unknown) =>
  (await adminDb().collection(collection).where(field, "==", value).get()).docs.map((doc) => [doc.id, doc.data()]).sort();

// Each trigger's handler runs twice on one event; the state after the second run must equal the
// state after the first.
describe("triggers run twice on the same event", () => {
  it("when the user-created handler runs twice, then the profile is the first run's", async () => {
    const uid = `twice-${randomUUID()}`;
    const user = { uid, email: `${uid}@example.com`, emailVerified: true, displayName: "Twice" };

    const first = await createUserProfile(adminDb(), new Date(1_000), user);
    const paths = [`users/${uid}`, `user-emails/${emailHash(user.email)}`];
    const once = await docsData(paths);
    const second = await createUserProfile(adminDb(), new Date(2_000), user);

    expect([first, second]).toEqual([true, false]);
    expect(once[1]).toEqual({ uid });
    expect(await docsData(paths)).toEqual(once);
  });

  it("when the push handler runs twice on one message event, then the outbox, devices and claim are as after once", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await api(bob, "POST", "/devices", { body: { token: `twice-${bob.uid}`, platform: "android" } });
    await send(alice, chatId, "ping");
    const message = (await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).data() as MessageDoc;
    const event = { id: `twice-${randomUUID()}`, chatId, message };
    const state = async () => ({
      outbox: await queryData("push-outbox", "eventId", event.id),
      claim: await docsData([`push-events/${event.id}`]),
      devices: (await adminDb().collection(`users/${bob.uid}/devices`).get()).docs.map((doc) => doc.id),
    });

    await deliverPush(adminDb(), new Date(), outboxTransport(adminDb(), new Date()), event);
    const once = await state();
    await deliverPush(adminDb(), new Date(), outboxTransport(adminDb(), new Date()), event);

    expect(once.outbox).toHaveLength(1);
    expect(await state()).toEqual(once);
  });

  it("when the export handler runs twice for one ended chat, then the CSV, the chat's export record and the mails are as after once", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    await verifyEmails(alice, bob);
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "bye");
    await send(bob, chatId, "bye!");
    await backgroundTriggers("disable");
    try {
      await endChat(adminDb(), {
        now: new Date(),
        callerUid: alice.uid,
        chatId,
        findUser: (uid) => findAuthUser(adminAuth(), uid),
      });
    } finally {
      await backgroundTriggers("enable");
    }
    const links = { apiUrl: apiBase, appUrl: hostingOrigin, emails: (uids: string[]) => verifiedEmails(adminAuth(), uids) };
    const state = async () => ({
      docs: await docsData([`chats/${chatId}`, `ended-chats/${chatId}`]),
      mails: await queryData("mail", "to", alice.email),
      objects: await objectNames(`exports/${chatId}/`),
    });

    const first = await exportChat(adminDb(), { bucket: adminBucket(), now: new Date(), chatId, links });
    const once = await state();
    const second = await exportChat(adminDb(), { bucket: adminBucket(), now: new Date(), chatId, links });

    expect(first).toMatchObject({ duplicate: false, rows: 3, mails: 2 });
    expect(second.duplicate).toBe(true);
    expect(await state()).toEqual(once);
  });
});
