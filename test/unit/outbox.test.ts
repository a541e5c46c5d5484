import { describe, expect, it } from "vitest";
import { missingRanges } from "../../client/src/gaps.js";
import { Outbox, type OutboxStorage, type OutgoingMessage } from "../../client/src/outbox.js";
import { ParleyError } from "../../client/src/errors.js";
import type { MessageView } from "../../functions/src/messages/views.js";

/** A transport whose network is switched by the test, and whose server keeps one message per clientMessageId. */
function fakeServer() {
  let online = true;
  let back: (() => void) | undefined;
  const stored = new Map<string, number>();
  const attempts: string[] = [];
  let refuse: ParleyError | undefined;
  const transport = {
    online: () => online,
    onOnline: (callback: () => void) => {
      back = callback;
      return () => undefined;
    },
    send: async (message: OutgoingMessage): Promise<MessageView> => {
      attempts.push(message.text);
      await Promise.resolve();
      if (!online) throw new TypeError("fetch failed");
      if (refuse) throw refuse;
      if (!stored.has(message.clientMessageId)) stored.set(message.clientMessageId, stored.size + 1);
      return { number: stored.get(message.clientMessageId) } as MessageView;
    },
  };
  return {
    transport,
    stored,
    attempts,
    goOffline: () => (online = false),
    goOnline: () => {
      online = true;
      back?.();
    },
    refuseWith: (error: ParleyError | undefined) => (refuse = error),
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 10));

function memoryStorage(): OutboxStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

describe("the client's outbox (optimistic sends)", () => {
  it("when sending, then the message is pending at once and sent after the server answers, in order", async () => {
    const server = fakeServer();
    const outbox = new Outbox(server.transport);
    const first = outbox.send("c1", { text: "one" });
    outbox.send("c1", { text: "two" });

    expect(first.status).toBe("pending");
    await settled();
    expect(outbox.of("c1").map((m) => [m.text, m.status, m.number])).toEqual([
      ["one", "sent", 1],
      ["two", "sent", 2],
    ]);
    outbox.close();
  });

  it("when offline, then sends wait, and go out once each, in order, when the device is back", async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const outbox = new Outbox(server.transport, storage, "box");
    server.goOffline();
    outbox.send("c1", { text: "a" });
    outbox.send("c1", { text: "b" });
    await settled();

    expect(outbox.of("c1").map((m) => m.status)).toEqual(["pending", "pending"]);
    expect(JSON.parse(storage.data.get("box") ?? "[]")).toHaveLength(2);
    server.goOnline();
    await settled();
    expect(outbox.of("c1").map((m) => [m.text, m.status])).toEqual([
      ["a", "sent"],
      ["b", "sent"],
    ]);
    expect(server.stored.size).toBe(2);
    outbox.close();
  });

  it("when the server refuses, then the message fails; a retry reuses its clientMessageId and the server keeps one copy", async () => {
    const server = fakeServer();
    const outbox = new Outbox(server.transport);
    server.refuseWith(new ParleyError("failed-precondition", "This chat no longer accepts messages.", 409));
    const message = outbox.send("c1", { text: "late" });
    await settled();
    expect(outbox.of("c1")[0]).toMatchObject({ status: "failed", error: "This chat no longer accepts messages." });

    server.refuseWith(undefined);
    outbox.retry(message.clientMessageId);
    outbox.retry(message.clientMessageId);
    await settled();
    expect(outbox.of("c1")[0]).toMatchObject({ status: "sent", clientMessageId: message.clientMessageId });
    expect(server.stored.size).toBe(1);
    outbox.close();
  });

  it("when a reload finds a saved queue, then it resumes it; settled messages leave the outbox", async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    server.goOffline();
    const before = new Outbox(server.transport, storage, "box");
    const saved = before.send("c1", { text: "survives a reload" });
    before.close();
    server.goOnline();

    const after = new Outbox(server.transport, storage, "box");
    await settled();
    expect(after.of("c1")).toMatchObject([{ clientMessageId: saved.clientMessageId, status: "sent" }]);
    after.settle("c1", [{ clientMessageId: saved.clientMessageId } as MessageView]);
    expect(after.of("c1")).toEqual([]);
    after.close();
  });
});

describe("gap repair (missingRanges)", () => {
  it("when numbers are missing between the oldest shown and the newest seen, then each hole is named once", () => {
    expect(missingRanges([5, 6, 9, 10, 14], 5)).toEqual([
      [7, 8],
      [11, 13],
    ]);
    expect(missingRanges([3, 4], 1)).toEqual([[1, 2]]);
    expect(missingRanges([1, 2, 3], 1)).toEqual([]);
    expect(missingRanges([], 1)).toEqual([]);
  });

  it("when the outbox is cleared (its user signed out), then nothing more is sent, even back online, and the saved queue is gone", async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    server.goOffline();
    const box = new Outbox(server.transport, storage, "parley-outbox-alice");
    box.send("chat-1", { text: "from Alice" });
    box.send("chat-1", { text: "also from Alice" });
    await settled();
    expect(JSON.parse(storage.data.get("parley-outbox-alice") ?? "[]")).toHaveLength(2);

    box.clear();
    server.goOnline();
    await settled();

    expect(server.stored.size).toBe(0);
    expect(box.of("chat-1")).toEqual([]);
    expect(storage.data.get("parley-outbox-alice")).toBe("[]");
  });
});
