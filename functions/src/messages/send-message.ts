import { createHash } from "node:crypto";
import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { memberRefOf, readAsMember, requireCanSend, requireMember } from "../timeline/chat-access.js";
import { screenMessage, type BeforeSend, type BeforeSendRequest } from "./before-send.js";
import { AppError } from "../shared/errors.js";
import { existing, exists, isDirectChatId, refs, type FileDoc, type MessageDoc, type MessageReference } from "../shared/model.js";
import { appendMessage } from "../timeline/append-message.js";
import { toMessageViewOfSnap, toMessageViewOfDoc, type MessageView } from "./views.js";
import { DELETED_PREVIEW, messagePreview } from "../timeline/preview.js";
import { searchWords } from "./search-words.js";
import type { Rate } from "../shared/token-bucket.js";
import { cleanDisplayText } from "../shared/display-text.js";
import type { PollDoc } from "../shared/model.js";
import type { PollInput } from "./schemas.js";

/** The outcome of a send. */
export interface SendResult {
  message: MessageView;
  /** `false` when a retry with the same `clientMessageId` found the message it had sent. */
  created: boolean;
  /** Commits tried, 1 when no other send competed for the number. */
  attempts: number;
}

/**
 * What a sender sends: a text, a file or image (whose objects are already complete in Cloud
 * Storage) with an optional caption in `text`, or a poll (`text` is ignored: the message's text
 * is the poll's question). `replyTo` quotes a message of the same chat; `forwardedFrom` is set
 * by a forward.
 */
export type MessageDraft = {
  text: string;
  clientMessageId?: string;
  replyTo?: number;
  /** Members to mention (uids, each once); each must be a member of the chat. */
  mentions?: string[];
  forwardedFrom?: MessageReference;
  /** The sender's send limit in this chat (`SEND_RATE_LIMIT`); absent for none. */
  sendRate?: Rate;
  /** Messages the opener of a message request may send (`REQUEST_MESSAGE_LIMIT`); default 3. */
  requestLimit?: number;
  /** A thread reply also shown in the channel: its thread's parent (the message's `threadOf`). */
  shownFromThread?: number;
} & ({ type: "text" } | { type: "file" | "image" | "voice"; file: FileDoc } | { type: "poll"; poll: PollInput });

/** What {@link sendMessage} sends, from whom, to which chat, and when. */
export interface SendMessageOptions {
  /** The request's time; a message is never dated before the one it follows. */
  now: Date;
  /** The sender: a member of the chat. */
  senderUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The message, and the sender's limits in this chat. */
  draft: MessageDraft;
  /** The before-send hooks (`BEFORE_SEND_HOOK_URL`, `PROFANITY_FILTER`); absent: none, and no extra read. */
  beforeSend?: BeforeSend;
}

/**
 * Sends a message from `senderUid` to chat `chatId`, through the append primitive
 * ({@link appendMessage}: numbered, and committed together with the other sends to the chat
 * that arrive meanwhile). A retry with a `clientMessageId` that already produced a message
 * answers that message with `created: false` and writes nothing.
 *
 * The message keeps its text's search `words`, and its `mentions`: a mentioned member's unread
 * mentions grow by it (see {@link appendMessage}). A poll ({@link newPoll}) is created with its
 * `chats/{chatId}/open-polls/{messageId}` doc (one more write).
 * Reads `chats/{chatId}` (with its `client-messages/{key}`, the quoted message of a reply and, in
 * a room, the sender's and each mentioned member's member doc);
 * writes as {@link appendMessage}, plus `chats/{chatId}/client-messages/{key}`.
 * With `beforeSend`, the draft is first screened ({@link screenDraft}: one more read, then the
 * hooks), before anything is written.
 * @throws AppError `not-found` (no chat, or not a member), `permission-denied` (a 1:1 chat where
 *   a member blocks the other), `failed-precondition` (chat not active), `invalid-argument` (`replyTo` names no message, a
 *   mention names no member),
 *   `aborted` (no number won, see {@link appendMessage}), `resource-exhausted` (over
 *   `draft.sendRate` in this chat; a retry that finds its message is never refused),
 *   `failed-precondition` (the opener of a message request past `draft.requestLimit`, or
 *   after it was declined), and with `beforeSend` as {@link screenDraft}.
 */
export async function sendMessage(db: Firestore, options: SendMessageOptions): Promise<SendResult> {
  const { now, senderUid, chatId } = options;
  const draft = options.beforeSend ? await screenDraft(db, options, options.beforeSend) : options.draft;
  const keyRef =
    draft.clientMessageId === undefined
      ? undefined
      : refs.clientMessage(db, chatId, clientMessageKey(senderUid, draft.clientMessageId));
  const quotedRef = draft.replyTo === undefined ? undefined : refs.message(db, chatId, draft.replyTo);
  const memberRef = memberRefOf(db, chatId, senderUid);
  const mentions = draft.mentions ?? [];
  // In a room, each mentioned member's doc says whether they are a member.
  const mentionRefs = isDirectChatId(chatId) ? [] : mentions.map((uid) => refs.member(db, chatId, uid));
  const text = draft.type === "poll" ? cleanDisplayText(draft.poll.question) : draft.text;
  const words = searchWords(text);
  const outcome = await appendMessage(db, chatId, {
    now,
    reads: [keyRef, quotedRef, memberRef, ...mentionRefs],
    sendRate: draft.sendRate,
    requestLimit: draft.requestLimit,
    prepare: (chatSnap, [keySnap, quotedSnap, memberSnap, ...mentionSnaps]) => {
      if (keySnap && exists(keySnap)) {
        requireMember(chatSnap, senderUid, memberSnap);
        return { existing: keySnap.data().number };
      }
      const chat = requireCanSend(chatSnap, senderUid, memberSnap);
      const strangers = mentions.filter((uid, i) =>
        chat.type === "room" ? !mentionSnaps[i]?.exists : !(chat.members ?? []).includes(uid),
      );
      if (strangers.length > 0) {
        throw new AppError("invalid-argument", `mentions: ${strangers.join(", ")} is not a member of this chat`);
      }
      const reference = quotedSnap ? replyReference(chatId, draft.replyTo, quotedSnap) : draft.forwardedFrom;
      const content = {
        type: draft.type,
        text,
        ...("file" in draft && { file: draft.file }),
        ...(draft.type === "poll" && { poll: newPoll(draft.poll) }),
        ...(reference && { reference }),
        ...(mentions.length > 0 && { mentions }),
        ...(words.length > 0 && { words }),
        ...(draft.shownFromThread !== undefined && { threadOf: draft.shownFromThread }),
      };
      return { from: senderUid, content, keyRef, clientMessageId: draft.clientMessageId };
    },
  });
  if (outcome === null) throw new Error("A send always appends or finds its message.");
  if ("existing" in outcome) {
    const snap = await refs.message(db, chatId, outcome.existing).get();
    return { message: toMessageViewOfSnap(existing(snap)), created: false, attempts: outcome.attempts };
  }
  const { id, message, attempts } = outcome.appended;
  return { message: toMessageViewOfDoc(chatId, id, message), created: true, attempts };
}

/**
 * The draft of `options` as the before-send hooks let it through ({@link screenMessage}),
 * before anything is written. First one `getAll` of `chats/{chatId}`, the sender's member doc
 * (rooms) and the idempotency key: a retry whose key exists goes through unasked (the send
 * answers the message it stored), and a sender who may not send is refused before any hook
 * hears of the message.
 * @throws AppError `not-found`, `permission-denied`, `failed-precondition` (as
 *   {@link requireCanSend}), and as {@link screenMessage}: `permission-denied` (rejected),
 *   `unavailable` (a hook that fails closed failed).
 */
export async function screenDraft(db: Firestore, options: SendMessageOptions, beforeSend: BeforeSend): Promise<MessageDraft> {
  const { now, senderUid, chatId, draft } = options;
  const keyRef =
    draft.clientMessageId === undefined
      ? undefined
      : refs.clientMessage(db, chatId, clientMessageKey(senderUid, draft.clientMessageId));
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, senderUid, ...(keyRef ? [keyRef] : []));
  if (more[0]?.exists) return draft;
  requireCanSend(chatSnap, senderUid, memberSnap);
  const screened = await screenMessage(beforeSend, beforeSendRequestOf(options), now);
  if (draft.type !== "poll") return { ...draft, text: screened.text };
  return { ...draft, poll: { ...draft.poll, question: screened.text, options: screened.pollOptions ?? draft.poll.options } };
}

/** What the hooks are asked about a new message. */
function beforeSendRequestOf({ senderUid, chatId, draft }: SendMessageOptions): BeforeSendRequest {
  const { file } = "file" in draft ? draft : { file: undefined };
  return {
    kind: "new",
    chatId,
    from: senderUid,
    type: draft.type,
    text: draft.type === "poll" ? draft.poll.question : draft.text,
    ...(draft.shownFromThread !== undefined && { threadOf: draft.shownFromThread }),
    ...(draft.mentions && draft.mentions.length > 0 && { mentions: draft.mentions }),
    ...(file && { file: { name: file.name, contentType: file.contentType, size: file.size } }),
    ...(draft.type === "poll" && { pollOptions: draft.poll.options }),
    ...(draft.forwardedFrom && { forwardedFrom: { chatId: draft.forwardedFrom.chatId, number: draft.forwardedFrom.number } }),
  };
}

/**
 * A new poll's doc: question and options cleaned as display names are, no votes yet (every
 * option's count at 0, so votes only `increment`).
 */
export function newPoll(poll: PollInput): PollDoc {
  const options = poll.options.map((option) => cleanDisplayText(option));
  return {
    question: cleanDisplayText(poll.question),
    options,
    multiple: poll.multiple ?? false,
    anonymous: poll.anonymous ?? false,
    closed: false,
    votes: Object.fromEntries(options.map((_, i) => [String(i), 0])),
    voterCount: 0,
  };
}

/** The quote a reply keeps of message `quoted`. */
function replyReference(chatId: string, number: number | undefined, quoted: DocumentSnapshot<MessageDoc>): MessageReference {
  if (!exists(quoted)) throw new AppError("invalid-argument", `replyTo: message ${number} does not exist in this chat`);
  const message = quoted.data();
  return {
    type: "reply",
    chatId,
    number: message.number,
    from: message.from,
    messageType: message.type,
    preview: message.deleted ? DELETED_PREVIEW : messagePreview(message),
    ...(message.deleted && { deleted: true }),
  };
}

/**
 * Doc id of the idempotency key `chats/{chatId}/client-messages/{key}` of `senderUid`'s
 * `clientMessageId` (sends and thread replies alike): a hash, so any `clientMessageId` is a safe doc id.
 */
export function clientMessageKey(senderUid: string, clientMessageId: string): string {
  return createHash("sha256").update(`${senderUid}\n${clientMessageId}`).digest("hex");
}
