import { describe, expect, it } from "vitest";
import type { ParleyEvent, ParleyEventMap, ParleyEventName } from "../../client/src/index.js";
import { newClient, openAcceptedChat } from "../helpers/parley-client.js";
import { eventually } from "../helpers/wait.js";

/** Keeps every event a handler gets; `seen(type, pick)` waits for the first of that type `pick` accepts. */
function recorder() {
  const events: ParleyEvent[] = [];
  const record = (event: ParleyEvent) => void events.push(event);
  const seen = <K extends ParleyEventName>(type: K, pick: (event: ParleyEventMap[K]) => boolean = () => true) =>
    eventually(() => {
      const found = events.find((event): event is ParleyEventMap[K] => event.type === type && pick(event as ParleyEventMap[K]));
      const got = events.map((event) => event.type).join(", ") || "none";
      return found ? Promise.resolve(found) : Promise.reject(new Error(`no matching ${type} yet; got ${got}`));
    }, 30_000);
  return { events, record, seen };
}

describe("@parley/client: events", () => {
  it("when a chat's messages are sent, edited, reacted to, deleted and hidden, then on() names each change once, after ready", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    const chatId = chat.id;
    await alice.client.rest.sendMessage({ chatId, text: "already there" });
    const { events, record, seen } = recorder();
    const names = ["message.new", "message.updated", "message.deleted", "message.removed"] as const;
    const subscriptions = names.map((name) => bob.client.on(name, record, { chatId }));
    await Promise.all(subscriptions.map((subscription) => subscription.ready));

    await alice.client.rest.sendMessage({ chatId, text: "hello" });
    const arrived = await seen("message.new");
    await alice.client.rest.editMessage({ chatId, number: 2, text: "hello!" });
    await seen("message.updated", (event) => event.message.text === "hello!");
    await bob.client.rest.addReaction({ chatId, number: 2, emoji: "👍" });
    const reacted = await seen("message.updated", (event) => event.message.reactions["👍"] === 1);
    await alice.client.rest.deleteMessage({ chatId, number: 2 });
    const deleted = await seen("message.deleted");
    await bob.client.rest.hideMessage({ chatId, number: 1 });
    const removed = await seen("message.removed");
    subscriptions.forEach((unsubscribe) => unsubscribe());

    expect(arrived).toMatchObject({ chatId, message: { number: 2, text: "hello" } });
    expect(reacted).toMatchObject({ message: { number: 2, myReactions: ["👍"] } });
    expect(deleted).toMatchObject({ chatId, message: { number: 2, deleted: true, text: "" } });
    expect(removed).toEqual({ type: "message.removed", chatId, number: 1 });
    // What was there before ready is no event; each change is named once.
    expect(events.filter((event) => event.type === "message.new")).toHaveLength(1);
    expect(events.filter((event) => event.type === "message.deleted")).toHaveLength(1);
  });

  it("when a member writes and types, then the other's chat.updated and typing.start / typing.stop follow", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    const { record, seen } = recorder();
    const subscriptions = [
      bob.client.on("chat.updated", record),
      bob.client.on("typing.start", record, { chatId: chat.id }),
      bob.client.on("typing.stop", record, { chatId: chat.id }),
    ];
    await Promise.all(subscriptions.map((subscription) => subscription.ready));

    await alice.client.rest.sendMessage({ chatId: chat.id, text: "typing test" });
    const updated = await seen("chat.updated", (event) => event.chat.lastMessage?.preview === "typing test");
    expect(updated.chat).toMatchObject({ id: chat.id, unreadCount: 1 });
    await alice.client.rest.setTyping({ chatId: chat.id });
    expect(await seen("typing.start")).toEqual({
      type: "typing.start",
      chatId: chat.id,
      uid: alice.uid,
    });
    expect(await seen("typing.stop")).toEqual({ type: "typing.stop", chatId: chat.id, uid: alice.uid });
    subscriptions.forEach((unsubscribe) => unsubscribe());
  });

  it("when a stranger's message request comes and is accepted, then request.new, request.removed and chat.added follow", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { record, seen } = recorder();
    const subscriptions = [
      bob.client.on("request.new", record),
      bob.client.on("request.removed", record),
      bob.client.on("chat.added", record),
    ];
    await Promise.all(subscriptions.map((subscription) => subscription.ready));

    const { chat } = await alice.client.rest.createChat({ memberUid: bob.uid });
    await alice.client.rest.sendMessage({ chatId: chat.id, text: "hi, it's Alice" });
    const request = await seen("request.new");
    expect(request.chat).toMatchObject({ id: chat.id, request: { from: alice.uid, to: bob.uid, state: "pending" } });
    await bob.client.rest.acceptRequest({ chatId: chat.id });
    expect(await seen("request.removed")).toEqual({ type: "request.removed", chatId: chat.id });
    expect((await seen("chat.added")).chat).toMatchObject({ id: chat.id, request: null });
    subscriptions.forEach((unsubscribe) => unsubscribe());
  });
});
