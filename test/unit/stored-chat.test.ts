import { describe, expect, it } from "vitest";
import { chatOfStored, type StoredChatDoc, type TimestampLike } from "../../functions/src/shared/docs.js";

const at = (iso: string): TimestampLike => ({ toDate: () => new Date(iso) });
const created = at("2026-11-01T10:00:00.000Z");
const updated = at("2026-11-02T10:00:00.000Z");
const completed = at("2026-11-03T10:00:00.000Z");

/** A 1:1 chat as stored, with `fields` over it. */
const stored = (fields: Partial<StoredChatDoc>): StoredChatDoc => ({
  type: "direct",
  members: ["ann", "ben"],
  messageCount: 2,
  lastMessage: null,
  lastMessageAt: null,
  started: true,
  createdAt: created,
  updatedAt: updated,
  ...fields,
});

describe("chatOfStored: one name for an ended chat, whatever wrote the doc", () => {
  it("when a chat is stored as today, then it reads as stored", () => {
    expect(chatOfStored(stored({ status: "active" }))).toEqual(stored({ status: "active" }));
    expect(chatOfStored(stored({ status: "ended", endedAt: completed }))).toEqual(
      stored({ status: "ended", endedAt: completed }),
    );
  });

  it("when an older version completed it, then it reads as ended at its completedAt, without active or completedAt", () => {
    const chat = chatOfStored(stored({ status: "completed", completedAt: completed, active: false }));
    expect(chat).toEqual(stored({ status: "ended", endedAt: completed }));
    expect(chat).not.toHaveProperty("active");
    expect(chat).not.toHaveProperty("completedAt");
  });

  it("when the oldest shape says only active: false, then it reads as ended at its last update", () => {
    expect(chatOfStored(stored({ active: false }))).toEqual(stored({ status: "ended", endedAt: updated }));
  });

  it("when an older chat has no status, or active: true with status active, then it reads as active", () => {
    expect(chatOfStored(stored({}))).toEqual(stored({ status: "active" }));
    expect(chatOfStored(stored({ active: true, status: "active" }))).toEqual(stored({ status: "active" }));
  });

  it("when today's code ended a chat that still carries active: true, then it reads as ended", () => {
    expect(chatOfStored(stored({ active: true, status: "ended", endedAt: completed }))).toEqual(
      stored({ status: "ended", endedAt: completed }),
    );
  });
});
