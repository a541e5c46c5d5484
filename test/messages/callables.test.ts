import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { createChat, send } from "../helpers/api.js";
import { callFailure, clientFor, type Client } from "../helpers/client.js";
import { signUpMany } from "../helpers/users.js";

const clients: Client[] = [];
afterAll(async () => Promise.all(clients.map((client) => client.close())));

describe("message actions, mute and devices through callables", () => {
  it("when called through the web SDK, then they act as their REST routes and fail with the same codes", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const chatId = await createChat(alice, bob);
    const otherChat = await createChat(alice, carol);
    const [asAlice, asBob] = await Promise.all([clientFor(alice), clientFor(bob)]);
    clients.push(asAlice, asBob);
    await send(bob, chatId, "Where are we meeting?");

    const reply = await asAlice.call<{ message: { number: number; reference: unknown } }>("sendMessage", {
      chatId,
      text: "At the station",
      replyTo: 1,
    });
    const edited = await asAlice.call<{ message: { text: string } }>("editMessage", {
      chatId,
      number: 2,
      text: "At the main station",
    });
    const forwarded = await asAlice.call<{ message: { chatId: string; text: string }; created: boolean }>("forwardMessage", {
      chatId,
      number: 2,
      toChatId: otherChat,
    });
    const hidden = await asBob.call("hideMessage", { chatId, number: 1 });
    const deleted = await asAlice.call<{ message: { deleted: boolean } }>("deleteMessage", { chatId, number: 2 });
    const muted = await asBob.call("muteChat", { chatId });
    const unmuted = await asBob.call("unmuteChat", { chatId });
    const device = await asBob.call<{ device: { id: string; platform: string }; created: boolean }>("registerDevice", {
      token: `cb-${bob.uid}`,
      platform: "web",
    });
    const removed = await asBob.call("unregisterDevice", { deviceId: device.device.id });

    expect(reply.message).toMatchObject({ number: 2, reference: { type: "reply", number: 1, preview: "Where are we meeting?" } });
    expect(edited.message.text).toBe("At the main station");
    expect(forwarded).toMatchObject({ created: true, message: { chatId: otherChat, text: "At the main station" } });
    expect(hidden).toEqual({ chatId, number: 1, hidden: true });
    expect(deleted.message.deleted).toBe(true);
    expect(muted).toEqual({ chatId, muted: true, mutedUntil: null });
    expect(unmuted).toEqual({ chatId, muted: false, mutedUntil: null });
    expect(device).toMatchObject({ created: true, device: { platform: "web" } });
    expect(removed).toEqual({ removed: true });

    expect(await callFailure(asBob.call("editMessage", { chatId, number: 2, text: "mine now" }))).toMatchObject({
      code: "functions/permission-denied",
      details: { code: "permission-denied" },
    });
    expect(await callFailure(asBob.call("deleteMessage", { chatId, number: 99 }))).toMatchObject({ code: "functions/not-found" });
    expect(await callFailure(asBob.call("forwardMessage", { chatId, number: 1, toChatId: otherChat }))).toMatchObject({
      code: "functions/not-found",
    });
    expect(await callFailure(asBob.call("unregisterDevice", { deviceId: "0".repeat(64) }))).toMatchObject({
      code: "functions/not-found",
    });
    expect(await callFailure(asBob.call("muteChat", { chatId, until: "soon" }))).toMatchObject({
      code: "functions/invalid-argument",
    });
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("messageCount")).toBe(2);
  });
});
