import { z } from "zod";
import { lastMessage } from "../shared/doc-schemas.js";
import {
  directMuteOf,
  isArchived,
  receiptsOff,
  type ChatDoc,
  type ExternalEventDoc,
  type MemberDoc,
  type SnapshotLike,
  type UserSettingsDoc,
} from "../shared/docs.js";
import { iso } from "../shared/time.js";

/** A chat as the API returns it to one of its members (`viewer`). Times are ISO 8601 UTC. */
export const chatView = z
  .object({
    id: z.string().meta({ description: "The chat's id: `<lower uid>_<higher uid>` for a 1:1 chat, an auto id for a room" }),
    type: z.enum(["direct", "room"]).meta({ description: "`direct`: a 1:1 chat; `room`: a room joined by invite" }),
    members: z
      .array(z.string())
      .meta({ description: "A 1:1 chat's two members; empty for a room (list those with `GET /v1/rooms/{chatId}/members`)" }),
    memberCount: z.number().int().meta({ description: "How many members the chat has" }),
    messageCount: z.number().int().meta({ description: "How many messages it holds: the newest message's number" }),
    lastMessage: lastMessage.nullable().meta({ description: "The newest message, in short; `null` before the first" }),
    lastMessageAt: z.string().nullable().meta({ description: "When the newest message was sent; `null` before the first" }),
    unreadCount: z.number().int().meta({ description: "Messages from others the viewer has not read" }),
    unreadMentionCount: z.number().int().meta({ description: "Of those, the messages that mention the viewer" }),
    threadsWithNewReplies: z.number().int().meta({
      description: "Threads the viewer takes part in with replies they have not read (replies are not in `unreadCount`)",
    }),
    lastRead: z.record(z.string(), z.number().int()).meta({
      description:
        'uid -> highest message number that member has read: the viewer, and in a 1:1 chat the other member\'s "seen" ' +
        "while the viewer's read receipts are on; in a room the viewer only",
    }),
    delivered: z.record(z.string(), z.number().int()).meta({
      description:
        "uid -> highest message number delivered to that member (reported by their devices, or read): the viewer, and in a " +
        "1:1 chat the other member's while both members' read receipts are on; in a room the viewer only",
    }),
    started: z.boolean().meta({ description: "The chat holds a message" }),
    createdAt: z.string().nullable().meta({ description: "When the chat was created" }),
    updatedAt: z
      .string()
      .nullable()
      .meta({ description: "When the chat was created or last got a message (system messages included)" }),
    muted: z.boolean().meta({ description: "The viewer has muted push notifications of this chat (see `mutedUntil`)" }),
    mutedUntil: z
      .string()
      .nullable()
      .meta({ description: "End of the viewer's mute; `null` when not muted or muted until unmuted" }),
    title: z.string().nullable().meta({ description: "A room's title; `null` for a 1:1 chat" }),
    host: z.string().nullable().meta({ description: "A room's host (uid); `null` for a 1:1 chat" }),
    inviteCode: z.string().nullable().meta({ description: "A room's current invite code; `null` for a 1:1 chat" }),
    pinned: z.array(z.number().int()).meta({ description: "Pinned message numbers, oldest pin first (at most 10)" }),
    linkPreviews: z.boolean().meta({
      description:
        "Text messages get link previews (`PUT /v1/chats/{chatId}/link-previews`; a room's host, either member of a 1:1 chat)",
    }),
    pinnedAt: z
      .string()
      .nullable()
      .meta({
        description:
          "When the viewer pinned this chat to the top of their chat list (`POST /v1/chats/{chatId}/pin`); `null`: not pinned. " +
          "Not to be confused with `pinned`, the chat's pinned messages",
      }),
    archived: z.boolean().meta({
      description:
        "The viewer archived this chat (`POST /v1/chats/{chatId}/archive`): it leaves their chat list until a message " +
        "arrives while they have not muted it",
    }),
    status: z
      .enum(["active", "ended"])
      .meta({ description: "`active` accepts messages; `ended` once a member (a room's host) ended it: read-only for good" }),
    endedAt: z.string().nullable().meta({ description: "When the chat ended; `null` while active" }),
    request: z
      .object({
        from: z.string().meta({ description: "Who opened the chat (uid)" }),
        to: z.string().meta({ description: "Whom it was sent to (uid): the one who may accept or decline it" }),
        state: z.enum(["pending", "declined"]).meta({ description: "`pending` until the recipient answers; `declined` after" }),
      })
      .nullable()
      .meta({
        description:
          "1:1 chats: while the chat is a message request, who sent it to whom and whether the recipient declined it " +
          "(see `POST /v1/chats/{chatId}/accept`); `null` for any other chat",
      }),
    export: z
      .object({
        rows: z.number().int().meta({ description: "Messages in the CSV" }),
        bytes: z.number().int().meta({ description: "The CSV's size in bytes" }),
        createdAt: z.string().nullable().meta({ description: "When the export was written" }),
        downloadPath: z.string().meta({ description: "Where to download it, relative to the API's base URL" }),
      })
      .nullable()
      .meta({ description: "The ended chat's CSV history, once written: download it from `downloadPath`; `null` before" }),
  })
  .meta({ id: "Chat", description: "A chat as one of its members sees it. Times are ISO 8601 UTC." });
export type ChatView = z.infer<typeof chatView>;

/**
 * What of a chat only its viewer reads: in a room their member doc; in a 1:1 chat their
 * `user-settings/{uid}` (their mute and private read state of the chat, and whether they see
 * read receipts). Left out, a 1:1 chat shows the chat doc's public state only.
 */
export interface ViewerState {
  member?: MemberDoc;
  settings?: UserSettingsDoc;
}

/** `chats/{chatId}` as {@link ChatView} for member `viewer` ({@link toChatViewOfDoc}). */
export function toChatViewOfSnap(snap: SnapshotLike<ChatDoc>, viewer: string, own: ViewerState = {}): ChatView {
  return toChatViewOfDoc(snap.id, snap.data(), viewer, own);
}

/**
 * A chat doc (either SDK's) as {@link ChatView} for member `viewer`. In a room the viewer's state
 * comes from their member doc: unread is `messageCount - lastRead`. In a 1:1 chat it comes from
 * the chat doc and the viewer's private state: their mute, and while their reads are private,
 * their read position and `unread - readOffset`. `lastRead` shows the other member's "seen"
 * only while the viewer's own read receipts are on.
 */
export function toChatViewOfDoc(id: string, chat: ChatDoc, viewer: string, own: ViewerState = {}): ChatView {
  const room = chat.type === "room";
  const { member, settings } = own;
  const mutedUntil = room ? member?.mutedUntil : directMuteOf(chat, id, viewer, settings);
  const direct = room ? undefined : directReadOf(id, chat, viewer, settings);
  const lastRead = room ? (member ? { [viewer]: member.lastRead } : {}) : (direct?.lastRead ?? {});
  const delivered = room
    ? member
      ? { [viewer]: Math.max(member.deliveredUpTo ?? 0, member.lastRead) }
      : {}
    : deliveredOf(chat, lastRead);
  const unreadCount = room ? Math.max(0, chat.messageCount - (member?.lastRead ?? chat.messageCount)) : (direct?.unread ?? 0);
  return {
    id,
    type: chat.type,
    members: room ? [] : (chat.members ?? []),
    memberCount: room ? (chat.memberCount ?? 0) : (chat.members ?? []).length,
    messageCount: chat.messageCount,
    lastMessage: chat.lastMessage,
    lastMessageAt: iso(chat.lastMessageAt),
    unreadCount,
    unreadMentionCount: unreadMentions(room ? member?.mentioned : chat.mentioned?.[viewer], lastRead[viewer] ?? 0),
    threadsWithNewReplies: Math.max(0, (room ? member?.threadsUnread : chat.threadsUnread?.[viewer]) ?? 0),
    lastRead,
    delivered,
    started: chat.started,
    createdAt: iso(chat.createdAt),
    updatedAt: iso(chat.updatedAt),
    // A mute is a key that is present: its value is the end, or `null` for "until unmuted".
    muted: mutedUntil !== undefined,
    mutedUntil: iso(mutedUntil ?? null),
    title: chat.title ?? null,
    host: chat.host ?? null,
    inviteCode: chat.inviteCode ?? null,
    pinned: chat.pinned ?? [],
    linkPreviews: chat.linkPreviewsOff !== true,
    ...placementOf(chat, room ? member : settings?.direct?.[id], mutedUntil),
    status: chat.status,
    endedAt: iso(chat.endedAt),
    request: chat.request ? { from: chat.request.from, to: chat.request.to, state: chat.request.state } : null,
    export: chat.export
      ? {
          rows: chat.export.rows,
          bytes: chat.export.bytes,
          createdAt: iso(chat.export.createdAt),
          downloadPath: `/v1/chats/${id}/export`,
        }
      : null,
  };
}

/**
 * The viewer's read state of 1:1 chat `chat`: their unread count and the read positions they see
 * (their own, and the other member's "seen" while their own read receipts are on).
 */
function directReadOf(id: string, chat: ChatDoc, viewer: string, settings: UserSettingsDoc | undefined) {
  const own = settings?.direct?.[id];
  const readUpTo = Math.max(own?.readUpTo ?? 0, chat.lastRead?.[viewer] ?? 0);
  const seen = receiptsOff(settings) ? {} : (chat.lastRead ?? {});
  return {
    lastRead: { ...seen, [viewer]: readUpTo },
    unread: Math.max(0, (chat.unread?.[viewer] ?? 0) - (own?.readOffset ?? 0)),
  };
}

/**
 * The delivered positions of a 1:1 chat for the members in `lastRead` (the read positions the
 * viewer sees): each member's reported one (`delivered.{uid}`) or their read one, whichever is
 * further. A member shown no one's "seen" is shown no one's "delivered" either.
 */
function deliveredOf(chat: ChatDoc, lastRead: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(lastRead).map(([uid, read]) => [uid, Math.max(chat.delivered?.[uid] ?? 0, read)]));
}

/**
 * Where the viewer keeps the chat in their chat list, from their own state of it (`own`: their
 * member doc of a room, their `user-settings/{uid}.direct.{chatId}` of a 1:1 chat) and their mute.
 */
function placementOf(
  chat: ChatDoc,
  own: Pick<MemberDoc, "pinnedAt" | "archivedAt"> | undefined,
  mutedUntil: MemberDoc["mutedUntil"],
): Pick<ChatView, "pinnedAt" | "archived"> {
  return { pinnedAt: iso(own?.pinnedAt ?? null), archived: isArchived(own?.archivedAt, chat.lastMessageAt, mutedUntil) };
}

/** The mentions after read position `lastRead`. */
function unreadMentions(mentioned: number[] | undefined, lastRead: number): number {
  return (mentioned ?? []).filter((number) => number > lastRead).length;
}

/** A member's mute state of one chat. `mutedUntil` is ISO 8601 UTC, `null` for "until unmuted". */
export const muteState = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    muted: z.boolean().meta({ description: "The caller has muted its push notifications" }),
    mutedUntil: z
      .string()
      .nullable()
      .meta({ description: "End of the mute (ISO 8601 UTC); `null` when not muted or muted until unmuted" }),
  })
  .meta({ id: "MuteState", description: "The caller's mute of one chat" });
export type MuteState = z.infer<typeof muteState>;

/** The caller's "something new" doc (`users-external-event/{uid}`); `at` is ISO 8601 UTC. */
export const externalEventView = z
  .object({
    notifyNewMessage: z.boolean().meta({ description: "A message arrived since the user last marked a chat read" }),
    lastEvent: z
      .object({
        chatId: z.string().meta({ description: "The chat of the newest message" }),
        number: z.number().int().meta({ description: "Its number" }),
        at: z.string().nullable().meta({ description: "When it was sent" }),
      })
      .nullable()
      .meta({ description: "The newest message for the user; `null` before any" }),
    unreadTotal: z.number().int().min(0).meta({
      description:
        "The app badge: unread messages and thread replies across the user's chats, leaving out muted chats and muted or blocked senders",
    }),
  })
  .meta({ description: 'The caller\'s "something new" doc (`users-external-event/{uid}`)' });
export type ExternalEventView = z.infer<typeof externalEventView>;

/** A `users-external-event/{uid}` doc (either SDK's) as {@link ExternalEventView}. */
export function toExternalEventView(event: ExternalEventDoc | undefined): ExternalEventView {
  const last = event?.lastEvent;
  return {
    notifyNewMessage: event?.notifyNewMessage ?? false,
    lastEvent: last ? { chatId: last.chatId, number: last.number, at: iso(last.at) } : null,
    unreadTotal: event?.unreadTotal ?? 0,
  };
}
