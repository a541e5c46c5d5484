import { describe, expect, it } from "vitest";
import { DeliveryReporter, messageStatus } from "../../client/src/delivery.js";
import type { ChatView } from "../../client/src/views.js";
import { toChatViewOfDoc } from "../../functions/src/chats/views.js";
import type { ChatDoc, TimestampLike } from "../../functions/src/shared/docs.js";

const at: TimestampLike = { toDate: () => new Date("2026-12-06T10:00:00.000Z") };

/** A 1:1 chat of ann and ben with `messageCount` messages, the newest from `from`. */
function chatDoc(messageCount: number, from: string, positions: Pick<ChatDoc, "lastRead" | "delivered"> = {}): ChatDoc {
  return {
    type: "direct",
    members: ["ann", "ben"],
    messageCount,
    lastMessage: { number: messageCount, from, type: "text", preview: "hi" },
    lastMessageAt: at,
    started: true,
    status: "active",
    createdAt: at,
    updatedAt: at,
    ...positions,
  };
}

const viewFor = (viewer: string, doc: ChatDoc): ChatView => toChatViewOfDoc("ann_ben", doc, viewer);

describe("delivered and seen (client/src/delivery.ts)", () => {
  it("when the other member's positions pass a message, then it reads sent, delivered, then seen; others' messages have no status", () => {
    const doc = chatDoc(3, "ann", { lastRead: { ann: 3, ben: 1 }, delivered: { ben: 2 } });
    const view = viewFor("ann", doc);
    const own = (number: number) => messageStatus(view, { from: "ann", number }, "ann");

    expect([own(1), own(2), own(3)]).toEqual(["seen", "delivered", "sent"]);
    expect(messageStatus(view, { from: "ben", number: 1 }, "ann")).toBeNull();
    expect(messageStatus({ ...view, type: "room" }, { from: "ann", number: 1 }, "ann")).toBeNull();
  });

  it("when the viewer's read receipts are off, then their chat view shows no delivered of the other's, so their messages stay sent", () => {
    const doc = chatDoc(2, "ann", { lastRead: { ann: 2, ben: 2 }, delivered: { ann: 2, ben: 2 } });
    const off = toChatViewOfDoc("ann_ben", doc, "ann", { settings: { readReceipts: false } });

    expect(off.delivered).toEqual({ ann: 2 });
    expect(messageStatus(off, { from: "ann", number: 1 }, "ann")).toBe("sent");
  });

  it("when a chat's messages from others arrive in a burst, then one report is in flight at a time, for the newest number", async () => {
    const reports: [string, number][] = [];
    const pending: (() => void)[] = [];
    const reporter = new DeliveryReporter((chatId, upTo) => {
      reports.push([chatId, upTo]);
      return new Promise<void>((resolve) => pending.push(resolve));
    });
    for (const count of [1, 2, 3]) reporter.saw([viewFor("ann", chatDoc(count, "ben"))], "ann");
    expect(reports).toEqual([["ann_ben", 1]]);

    pending.shift()?.();
    await Promise.resolve();
    await Promise.resolve();
    expect(reports).toEqual([
      ["ann_ben", 1],
      ["ann_ben", 3],
    ]);
    pending.shift()?.();
    await Promise.resolve();
    reporter.saw([viewFor("ann", chatDoc(3, "ben"))], "ann");
    expect(reports).toHaveLength(2);
  });

  it("when the newest message is the user's own, or already delivered or read, then nothing is reported", () => {
    const reports: number[] = [];
    const reporter = new DeliveryReporter((_, upTo) => {
      reports.push(upTo);
      return Promise.resolve();
    });
    reporter.saw([viewFor("ann", chatDoc(4, "ann"))], "ann");
    reporter.saw([viewFor("ann", chatDoc(4, "ben", { delivered: { ann: 4 }, lastRead: { ann: 1 } }))], "ann");
    reporter.saw([viewFor("ann", chatDoc(5, "ben", { lastRead: { ann: 5 } }))], "ann");

    expect(reports).toEqual([]);
  });
});
