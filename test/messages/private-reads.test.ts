import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { clientFor } from "../helpers/client.js";
import { signUpMany, type TestUser } from "../helpers/users.js";

interface Chat {
  unreadCount: number;
  lastRead: Record<string, number>;
}

interface Receipts {
  readCount: number;
  readers: { uid: string; lastRead: number }[] | null;
}

const chatOf = async (user: TestUser, chatId: string) => (await api<{ chat: Chat }>(user, "GET", `/chats/${chatId}`)).body.chat;
const receiptsOff = (user: TestUser) => api(user, "PATCH", "/me/settings", { body: { readReceipts: false } });

describe("read receipts off (privacy settings)", () => {
  it("when a member with read receipts off reads a 1:1 chat, then their unread count drops for them alone and the other member sees no seen", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (const text of ["one", "two", "three"]) await send(alice, chatId, text);
    const sharedBefore = (await adminDb().doc(`chats/${chatId}`).get()).data();
    await receiptsOff(bob);

    const partial = await api<{ lastRead: number; unreadCount: number }>(bob, "POST", `/chats/${chatId}/read`, {
      body: { upTo: 2 },
    });
    const afterPartial = (await adminDb().doc(`chats/${chatId}`).get()).data();
    await api(bob, "POST", `/chats/${chatId}/read`, { body: {} });
    await send(alice, chatId, "four");

    expect(partial.body).toMatchObject({ lastRead: 2, unreadCount: 1 });
    // Nothing the other member reads changed: the chat doc is as before the read.
    expect(afterPartial).toEqual(sharedBefore);
    expect(await chatOf(bob, chatId)).toMatchObject({ unreadCount: 1, lastRead: { [bob.uid]: 3 } });
    // Bob's "seen" stays where it was when he turned receipts off (accepted at 0 messages).
    expect((await chatOf(alice, chatId)).lastRead[bob.uid]).toBe(0);
    const receipts = await api<Receipts>(alice, "GET", `/chats/${chatId}/messages/3/receipts`);
    expect(receipts.body).toMatchObject({ readCount: 0, readers: [] });
    expect((await adminDb().doc(`user-settings/${bob.uid}`).get()).get(`direct.${chatId}`)).toEqual({
      readUpTo: 3,
      readOffset: 3,
    });
  });

  it("when a member's read receipts are off, then they see no one's: the chat view leaves the other out and the receipts are refused", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "hello");
    await api(alice, "POST", `/chats/${chatId}/read`, { body: {} });
    await receiptsOff(bob);

    const forBob = await chatOf(bob, chatId);
    const receipts = await api(bob, "GET", `/chats/${chatId}/messages/1/receipts`);

    expect(forBob.lastRead).not.toHaveProperty(alice.uid);
    expect(receipts).toMatchObject({ status: 403, body: { error: { code: "permission-denied" } } });
    // Alice, whose receipts are on, still sees her own and Bob's public state.
    expect((await chatOf(alice, chatId)).lastRead).toMatchObject({ [alice.uid]: 1 });
  });

  it("when a member turns read receipts back on, then their next read is shown again and their private read state is gone", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "one");
    await receiptsOff(bob);
    await api(bob, "POST", `/chats/${chatId}/read`, { body: {} });
    await send(alice, chatId, "two");

    await api(bob, "PATCH", "/me/settings", { body: { readReceipts: true } });
    const read = await api<{ lastRead: number; unreadCount: number }>(bob, "POST", `/chats/${chatId}/read`, { body: {} });

    expect(read.body).toMatchObject({ lastRead: 2, unreadCount: 0 });
    expect((await chatOf(alice, chatId)).lastRead[bob.uid]).toBe(2);
    expect((await adminDb().doc(`chats/${chatId}`).get()).get(`unread.${bob.uid}`)).toBe(0);
    expect((await adminDb().doc(`user-settings/${bob.uid}`).get()).get(`direct.${chatId}`)).toEqual({});
  });

  it("when a room member with read receipts off reads, then the room's receipts leave them out, and the callable answers the same", async () => {
    const [host, guest, third] = await signUpMany("Host", "Guest", "Third");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Quiet" } });
    const chatId = room.body.chat.id;
    for (const user of [guest, third]) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    const message = await send(host, chatId, "agenda");
    await receiptsOff(guest);
    await api(guest, "POST", `/chats/${chatId}/read`, { body: {} });
    await api(third, "POST", `/chats/${chatId}/read`, { body: {} });

    const receipts = await api<Receipts>(host, "GET", `/chats/${chatId}/messages/${message.number}/receipts`);
    const asGuest = await clientFor(guest);
    try {
      const refused = await asGuest.call("listReceipts", { chatId, number: message.number }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: "functions/permission-denied" });
    } finally {
      await asGuest.close();
    }

    expect(receipts.body).toMatchObject({ readCount: 1, readers: [{ uid: third.uid, lastRead: message.number }] });
    expect((await chatOf(guest, chatId)).unreadCount).toBe(0);
    // Turning receipts off hides reads made before too.
    await receiptsOff(third);
    const none = await api<Receipts>(host, "GET", `/chats/${chatId}/messages/${message.number}/receipts`);
    expect(none.body).toMatchObject({ readCount: 0, readers: [] });
  });

  it("when settings are patched, then what is left out keeps its value, and a wrong type is refused with nothing stored", async () => {
    const [alice] = await signUpMany("Alice");

    const defaults = await api(alice, "GET", "/me/settings");
    await api(alice, "PATCH", "/me/settings", { body: { presence: "nobody" } });
    const off = await api(alice, "PATCH", "/me/settings", { body: { readReceipts: false } });
    const refused = await api(alice, "PATCH", "/me/settings", { body: { readReceipts: "no" } });
    const after = await api(alice, "GET", "/me/settings");

    expect(defaults.body).toEqual({ settings: { presence: "contacts", readReceipts: true } });
    expect(off.body).toEqual({ settings: { presence: "nobody", readReceipts: false } });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: "invalid-argument" } } });
    expect(after.body).toEqual({ settings: { presence: "nobody", readReceipts: false } });
  });
});
