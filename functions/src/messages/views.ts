import { z } from "zod";
import { messageReference, messageType, systemEvent } from "../shared/doc-schemas.js";
import { type FileDoc, type MessageDoc, type SnapshotLike } from "../shared/docs.js";
import { iso } from "../shared/time.js";

/**
 * A message's file as the API returns it: no Cloud Storage location, only the API paths
 * (relative to the API's base URL, e.g. `/v1/chats/{chatId}/messages/{number}/file`) that
 * stream it to members. `size` is in bytes, `width`/`height` in pixels (images only).
 */
export const fileView = z.object({
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  downloadPath: z.string(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  thumbnail: z
    .object({
      downloadPath: z.string(),
      contentType: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      size: z.number().int(),
    })
    .optional(),
});
export type FileView = z.infer<typeof fileView>;

/** A message as the API returns it. `createdAt` and `editedAt` are ISO 8601 UTC. */
export const messageView = z.object({
  id: z.string(),
  chatId: z.string(),
  number: z.number().int(),
  from: z.string().nullable(),
  type: messageType,
  text: z.string(),
  clientMessageId: z.string().nullable(),
  createdAt: z.string().nullable(),
  /** A file or image message's file; `null` for other messages and once deleted. */
  file: fileView.nullable(),
  /** A reply's quoted message, or where a forward came from; `null` otherwise. */
  reference: messageReference.nullable(),
  /** A system message's event; `null` otherwise. */
  event: systemEvent.nullable(),
  editedAt: z.string().nullable(),
  /** Deleted for everyone: text and file are gone. */
  deleted: z.boolean(),
  /** The members the message mentions. */
  mentions: z.array(z.string()),
  /** emoji -> how many members reacted with it (emoji nobody uses any more are left out). */
  reactions: z.record(z.string(), z.number().int()),
  /** The emoji the caller reacted with, in the order they were added. */
  myReactions: z.array(z.string()),
});
export type MessageView = z.infer<typeof messageView>;

/** A snapshot (either SDK's) of `chats/{chatId}/messages/{id}` as {@link MessageView}. */
export function toMessageViewOfSnap(snap: SnapshotLike, myReactions: string[] = []): MessageView {
  return toMessageViewOfDoc(snap.ref.parent.parent?.id ?? "", snap.id, snap.data() as MessageDoc, myReactions);
}

/**
 * A message doc (either SDK's) of chat `chatId` as {@link MessageView}; `myReactions` are the
 * caller's emoji on it (from `chats/{chatId}/reactions`, see `myReactionsOf`).
 */
export function toMessageViewOfDoc(chatId: string, id: string, message: MessageDoc, myReactions: string[] = []): MessageView {
  return {
    id,
    chatId,
    number: message.number,
    from: message.from,
    type: message.type,
    text: message.text,
    clientMessageId: message.clientMessageId ?? null,
    createdAt: iso(message.createdAt),
    file: message.file ? toFileView(`/v1/chats/${chatId}/messages/${message.number}`, message.file) : null,
    reference: message.reference ?? null,
    event: message.event ?? null,
    editedAt: iso(message.editedAt ?? null),
    deleted: message.deleted ?? false,
    mentions: message.mentions ?? [],
    reactions: message.deleted ? {} : reactionCounts(message.reactions),
    myReactions: message.deleted ? [] : myReactions,
  };
}

/** The counts above zero: a count drops to 0, not out of the map, when its last member takes it back. */
export function reactionCounts(reactions: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(reactions ?? {}).filter(([, count]) => count > 0));
}

function toFileView(messagePath: string, file: FileDoc): FileView {
  const { name, contentType, size, sha256, width, height, thumbnail } = file;
  return {
    name,
    contentType,
    size,
    sha256,
    downloadPath: `${messagePath}/file`,
    ...(width === undefined ? {} : { width, height }),
    ...(thumbnail && {
      thumbnail: {
        downloadPath: `${messagePath}/thumbnail`,
        contentType: thumbnail.contentType,
        width: thumbnail.width,
        height: thumbnail.height,
        size: thumbnail.size,
      },
    }),
  };
}

/**
 * A slice of a chat's messages in ascending number order (a search's: newest first). `hasMore`:
 * more messages exist beyond this slice, older ones (latest/`before`, searches) or newer ones
 * (`after`).
 */
export const messagePage = z.object({
  messages: z.array(messageView),
  hasMore: z.boolean(),
  /** Searches only (`q`): pass it as `before` for the next page; `null` when nothing is left. */
  nextBefore: z.number().int().nullable().optional(),
});
export type MessagePage = z.infer<typeof messagePage>;

/** The caller's read state in a chat after marking. */
export const readState = z.object({ chatId: z.string(), lastRead: z.number().int(), unreadCount: z.number().int() });
export type ReadState = z.infer<typeof readState>;

/**
 * Who read a message: `readCount` members other than its sender have read up to it or past it;
 * `readers` lists them by uid with their read position, or is `null` in rooms larger than
 * `RECEIPTS_MAX_MEMBERS` (then only the count is given).
 */
export const receipts = z.object({
  chatId: z.string(),
  number: z.number().int(),
  readCount: z.number().int(),
  readers: z.array(z.object({ uid: z.string(), lastRead: z.number().int() })).nullable(),
});
export type Receipts = z.infer<typeof receipts>;

/** A chat's pinned message numbers after a pin or unpin, oldest pin first. */
export const pinnedMessages = z.object({ chatId: z.string(), pinned: z.array(z.number().int()) });
export type PinnedMessages = z.infer<typeof pinnedMessages>;

/** "Deleted for me": the caller no longer lists message `number` of `chatId`. */
export const hiddenMessage = z.object({ chatId: z.string(), number: z.number().int(), hidden: z.literal(true) });
export type HiddenMessage = z.infer<typeof hiddenMessage>;
