import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { callFailure, clientFor } from "../helpers/client.js";
import { signUpMany } from "../helpers/users.js";

const pins = (chatId: string) => `/chats/${chatId}/pins`;

describe("pinned messages", () => {
  it("when members of a 1:1 chat pin and unpin, then the chat view lists the pins in order; pinning twice changes nothing", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (const text of ["address", "time", "menu"]) await send(alice, chatId, text);

    const first = await api(alice, "POST", pins(chatId), { body: { number: 2 } });
    const second = await api(bob, "POST", pins(chatId), { body: { number: 1 } });
    const again = await api(bob, "POST", pins(chatId), { body: { number: 2 } });
    const view = await api<{ chat: { pinned: number[] } }>(bob, "GET", `/chats/${chatId}`);
    const unpinned = await api(alice, "DELETE", `${pins(chatId)}/2`);
    const notPinned = await api(alice, "DELETE", `${pins(chatId)}/3`);

    expect(first).toMatchObject({ status: 200, body: { chatId, pinned: [2] } });
    expect(second.body).toEqual({ chatId, pinned: [2, 1] });
    expect(again.body).toEqual({ chatId, pinned: [2, 1] });
    expect(view.body.chat.pinned).toEqual([2, 1]);
    expect(unpinned.body).toEqual({ chatId, pinned: [1] });
    expect(notPinned).toMatchObject({ status: 404, body: { error: { message: "Message 3 is not pinned." } } });
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("pinned")).toEqual([1]);
  });

  it("when a chat has 10 pins, or the message is missing, deleted or a system message, then pinning is refused and nothing changes", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (let i = 1; i <= 12; i++) await send(alice, chatId, `m${i}`);
    await api(alice, "DELETE", `/chats/${chatId}/messages/12`);
    for (let number = 1; number <= 10; number++) await api(alice, "POST", pins(chatId), { body: { number } });

    const eleventh = await api(alice, "POST", pins(chatId), { body: { number: 11 } });
    await api(alice, "DELETE", `${pins(chatId)}/10`);
    const deleted = await api(alice, "POST", pins(chatId), { body: { number: 12 } });
    const missing = await api(alice, "POST", pins(chatId), { body: { number: 99 } });

    expect(eleventh).toMatchObject({
      status: 409,
      body: { error: { message: "A chat holds at most 10 pinned messages; unpin one first." } },
    });
    expect(deleted).toMatchObject({ status: 409, body: { error: { message: "Message 12 was deleted." } } });
    expect(missing.status).toBe(404);
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("pinned")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("when a room member who is not the host pins, then 403; the host pins, members see it live, and the callables answer as REST", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", { body: { title: "Pins" } });
    const chatId = room.body.chat.id;
    await api(bob, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    const message = await send(bob, chatId, "rules of the room");
    const asBob = await clientFor(bob);
    const asAlice = await clientFor(alice);
    try {
      expect(await callFailure(asBob.call("pinMessage", { chatId, number: message.number }))).toMatchObject({
        code: "functions/permission-denied",
        message: "Only the room's host can pin messages. [403]",
      });
      const pinned = await asAlice.call<{ pinned: number[] }>("pinMessage", { chatId, number: message.number });
      expect(pinned.pinned).toEqual([message.number]);
      const seenByBob = await api<{ chat: { pinned: number[] } }>(bob, "GET", `/chats/${chatId}`);
      expect(seenByBob.body.chat.pinned).toEqual([message.number]);
      expect(await asAlice.call("unpinMessage", { chatId, number: message.number })).toEqual({ chatId, pinned: [] });
    } finally {
      await Promise.all([asBob.close(), asAlice.close()]);
    }
  });
});
