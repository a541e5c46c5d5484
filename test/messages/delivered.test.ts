import { describe, expect, it } from "vitest";
import { messageStatus, type ChatView } from "../../client/src/index.js";
import { listReceipts } from "../../functions/src/messages/receipts.js";
import { sendMessage } from "../../functions/src/messages/send-message.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { clientFor } from "../helpers/client.js";
import { watch } from "../helpers/listen.js";
import { newClient, openAcceptedChat } from "../helpers/parley-client.js";
import { dropRoom, seedRoom } from "../helpers/rooms.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

interface Receipts {
  readCount: number;
  readers: { uid: string; lastRead: number }[] | null;
  deliveredCount: number;
  deliveredTo: string[] | null;
}

const chatDoc = (chatId: string) => adminDb().doc(`chats/${chatId}`).get();
const report = (user: TestUser, chatId: string, body: unknown) => api(user, "POST", `/chats/${chatId}/delivered`, { body });
const receiptsOf = (user: TestUser, chatId: string, number: number) =>
  api<Receipts>(user, "GET", `/chats/${chatId}/messages/${number}/receipts`);

/** A room made by `host` and joined by `others`; answers its id. */
async function roomOf(host: TestUser, ...others: TestUser[]): Promise<string> {
  const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Ticks" } });
  for (const user of others) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
  return room.body.chat.id;
}

describe("delivered reports (markDelivered)", () => {
  it("when the other member of a 1:1 chat reports messages arrived, then the sender is shown them delivered, up to the newest at most", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (const text of ["one", "two", "three"]) await send(alice, chatId, text);

    const reported = await report(bob, chatId, { upTo: 2 });
    const view = await api<{ chat: ChatView }>(alice, "GET", `/chats/${chatId}`);
    const two = await receiptsOf(alice, chatId, 2);
    const three = await receiptsOf(alice, chatId, 3);
    const past = await report(bob, chatId, { upTo: 99 });

    expect(reported).toMatchObject({ status: 200, body: { chatId, deliveredUpTo: 2 } });
    expect(view.body.chat.delivered[bob.uid]).toBe(2);
    const statuses = [1, 2, 3].map((number) => messageStatus(view.body.chat, { from: alice.uid, number }, alice.uid));
    expect(statuses).toEqual(["delivered", "delivered", "sent"]);
    expect(two.body).toMatchObject({ readCount: 0, readers: [], deliveredCount: 1, deliveredTo: [bob.uid] });
    expect(three.body).toMatchObject({ deliveredCount: 0, deliveredTo: [] });
    expect(past.body).toEqual({ chatId, deliveredUpTo: 3 });
    expect((await chatDoc(chatId)).get("delivered")).toEqual({ [bob.uid]: 3 });
  });

  it("when a report does not pass the delivered or read position, then nothing is written and the position stays", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (const text of ["one", "two", "three"]) await send(alice, chatId, text);
    await report(bob, chatId, { upTo: 2 });
    const before = await chatDoc(chatId);

    const back = await report(bob, chatId, { upTo: 1 });
    const same = await report(bob, chatId, { upTo: 2 });
    await api(bob, "POST", `/chats/${chatId}/read`, { body: { upTo: 3 } });
    const afterRead = await chatDoc(chatId);
    const read = await report(bob, chatId, { upTo: 3 });

    expect(back.body).toEqual({ chatId, deliveredUpTo: 2 });
    expect(same.body).toEqual({ chatId, deliveredUpTo: 2 });
    expect(read.body).toEqual({ chatId, deliveredUpTo: 3 });
    // Seen implies delivered: the read wrote the chat, the report after it nothing.
    expect(afterRead.updateTime?.isEqual(before.updateTime!)).toBe(false);
    expect((await chatDoc(chatId)).updateTime?.isEqual(afterRead.updateTime!)).toBe(true);
    expect(afterRead.get("delivered")).toEqual({ [bob.uid]: 2 });
    const view = await api<{ chat: ChatView }>(alice, "GET", `/chats/${chatId}`);
    expect(messageStatus(view.body.chat, { from: alice.uid, number: 3 }, alice.uid)).toBe("seen");
    expect(view.body.chat.delivered[bob.uid]).toBe(3);
  });

  it("when a member's read receipts are off, then their report succeeds and publishes nothing: the other sees sent", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "one");
    await api(bob, "PATCH", "/me/settings", { body: { readReceipts: false } });
    const before = await chatDoc(chatId);

    const reported = await report(bob, chatId, { upTo: 1 });
    const view = await api<{ chat: ChatView }>(alice, "GET", `/chats/${chatId}`);
    const receipts = await receiptsOf(alice, chatId, 1);

    expect(reported).toMatchObject({ status: 200, body: { chatId, deliveredUpTo: 1 } });
    expect((await chatDoc(chatId)).updateTime?.isEqual(before.updateTime!)).toBe(true);
    expect(view.body.chat.delivered[bob.uid] ?? 0).toBe(0);
    expect(messageStatus(view.body.chat, { from: alice.uid, number: 1 }, alice.uid)).toBe("sent");
    expect(receipts.body).toMatchObject({ deliveredCount: 0, deliveredTo: [] });
  });

  it("when someone not in the chat reports, or the input is bad, then 404 or 400 and nothing is written", async () => {
    const [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "one");
    const before = await chatDoc(chatId);

    const stranger = await report(eve, chatId, { upTo: 1 });
    const noChat = await report(bob, "no-such-chat", { upTo: 1 });
    const bad = await Promise.all(
      [{ upTo: 0 }, {}, { upTo: "1" }, { upTo: 1.5 }, { upTo: 1, more: 1 }].map((body) => report(bob, chatId, body)),
    );
    const asBob = await clientFor(bob);
    const refused = await asBob.call("markDelivered", { chatId, upTo: -1 }).catch((error: { code: string }) => error.code);
    await asBob.close();

    expect(stranger).toMatchObject({ status: 404, body: { error: { code: "not-found" } } });
    expect(noChat.status).toBe(404);
    expect(bad.map(({ status }) => status)).toEqual([400, 400, 400, 400, 400]);
    expect(refused).toMatch(/invalid-argument/);
    expect((await chatDoc(chatId)).updateTime?.isEqual(before.updateTime!)).toBe(true);
  });

  it("when room members report through the callable, then the receipts list who has a message delivered, readers included", async () => {
    const [host, guest, third, fourth] = await signUpMany("Host", "Guest", "Third", "Fourth");
    const chatId = await roomOf(host, guest, third, fourth);
    const message = await send(host, chatId, "agenda");
    const asGuest = await clientFor(guest);
    try {
      const state = await asGuest.call<{ deliveredUpTo: number }>("markDelivered", { chatId, upTo: message.number });
      expect(state).toEqual({ chatId, deliveredUpTo: message.number });
    } finally {
      await asGuest.close();
    }
    await api(third, "POST", `/chats/${chatId}/read`, { body: {} });

    const receipts = await receiptsOf(fourth, chatId, message.number);
    const member = await adminDb().doc(`chats/${chatId}/members/${guest.uid}`).get();

    expect(member.get("deliveredUpTo")).toBe(message.number);
    expect(receipts.body).toMatchObject({
      readCount: 1,
      readers: [{ uid: third.uid, lastRead: message.number }],
      deliveredCount: 2,
      deliveredTo: [guest.uid, third.uid].sort(),
    });
  });

  it("when a room is larger than RECEIPTS_MAX_MEMBERS, then the receipts count who has a message delivered, without the sender", async () => {
    const room = await seedRoom(30);
    try {
      const { chatId, members } = room;
      const { message } = await sendMessage(adminDb(), {
        now: new Date(),
        senderUid: members[0],
        chatId,
        draft: { type: "text", text: "count me" },
      });
      const batch = adminDb().batch();
      for (const uid of members.slice(1, 6))
        batch.update(adminDb().doc(`chats/${chatId}/members/${uid}`), { lastRead: message.number });
      for (const uid of members.slice(4, 12))
        batch.update(adminDb().doc(`chats/${chatId}/members/${uid}`), { deliveredUpTo: message.number });
      await batch.commit();

      const options = { callerUid: members[20], chatId, number: message.number };
      const counted = await listReceipts(adminDb(), { ...options, maxListed: 10 });
      const listed = await listReceipts(adminDb(), { ...options, maxListed: 30 });

      expect(counted).toMatchObject({ readCount: 5, readers: null, deliveredCount: 11, deliveredTo: null });
      expect(listed.deliveredTo).toEqual(members.slice(1, 12).sort());
      expect(listed.deliveredCount).toBe(11);
    } finally {
      await dropRoom(room);
    }
  });

  it("when the client's chat watcher sees new messages from the other member, then it reports them delivered and the sender's ticks follow", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    const bobsChats = watch((callback: (chats: ChatView[]) => void, onError: (error: Error) => void) =>
      bob.client.watchChats(callback, onError),
    );
    await bobsChats.until((chats) => chats.find((c) => c.id === chat.id));
    const alicesChat = watch((callback: (chat: ChatView | null) => void, onError: (error: Error) => void) =>
      alice.client.watchChat(chat.id, callback, onError),
    );

    for (const text of ["one", "two", "three"]) await alice.client.rest.sendMessage({ chatId: chat.id, text });

    const delivered = await alicesChat.until((view) =>
      view && messageStatus(view, { from: alice.uid, number: 3 }, alice.uid) === "delivered" ? view : undefined,
    );
    bobsChats.stop();
    alicesChat.stop();
    expect(delivered.delivered[bob.uid]).toBe(3);
    expect(delivered.lastRead[bob.uid] ?? 0).toBe(0);
    await eventually(async () => expect((await chatDoc(chat.id)).get(`delivered.${bob.uid}`)).toBe(3));
  });
});
