import { describe, expect, it } from "vitest";
import { listReceipts } from "../../functions/src/messages/receipts.js";
import { sendMessage } from "../../functions/src/messages/send-message.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { clientFor } from "../helpers/client.js";
import { dropRoom, seedRoom } from "../helpers/rooms.js";
import { signUpMany } from "../helpers/users.js";

interface Receipts {
  readCount: number;
  readers: { uid: string; lastRead: number }[] | null;
}

describe("read receipts", () => {
  it("when the other member of a 1:1 chat reads, then the chat view shows how far, and the receipts of a message name them", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (const text of ["one", "two", "three"]) await send(alice, chatId, text);

    const unread = await api<Receipts>(alice, "GET", `/chats/${chatId}/messages/2/receipts`);
    await api(bob, "POST", `/chats/${chatId}/read`, { body: { upTo: 2 } });
    const view = await api<{ chat: { lastRead: Record<string, number> } }>(alice, "GET", `/chats/${chatId}`);
    const read = await api<Receipts>(alice, "GET", `/chats/${chatId}/messages/2/receipts`);
    const notYet = await api<Receipts>(alice, "GET", `/chats/${chatId}/messages/3/receipts`);

    expect(unread.body).toMatchObject({ readCount: 0, readers: [] });
    expect(view.body.chat.lastRead[bob.uid]).toBe(2);
    expect(read.body).toEqual({
      chatId,
      number: 2,
      readCount: 1,
      readers: [{ uid: bob.uid, lastRead: 2 }],
      deliveredCount: 1,
      deliveredTo: [bob.uid],
    });
    expect(notYet.body).toMatchObject({ readCount: 0, readers: [] });
    expect((await api(alice, "GET", `/chats/${chatId}/messages/9/receipts`)).status).toBe(404);
  });

  it("when room members read, then the receipts list who read a message (not its sender), through the callable too", async () => {
    const [host, guest, third] = await signUpMany("Host", "Guest", "Third");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Reads" } });
    const chatId = room.body.chat.id;
    for (const user of [guest, third]) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    const message = await send(host, chatId, "agenda");
    await api(guest, "POST", `/chats/${chatId}/read`, { body: {} });

    const asThird = await clientFor(third);
    try {
      const receipts = await asThird.call<Receipts>("listReceipts", { chatId, number: message.number });
      expect(receipts).toEqual({
        chatId,
        number: message.number,
        readCount: 1,
        readers: [{ uid: guest.uid, lastRead: message.number }],
        deliveredCount: 1,
        deliveredTo: [guest.uid],
      });
    } finally {
      await asThird.close();
    }
  });

  it("when a room is larger than RECEIPTS_MAX_MEMBERS, then the receipts give a count only", async () => {
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
      for (const uid of members.slice(1, 13))
        batch.update(adminDb().doc(`chats/${chatId}/members/${uid}`), { lastRead: message.number });
      await batch.commit();

      expect(await listReceipts(adminDb(), { callerUid: members[5], chatId, number: message.number, maxListed: 10 })).toEqual({
        chatId,
        number: message.number,
        readCount: 12,
        readers: null,
        deliveredCount: 12,
        deliveredTo: null,
      });
      const listed = await listReceipts(adminDb(), { callerUid: members[5], chatId, number: message.number, maxListed: 30 });
      expect(listed.readers?.map((reader) => reader.uid)).toEqual(members.slice(1, 13).sort());
    } finally {
      await dropRoom(room);
    }
  });
});
