import { z } from "zod";
import { messageReference, messageType, systemEvent } from "../shared/doc-schemas.js";
import {
  type FileDoc,
  type LinkPreviewDoc,
  type MessageDoc,
  type MessageEditDoc,
  type PollDoc,
  type SnapshotLike,
} from "../shared/docs.js";
import { iso } from "../shared/time.js";

/**
 * A message's file as the API returns it: no Cloud Storage location, only the API paths
 * (relative to the API's base URL, e.g. `/v1/chats/{chatId}/messages/{number}/file`) that
 * stream it to members. `size` is in bytes, `width`/`height` in pixels (images only),
 * `durationMs` in milliseconds and `waveform` 64 amplitudes 0-255 (voice messages only).
 */
export const fileView = z
  .object({
    name: z.string().meta({ description: "The file's name as uploaded (made safe)" }),
    contentType: z
      .string()
      .meta({ description: "Its media type: detected from its bytes, else the one sent (never `image/*` then)" }),
    size: z.number().int().meta({ description: "Its size in bytes" }),
    sha256: z.string().meta({ description: "SHA-256 of its bytes, hex" }),
    downloadPath: z.string().meta({ description: "Where members download it, relative to the API's base URL" }),
    durationMs: z
      .number()
      .int()
      .optional()
      .meta({ description: "Voice messages: how long the audio lasts, in milliseconds (read from its bytes)" }),
    waveform: z
      .array(z.number().int())
      .optional()
      .meta({ description: "Voice messages: 64 amplitudes 0-255 over the recording, when the sender's app sent them" }),
    width: z.number().int().optional().meta({ description: "Images: width in pixels" }),
    height: z.number().int().optional().meta({ description: "Images: height in pixels" }),
    thumbnail: z
      .object({
        downloadPath: z.string().meta({ description: "Where members download it, relative to the API's base URL" }),
        contentType: z.string().meta({ description: "`image/jpeg` or `image/png`" }),
        width: z.number().int().meta({ description: "Width in pixels (at most 320)" }),
        height: z.number().int().meta({ description: "Height in pixels (at most 320)" }),
        size: z.number().int().meta({ description: "Size in bytes" }),
      })
      .optional()
      .meta({ description: "Images: a thumbnail" }),
  })
  .meta({ description: "A message's file: no Cloud Storage location, only the API paths that stream it to members" });
export type FileView = z.infer<typeof fileView>;

/**
 * A message's link preview as the API returns it: the texts a page gave of itself and, when it
 * had an image, the API path of our copy of it (never the third party's URL).
 */
export const linkPreviewView = z
  .object({
    url: z.string().meta({ description: "The URL of the text the preview is of: its first http(s) URL" }),
    title: z.string().meta({ description: 'The page\'s title (Open Graph, Twitter card or `<title>`); `""` for none' }),
    description: z.string().meta({ description: 'The page\'s description; `""` for none' }),
    siteName: z.string().meta({ description: 'The site\'s name; `""` for none' }),
    image: z
      .object({
        downloadPath: z.string().meta({ description: "Where members download it, relative to the API's base URL" }),
        contentType: z.string().meta({ description: "`image/jpeg` or `image/png`" }),
        width: z.number().int().meta({ description: "Width in pixels (at most 320)" }),
        height: z.number().int().meta({ description: "Height in pixels (at most 320)" }),
      })
      .nullable()
      .meta({ description: "Our copy of the page's image (longest side at most 320 px); `null` for none" }),
  })
  .meta({ id: "LinkPreview", description: "A link preview: a page's title, description, site name and image" });
export type LinkPreviewView = z.infer<typeof linkPreviewView>;

/**
 * A poll as members see it: each option's text and votes, the caller's votes (`myVotes`, option
 * indexes) and, unless anonymous, who voted for each option (`voters`) while the poll is small
 * enough for the message to list them exactly.
 */
export const pollView = z
  .object({
    question: z.string().meta({ description: "The question" }),
    options: z
      .array(
        z.object({
          text: z.string().meta({ description: "The option's text" }),
          votes: z.number().int().meta({ description: "How many members voted for it" }),
        }),
      )
      .meta({ description: "The options, in order; votes name them by index from 0" }),
    multiple: z.boolean().meta({ description: "Members may vote for several options (else one: a new vote moves it)" }),
    anonymous: z.boolean().meta({ description: "No one sees who voted for what" }),
    closed: z.boolean().meta({ description: "Its sender closed it: no more votes" }),
    voterCount: z.number().int().meta({ description: "How many members voted (for at least one option)" }),
    myVotes: z.array(z.number().int()).meta({ description: "The options the caller voted for (indexes, ascending)" }),
    voters: z.array(z.array(z.string())).nullable().meta({
      description:
        "Per option, the uids of its voters; `null` for anonymous polls and once an option had 50 votes or more (counts stay exact)",
    }),
  })
  .meta({ description: "A poll: its options with their votes, and the caller's votes" });
export type PollView = z.infer<typeof pollView>;

/** What a thread's parent message shows of its thread. */
export const threadSummaryView = z
  .object({
    replyCount: z.number().int().meta({ description: "How many replies the thread has" }),
    lastReplyAt: z.string().nullable().meta({ description: "When the latest reply was sent" }),
    repliers: z.array(z.string()).meta({ description: "The first members who replied (uids, at most 3)" }),
  })
  .meta({ description: "A thread on a message: its reply count, latest reply and first repliers" });

/** A message as the API returns it. `createdAt` and `editedAt` are ISO 8601 UTC. */
export const messageView = z
  .object({
    id: z.string().meta({ description: "The message's doc id: its number, zero-padded to 10 digits" }),
    chatId: z.string().meta({ description: "Its chat" }),
    number: z.number().int().meta({ description: "Its number in the chat: 1, 2, 3..., gapless" }),
    from: z.string().nullable().meta({ description: "The sender's uid; `null` for a system message" }),
    type: messageType.meta({
      description:
        "`text`, `file`, `image`, `voice` (audio; see `file.durationMs`), `poll` (see `poll`), or `system` (a chat event, see `event`)",
    }),
    text: z.string().meta({ description: "The text, a file's caption, or a poll's question; `\"\"` for none and once deleted" }),
    clientMessageId: z
      .string()
      .nullable()
      .meta({ description: "The sender's id for the send (retries); `null` when none was given" }),
    createdAt: z.string().nullable().meta({ description: "When it was sent" }),
    file: fileView.nullable().meta({ description: "A file or image message's file; `null` for other messages and once deleted" }),
    reference: messageReference
      .nullable()
      .meta({ description: "A reply's quoted message, or where a forward came from; `null` otherwise" }),
    event: systemEvent.nullable().meta({ description: "A system message's event; `null` otherwise" }),
    editedAt: z.string().nullable().meta({ description: "When it was last edited; `null` if never" }),
    editCount: z
      .number()
      .int()
      .meta({ description: "How many times it was edited (its history: `GET .../edits`); 0 if never, and once deleted" }),
    deleted: z.boolean().meta({ description: "Deleted for everyone: text and file are gone" }),
    mentions: z.array(z.string()).meta({ description: "The members the message mentions (uids)" }),
    reactions: z
      .record(z.string(), z.number().int())
      .meta({ description: "emoji -> how many members reacted with it (emoji nobody uses any more are left out)" }),
    myReactions: z.array(z.string()).meta({ description: "The emoji the caller reacted with, in the order they were added" }),
    poll: pollView.nullable().meta({ description: "A poll message's poll; `null` for other messages and once deleted" }),
    threadOf: z.number().int().nullable().meta({
      description:
        "A thread reply (then `number` is its number in the thread), or a reply also shown in the chat: its thread's parent message; `null` otherwise",
    }),
    thread: threadSummaryView
      .nullable()
      .meta({ description: "A thread's parent: its replies so far (kept once the parent is deleted); `null` without replies" }),
    linkPreview: linkPreviewView.nullable().meta({
      description:
        "A text message's link preview, arriving shortly after the send (listeners see it); `null` for none, once removed and once deleted",
    }),
  })
  .meta({ id: "Message", description: "A message as members see it. Times are ISO 8601 UTC." });
export type MessageView = z.infer<typeof messageView>;

/** The caller's own state on a message: their emoji and, on a poll, their votes. */
export interface MineOnMessage {
  /** Their emoji, oldest first (from `chats/{chatId}/reactions`, see `myReactionsOf`). */
  myReactions?: string[];
  /** Their votes, option indexes (from `chats/{chatId}/votes/{uid}_{messageId}`). */
  myVotes?: number[];
}

/** A snapshot (either SDK's) of `chats/{chatId}/messages/{id}` as {@link MessageView}. */
export function toMessageViewOfSnap(snap: SnapshotLike<MessageDoc>, mine: MineOnMessage = {}): MessageView {
  return toMessageViewOfDoc(snap.ref.parent.parent?.id ?? "", snap.id, snap.data(), mine);
}

/**
 * A message doc (either SDK's) of chat `chatId` as {@link MessageView}, with the caller's own
 * emoji and votes on it (`mine`; none when left out).
 */
export function toMessageViewOfDoc(chatId: string, id: string, message: MessageDoc, mine: MineOnMessage = {}): MessageView {
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
    editCount: message.deleted ? 0 : (message.editCount ?? 0),
    deleted: message.deleted ?? false,
    mentions: message.mentions ?? [],
    reactions: message.deleted ? {} : reactionCounts(message.reactions),
    myReactions: message.deleted ? [] : (mine.myReactions ?? []),
    poll: message.poll && !message.deleted ? toPollView(message.poll, mine.myVotes ?? []) : null,
    threadOf: message.threadOf ?? null,
    thread: message.thread
      ? { replyCount: message.thread.replyCount, lastReplyAt: iso(message.thread.lastReplyAt), repliers: message.thread.repliers }
      : null,
    linkPreview:
      message.linkPreview && !message.deleted
        ? toLinkPreviewView(`/v1/chats/${chatId}/messages/${message.number}`, message.linkPreview)
        : null,
  };
}

function toLinkPreviewView(messagePath: string, preview: LinkPreviewDoc): LinkPreviewView {
  const { url, title, description, siteName, image } = preview;
  return {
    url,
    title,
    description,
    siteName,
    image: image
      ? { downloadPath: `${messagePath}/preview/image`, contentType: image.contentType, width: image.width, height: image.height }
      : null,
  };
}

/**
 * A poll doc as {@link PollView}: counts below zero (never expected) read as 0; `voters` only
 * when not anonymous and every option's list is as long as its count (then it is exact).
 */
export function toPollView(poll: PollDoc, myVotes: number[]): PollView {
  const votes = poll.options.map((_, i) => Math.max(0, poll.votes[String(i)] ?? 0));
  const lists = poll.options.map((_, i) => poll.voters?.[String(i)] ?? []);
  const exact = !poll.anonymous && lists.every((list, i) => list.length === votes[i]);
  return {
    question: poll.question,
    options: poll.options.map((text, i) => ({ text, votes: votes[i] })),
    multiple: poll.multiple,
    anonymous: poll.anonymous,
    closed: poll.closed,
    voterCount: Math.max(0, poll.voterCount),
    myVotes: [...myVotes].sort((a, b) => a - b),
    voters: exact ? lists : null,
  };
}

/** The counts above zero: a count drops to 0, not out of the map, when its last member takes it back. */
export function reactionCounts(reactions: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(reactions ?? {}).filter(([, count]) => count > 0));
}

function toFileView(messagePath: string, file: FileDoc): FileView {
  const { name, contentType, size, sha256, width, height, thumbnail, durationMs, waveform } = file;
  return {
    name,
    contentType,
    size,
    sha256,
    downloadPath: `${messagePath}/file`,
    ...(durationMs !== undefined && { durationMs }),
    ...(waveform && { waveform }),
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
export const messagePage = z
  .object({
    messages: z.array(messageView).meta({ description: "The messages, in number order (a search's: newest first)" }),
    hasMore: z.boolean().meta({ description: "More messages exist beyond this slice: older ones, or newer ones for `after`" }),
    nextBefore: z
      .number()
      .int()
      .nullable()
      .optional()
      .meta({ description: "Searches only (`q`): pass it as `before` for the next page; `null` when nothing is left" }),
  })
  .meta({ id: "MessagePage", description: "A slice of a chat's messages" });
export type MessagePage = z.infer<typeof messagePage>;

/** A slice of a thread's replies, with its parent message. */
export const threadPage = z
  .object({
    parent: messageView.meta({ description: "The thread's parent message (a tombstone once deleted)" }),
    replies: z.array(messageView).meta({ description: "The replies, in reply-number order" }),
    hasMore: z.boolean().meta({ description: "More replies exist beyond this slice: older ones, or newer ones for `after`" }),
    unreadCount: z
      .number()
      .int()
      .meta({ description: "Replies the caller has not read, when they take part in the thread (else 0)" }),
  })
  .meta({ id: "ThreadPage", description: "A slice of a thread's replies" });
export type ThreadPage = z.infer<typeof threadPage>;

/** The caller's read state in a thread after marking. */
export const threadReadState = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    threadOf: z.number().int().meta({ description: "The thread's parent message" }),
    lastRead: z.number().int().meta({ description: "The caller's read position in the thread: the highest reply number read" }),
    threadsWithNewReplies: z
      .number()
      .int()
      .meta({ description: "The caller's threads in this chat that still have replies they have not read" }),
  })
  .meta({ id: "ThreadReadState", description: "The caller's read state in a thread" });
export type ThreadReadState = z.infer<typeof threadReadState>;

/** The caller's read state in a chat after marking. */
export const readState = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    lastRead: z.number().int().meta({ description: "The caller's read position: the highest message number read" }),
    unreadCount: z.number().int().meta({ description: "Messages from others still unread" }),
  })
  .meta({ id: "ReadState", description: "The caller's read state in a chat" });
export type ReadState = z.infer<typeof readState>;

/**
 * How far the caller's messages arrived in a chat after a report: the greater of their reported
 * position and their read position (a read counts as delivered).
 */
export const deliveredState = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    deliveredUpTo: z
      .number()
      .int()
      .meta({ description: "The highest message number delivered to the caller (read ones count as delivered)" }),
  })
  .meta({ id: "DeliveredState", description: "How far messages arrived for the caller in a chat" });
export type DeliveredState = z.infer<typeof deliveredState>;

/**
 * Who read a message: `readCount` members other than its sender have read up to it or past it;
 * `readers` lists them by uid with their read position, or is `null` in rooms larger than
 * `RECEIPTS_MAX_MEMBERS` (then only the count is given). `deliveredCount` and `deliveredTo` say
 * the same of those who have it delivered (readers included).
 */
export const receipts = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    number: z.number().int().meta({ description: "The message" }),
    readCount: z.number().int().meta({ description: "How many members other than the sender read up to it or past it" }),
    readers: z
      .array(
        z.object({
          uid: z.string().meta({ description: "A reader" }),
          lastRead: z.number().int().meta({ description: "Their read position" }),
        }),
      )
      .nullable()
      .meta({
        description: "Who they are, leaving out those with read receipts off; `null` in rooms over `RECEIPTS_MAX_MEMBERS`",
      }),
    deliveredCount: z.number().int().meta({
      description: "How many members other than the sender have it delivered: their devices reported it, or they read it",
    }),
    deliveredTo: z.array(z.string()).nullable().meta({
      description:
        "Who they are (uids, readers included), leaving out those with read receipts off; `null` in rooms over `RECEIPTS_MAX_MEMBERS`",
    }),
  })
  .meta({ id: "Receipts", description: "Who read a message, and who has it delivered" });
export type Receipts = z.infer<typeof receipts>;

/** A chat's pinned message numbers after a pin or unpin, oldest pin first. */
export const pinnedMessages = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    pinned: z.array(z.number().int()).meta({ description: "Its pinned message numbers, oldest pin first (at most 10)" }),
  })
  .meta({ id: "PinnedMessages", description: "A chat's pins" });
export type PinnedMessages = z.infer<typeof pinnedMessages>;

/** "Deleted for me": the caller no longer lists message `number` of `chatId`. */
export const hiddenMessage = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    number: z.number().int().meta({ description: "The message the caller no longer lists" }),
    hidden: z.literal(true).meta({ description: "Always `true`" }),
  })
  .meta({ id: "HiddenMessage", description: "A message deleted for the caller only" });
export type HiddenMessage = z.infer<typeof hiddenMessage>;

/** One earlier text of a message: version `version` (1 = as sent), replaced at `editedAt` (ISO 8601 UTC). */
export const messageEditView = z
  .object({
    version: z.number().int().meta({ description: "Which version of the text it was: 1 as sent, 2 after the first edit, ..." }),
    text: z.string().meta({ description: "The text it had" }),
    editedAt: z.string().meta({ description: "When an edit replaced it (ISO 8601 UTC)" }),
  })
  .meta({ id: "MessageEdit", description: "An earlier text of a message, replaced by an edit" });
export type MessageEditView = z.infer<typeof messageEditView>;

/** A message's edit history: the texts its edits replaced, newest first. */
export const messageEditsView = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    number: z.number().int().meta({ description: "The message" }),
    editCount: z.number().int().meta({ description: "How many times it was edited (0 once deleted: its history went with it)" }),
    edits: z
      .array(messageEditView)
      .meta({ description: "The texts its edits replaced, newest first (the last edit's first; version 1 is the text as sent)" }),
  })
  .meta({ id: "MessageEdits", description: "A message's edit history, newest first" });
export type MessageEditsView = z.infer<typeof messageEditsView>;

/** Message `message` of chat `chatId` and its history docs (either SDK's) as {@link MessageEditsView}, newest first. */
export function toMessageEditsView(chatId: string, message: MessageDoc, edits: MessageEditDoc[]): MessageEditsView {
  return {
    chatId,
    number: message.number,
    editCount: message.deleted ? 0 : (message.editCount ?? 0),
    edits: [...edits]
      .sort((a, b) => b.version - a.version)
      .map(({ version, text, editedAt }) => ({ version, text, editedAt: editedAt.toDate().toISOString() })),
  };
}
