import { describe, expect, expectTypeOf, it, vi } from "vitest";
import {
  chatChanges,
  EventHub,
  follow,
  messageChanges,
  notificationChanges,
  requestChanges,
  sameData,
  typingChanges,
  type EventSourceName,
  type ParleyEvent,
} from "../../client/src/events.js";
import type {
  ChatEventName,
  ChatEventOptions,
  ChatView,
  EventSubscription,
  MessageView,
  ParleyClient,
  ParleyEventMap,
  UserEventName,
} from "../../client/src/index.js";

// The client's event vocabulary: what each change between two watcher states is called, and how
// handlers share the watchers behind them. The watchers themselves run against the emulators
// (test/client/events.test.ts).

const message = (number: number, change: Partial<MessageView> = {}) =>
  ({ number, text: `m${number}`, deleted: false, reactions: {}, myReactions: [], ...change }) as MessageView;
const chat = (id: string, change: Partial<ChatView> = {}) => ({ id, unreadCount: 0, lastRead: {}, ...change }) as ChatView;

describe("the client's events", () => {
  it("when a chat's messages change, then new, updated, deleted and removed messages are named once each", () => {
    const before = [message(1), message(2), message(3), message(4, { reactions: { "👍": 1 } })];
    const after = [
      message(1),
      message(2, { text: "m2 (edited)" }),
      message(3, { deleted: true, text: "" }),
      message(4, { reactions: { "👍": 1 } }),
      message(5),
    ];
    expect(messageChanges("c", before, after)).toEqual([
      { type: "message.updated", chatId: "c", message: after[1] },
      { type: "message.deleted", chatId: "c", message: after[2] },
      { type: "message.new", chatId: "c", message: after[4] },
    ]);
    expect(messageChanges("c", after, after.slice(1))).toEqual([{ type: "message.removed", chatId: "c", number: 1 }]);
  });

  it("when who is typing changes, then typing.start and typing.stop name the members", () => {
    expect(typingChanges("c", ["a", "b"], ["b", "c"])).toEqual([
      { type: "typing.start", chatId: "c", uid: "c" },
      { type: "typing.stop", chatId: "c", uid: "a" },
    ]);
  });

  it("when the chat list or the requests change, then added, updated and removed chats are named by their list", () => {
    const before = [chat("a"), chat("b", { lastRead: { u: 1, v: 2 } }), chat("c")];
    const after = [chat("b", { lastRead: { v: 2, u: 1 } }), chat("c", { unreadCount: 1 }), chat("d")];
    expect(chatChanges(before, after)).toEqual([
      { type: "chat.added", chat: after[2] },
      { type: "chat.updated", chat: after[1] },
      { type: "chat.removed", chatId: "a" },
    ]);
    expect(requestChanges(before, after).map((event) => event.type)).toEqual([
      "request.new",
      "request.updated",
      "request.removed",
    ]);
  });

  it("when the external event doc changes, then only a new last event is a notification", () => {
    const at = (number: number | null) => ({
      notifyNewMessage: true,
      lastEvent: number === null ? null : { chatId: "c", number, at: "2026-01-01T00:00:00.000Z" },
      unreadTotal: number ?? 0,
    });
    expect(notificationChanges(at(null), at(1))).toEqual([{ type: "notification.new", event: at(1) }]);
    expect(notificationChanges(at(1), { ...at(1), notifyNewMessage: false })).toEqual([]);
    expect(notificationChanges(at(1), at(null))).toEqual([]);
    expect(sameData({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
  });

  it("when a watcher reports states, then follow() takes the first as the baseline and emits the changes after it", () => {
    let report: (uids: string[]) => void = () => undefined;
    const emitted: ParleyEvent[] = [];
    let ready = false;
    follow<string[]>(
      (onChange) => ((report = onChange), () => undefined),
      (before, after) => typingChanges("c", before, after),
      { emit: (event) => emitted.push(event), onReady: () => (ready = true) },
    );
    expect(ready).toBe(false);
    report(["a"]);
    expect(emitted).toEqual([]);
    expect(ready).toBe(true);
    report(["a", "b"]);
    expect(emitted).toEqual([{ type: "typing.start", chatId: "c", uid: "b" }]);
  });

  it("when handlers subscribe, then those of one source share its watcher and its readiness, and it stops with the last of them", async () => {
    const started: string[] = [];
    const stopped: string[] = [];
    const emitters = new Map<string, (event: ParleyEvent) => void>();
    const readies: (() => void)[] = [];
    const hub = new EventHub((source: EventSourceName, chatId, { emit, onReady }) => {
      started.push(`${source}/${chatId}`);
      emitters.set(`${source}/${chatId}`, emit);
      readies.push(onReady);
      return () => stopped.push(`${source}/${chatId}`);
    });
    const added = vi.fn();
    const news = vi.fn();
    const offNew = hub.on("message.new", news, { chatId: "c" });
    const offUpdated = hub.on("message.updated", () => undefined, { chatId: "c" });
    const offOther = hub.on("message.new", () => undefined, { chatId: "d" });
    const offAdded = hub.on("chat.added", added);
    expect(started).toEqual(["messages/c", "messages/d", "chats/"]);
    let ready = false;
    void Promise.all([offNew.ready, offUpdated.ready]).then(() => (ready = true));
    readies[1]();
    await Promise.resolve();
    expect(ready).toBe(false);
    readies[0]();
    await expect(offUpdated.ready).resolves.toBeUndefined();
    await Promise.resolve();
    expect(ready).toBe(true);

    emitters.get("messages/c")?.({ type: "message.new", chatId: "c", message: message(1) });
    expect(news).toHaveBeenCalledOnce();
    expect(added).not.toHaveBeenCalled();
    offNew();
    expect(stopped).toEqual([]);
    offUpdated();
    offOther();
    offAdded();
    expect(stopped).toEqual(["messages/c", "messages/d", "chats/"]);
    expect(() => hub.on("typing.start", () => undefined)).toThrow(/chatId/);
  });

  it("when a source's listener fails, then its handlers' onError hear it, and the next handler starts it afresh", () => {
    const fails: ((error: Error) => void)[] = [];
    const hub = new EventHub((_source, _chatId, { onError }) => (fails.push(onError), () => undefined));
    const onError = vi.fn();
    hub.on("chat.updated", () => undefined, { onError });
    hub.on("chat.removed", () => undefined, { onError });
    fails[0](new Error("permission-denied"));
    expect(onError).toHaveBeenCalledTimes(2);
    hub.on("chat.added", () => undefined);
    expect(fails).toHaveLength(2);
  });

  it("types each handler's event by its name, and asks a chat's events for the chat", () => {
    const subscribe = (on: ParleyClient["on"]) => [
      on("message.new", (event) => expectTypeOf(event.message).toEqualTypeOf<MessageView>(), { chatId: "c" }),
      on("chat.updated", (event) => expectTypeOf(event.chat).toEqualTypeOf<ChatView>()),
      on("typing.stop", (event) => expectTypeOf(event.uid).toBeString(), { chatId: "c" }),
    ];
    expectTypeOf(subscribe).returns.toEqualTypeOf<EventSubscription[]>();
    expectTypeOf<ParleyEventMap["message.new"]["message"]>().toEqualTypeOf<MessageView>();
    expectTypeOf<"message.deleted" | "typing.start">().toExtend<ChatEventName>();
    expectTypeOf<"chat.added" | "request.new" | "notification.new">().toExtend<UserEventName>();
    expectTypeOf<ChatEventOptions["chatId"]>().toBeString();
  });
});
