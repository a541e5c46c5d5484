import { describe, expect, it } from "vitest";
import { toChatViewOfDoc, toExternalEventView } from "../../functions/src/chats/views.js";
import { toMessageViewOfDoc } from "../../functions/src/messages/views.js";
import type { ChatDoc, MemberDoc, MessageDoc, TimestampLike } from "../../functions/src/shared/docs.js";
import { messagePreview } from "../../functions/src/timeline/preview.js";

/** A timestamp as either SDK has it: all the mappers need is `toDate()`. */
const at = (iso: string): TimestampLike => ({ toDate: () => new Date(iso) });

const direct: ChatDoc = {
  type: "direct",
  members: ["ann", "ben"],
  messageCount: 3,
  lastMessage: { number: 3, from: "ben", type: "text", preview: "hi" },
  lastMessageAt: at("2026-11-30T10:00:00.000Z"),
  unread: { ann: 2 },
  lastRead: { ann: 1, ben: 3 },
  started: true,
  status: "active",
  createdAt: at("2026-11-29T10:00:00.000Z"),
  updatedAt: at("2026-11-30T10:00:00.000Z"),
  mutedUntil: { ben: null },
};

const room: ChatDoc = {
  type: "room",
  title: "Walks",
  host: "ann",
  inviteCode: "code",
  memberCount: 2_000,
  messageCount: 30,
  lastMessage: { number: 30, from: "ben", type: "text", preview: "hi" },
  lastMessageAt: at("2026-11-30T10:00:00.000Z"),
  started: true,
  status: "active",
  createdAt: at("2026-11-29T10:00:00.000Z"),
  updatedAt: at("2026-11-30T10:00:00.000Z"),
};
const member = (uid: string, lastRead: number, mute?: { mutedUntil: TimestampLike | null }): MemberDoc => ({
  uid,
  chatId: "r1",
  role: uid === "ann" ? "host" : "member",
  joinedAt: at("2026-11-29T10:00:00.000Z"),
  lastRead,
  ...mute,
});

describe("the doc → view mappers the server and the client share", () => {
  it("when a 1:1 chat is seen by each member, then each gets their own unread count and mute state, and times as ISO strings", () => {
    const forAnn = toChatViewOfDoc("ann_ben", direct, "ann");
    const forBen = toChatViewOfDoc("ann_ben", direct, "ben");

    expect(forAnn).toMatchObject({ unreadCount: 2, muted: false, mutedUntil: null, status: "active", export: null });
    expect(forAnn).toMatchObject({ members: ["ann", "ben"], memberCount: 2, lastRead: { ann: 1, ben: 3 } });
    expect(forAnn.lastMessageAt).toBe("2026-11-30T10:00:00.000Z");
    expect(forBen).toMatchObject({ unreadCount: 0, muted: true, mutedUntil: null });
  });

  it("when a room is seen by a member, then unread is the message count past their read position, and no member list comes with it", () => {
    const forAnn = toChatViewOfDoc("r1", room, "ann", { member: member("ann", 28) });
    const forBen = toChatViewOfDoc("r1", room, "ben", {
      member: member("ben", 30, { mutedUntil: at("2026-12-01T00:00:00.000Z") }),
    });

    expect(forAnn).toMatchObject({ unreadCount: 2, lastRead: { ann: 28 }, muted: false, members: [], memberCount: 2_000 });
    expect(forBen).toMatchObject({
      unreadCount: 0,
      muted: true,
      mutedUntil: "2026-12-01T00:00:00.000Z",
      title: "Walks",
      host: "ann",
    });
  });

  it("when a 1:1 member's mute and reads are private, then their view takes them from their settings, and the chat doc shows no one else", () => {
    const mutedPrivately = { direct: { ann_ben: { mutedUntil: at("2026-12-09T00:00:00.000Z"), readUpTo: 3, readOffset: 2 } } };
    const shared: ChatDoc = { ...direct, unread: { ann: 4 }, lastRead: { ben: 3 }, mutedUntil: undefined };

    // Ann read privately up to 3 (2 of the 4 counted), and 2 more came since.
    expect(toChatViewOfDoc("ann_ben", shared, "ann", { settings: mutedPrivately })).toMatchObject({
      unreadCount: 2,
      lastRead: { ann: 3, ben: 3 },
      muted: true,
      mutedUntil: "2026-12-09T00:00:00.000Z",
    });
    // Ben sees no "seen" of Ann's, and no mute of hers.
    const forBen = toChatViewOfDoc("ann_ben", shared, "ben", { settings: undefined });
    expect(forBen.lastRead).toEqual({ ben: 3 });
    expect(forBen.muted).toBe(false);
  });

  it("when the viewer's read receipts are off, then their view shows their own read position and not the other member's", () => {
    const off = { readReceipts: false };

    expect(toChatViewOfDoc("ann_ben", direct, "ann", { settings: off }).lastRead).toEqual({ ann: 1 });
    expect(toChatViewOfDoc("ann_ben", direct, "ann", { settings: { readReceipts: true } }).lastRead).toEqual({ ann: 1, ben: 3 });
  });

  it("when a 1:1 mute is in the settings, then it wins over a mute an older version left on the chat doc", () => {
    const until = { direct: { ann_ben: { mutedUntil: at("2026-12-24T00:00:00.000Z") } } };

    expect(toChatViewOfDoc("ann_ben", direct, "ben")).toMatchObject({ muted: true, mutedUntil: null });
    expect(toChatViewOfDoc("ann_ben", direct, "ben", { settings: until })).toMatchObject({
      muted: true,
      mutedUntil: "2026-12-24T00:00:00.000Z",
    });
  });

  it("when a chat doc lacks the per-member maps (a listener's partial doc), then the view still has them, empty", () => {
    const partial = { ...direct, unread: undefined, lastRead: undefined } as unknown as ChatDoc;

    expect(toChatViewOfDoc("ann_ben", partial, "ann")).toMatchObject({ unreadCount: 0, lastRead: {} });
    expect(toChatViewOfDoc("r1", room, "ann")).toMatchObject({ unreadCount: 0, lastRead: {} });
  });

  it("when a file message is mapped, then the view has API download paths and never the Storage path", () => {
    const message: MessageDoc = {
      number: 7,
      from: "ann",
      type: "image",
      text: "",
      clientMessageId: null,
      createdAt: at("2026-11-30T10:00:00.000Z"),
      file: {
        path: "chats/c1/u1/p.png",
        name: "p.png",
        contentType: "image/png",
        size: 10,
        sha256: "ab",
        width: 4,
        height: 2,
        thumbnail: { path: "chats/c1/u1/thumbnail/320.png", contentType: "image/png", width: 4, height: 2, size: 5 },
      },
    };

    const view = toMessageViewOfDoc("c1", "0000000007", message);

    expect(view.file).toEqual({
      name: "p.png",
      contentType: "image/png",
      size: 10,
      sha256: "ab",
      width: 4,
      height: 2,
      downloadPath: "/v1/chats/c1/messages/7/file",
      thumbnail: { downloadPath: "/v1/chats/c1/messages/7/thumbnail", contentType: "image/png", width: 4, height: 2, size: 5 },
    });
    expect(JSON.stringify(view)).not.toContain("chats/c1/u1");
    expect(view).toMatchObject({ deleted: false, editedAt: null, reference: null, event: null });
  });

  it("when the external-event doc is missing or set, then the view says nothing new or where it happened, and the badge", () => {
    expect(toExternalEventView(undefined)).toEqual({ notifyNewMessage: false, lastEvent: null, unreadTotal: 0 });
    expect(
      toExternalEventView({
        notifyNewMessage: true,
        lastEvent: { chatId: "c1", number: 2, at: at("2026-11-30T10:00:00.000Z") },
        unreadTotal: 7,
      }),
    ).toEqual({ notifyNewMessage: true, lastEvent: { chatId: "c1", number: 2, at: "2026-11-30T10:00:00.000Z" }, unreadTotal: 7 });
  });

  it("when a preview is cut, then it keeps 100 characters without splitting an emoji, and names photos and files", () => {
    expect(Array.from(messagePreview({ type: "text", text: "😀".repeat(150) }))).toHaveLength(100);
    expect(messagePreview({ type: "image", text: "  " })).toBe("Photo");
    expect(messagePreview({ type: "file", text: "", file: { name: "a.pdf" } as MessageDoc["file"] })).toBe("a.pdf");
  });
});
