import type { Firestore } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { markRead } from "../../functions/src/messages/mark-read.js";
import type { ChatDoc, MemberDoc, UserSettingsDoc } from "../../functions/src/shared/model.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { signUpMany } from "../helpers/users.js";

// Marking read takes no lock on the chat: it reads, then writes over the docs as read, and reads
// again when one changed meanwhile (functions/src/messages/mark-read.ts). These cases put another
// writer between the read and the write, deterministically: `markRead` runs here, on a handle
// whose first batch commit waits for that writer first.

/**
 * `db`, except that the first batch commit made through it first runs `between` (a send, another
 * read) to its end. `commits()` counts the batch commits tried.
 */
function withWriterBetween(db: Firestore, between: () => Promise<unknown>): { db: Firestore; commits: () => number } {
  let pending: (() => Promise<unknown>) | null = between;
  let commits = 0;
  const handle = new Proxy(db, {
    get(target, prop) {
      if (prop === "batch") {
        return () => {
          const batch = target.batch();
          const commit = batch.commit.bind(batch);
          batch.commit = async () => {
            commits++;
            const run = pending;
            pending = null;
            if (run) await run();
            return commit();
          };
          return batch;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: handle, commits: () => commits };
}

const chatDoc = async (chatId: string) => (await adminDb().doc(`chats/${chatId}`).get()).data() as ChatDoc;

describe("marking read while others write", () => {
  it("when the other member sends between a read and its write, then the send goes through and the read, taken again, counts it unread", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (const text of ["one", "two", "three"]) await send(alice, chatId, text);
    const racing = withWriterBetween(adminDb(), () => send(alice, chatId, "four"));

    const state = await markRead(racing.db, bob.uid, chatId, { upTo: 2 });

    const chat = await chatDoc(chatId);
    expect(racing.commits()).toBeGreaterThanOrEqual(2);
    expect(state).toEqual({ chatId, lastRead: 2, unreadCount: 2 });
    expect(chat.messageCount).toBe(4);
    expect(chat.lastRead?.[bob.uid]).toBe(2);
    expect(chat.unread?.[bob.uid]).toBe(2);
  });

  it("when a room member's other device reads further between a read and its write, then the read position does not go back", async () => {
    const [host, guest] = await signUpMany("Host", "Guest");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Races" } });
    const chatId = room.body.chat.id;
    await api(guest, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    for (const text of ["one", "two", "three"]) await send(host, chatId, text);
    const { messageCount } = await chatDoc(chatId);
    const racing = withWriterBetween(adminDb(), () => api(guest, "POST", `/chats/${chatId}/read`, { body: {} }));

    const state = await markRead(racing.db, guest.uid, chatId, { upTo: 1 });

    const member = (await adminDb().doc(`chats/${chatId}/members/${guest.uid}`).get()).data() as MemberDoc;
    // At least 2: the room's fan-out may still be writing the guest's badge, which also means reading again.
    expect(racing.commits()).toBeGreaterThanOrEqual(2);
    expect(state).toEqual({ chatId, lastRead: messageCount, unreadCount: 0 });
    expect(member.lastRead).toBe(messageCount);
  });

  it("when a private reader's other device reads further between a read and its write, then their private read position does not go back", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await api(bob, "PATCH", "/me/settings", { body: { readReceipts: false } });
    for (const text of ["one", "two", "three"]) await send(alice, chatId, text);
    const racing = withWriterBetween(adminDb(), () => api(bob, "POST", `/chats/${chatId}/read`, { body: {} }));

    const state = await markRead(racing.db, bob.uid, chatId, { upTo: 1 });

    const settings = (await adminDb().doc(`user-settings/${bob.uid}`).get()).data() as UserSettingsDoc;
    const chat = await chatDoc(chatId);
    expect(racing.commits()).toBeGreaterThanOrEqual(2);
    expect(state).toEqual({ chatId, lastRead: 3, unreadCount: 0 });
    expect(settings.direct?.[chatId]).toMatchObject({ readUpTo: 3, readOffset: 3 });
    expect(chat.lastRead?.[bob.uid]).toBe(0);
    expect(chat.unread?.[bob.uid]).toBe(3);
  });
});
