import { createHash } from "node:crypto";
import { FieldPath, FieldValue, Firestore, Timestamp, type DocumentSnapshot } from "firebase-admin/firestore";
import { requireCanSend, requireMember } from "../chats/chat-access.js";
import { AppError, isAlreadyExists } from "../shared/errors.js";
import {
  refs,
  type ClientMessageKeyDoc,
  type ExternalEventDoc,
  type FileDoc,
  type MessageDoc,
} from "../shared/model.js";
import { KeyedQueue } from "./keyed-queue.js";
import { messageView, toMessageView, type MessageView } from "./message-view.js";

/** How often one send tries to claim a number before it gives up with `aborted`. */
export const SEND_MAX_ATTEMPTS = 100;
/** Characters of text kept in `lastMessage.preview`. */
export const PREVIEW_LENGTH = 100;

/** The outcome of a send. */
export interface SendResult {
  message: MessageView;
  /** `false` when a retry with the same `clientMessageId` found the message it had sent. */
  created: boolean;
  /** Commits tried, 1 when no other send competed for the number. */
  attempts: number;
}

/**
 * What a sender sends: a text message, or a file or image (whose object is already complete in
 * Cloud Storage) with an optional caption in `text`.
 */
export type MessageDraft =
  | { type: "text"; text: string; clientMessageId?: string }
  | { type: "file" | "image"; text: string; clientMessageId?: string; file: FileDoc };

const sendsPerChat = new KeyedQueue();

/**
 * Sends a message from `senderUid` to chat `chatId`.
 *
 * Numbering without a read-modify-write transaction: read the chat's `messageCount` (n), then
 * commit one batch that `create`s `messages/{n+1}` (its doc id is the number), the idempotency
 * key, the chat update and each recipient's `users-external-event/{uid}`. `create` fails with
 * ALREADY_EXISTS when another send took n+1 first; then nothing was written and we re-read and
 * retry. The count and the message are written together, so a count of n means messages 1..n
 * exist and n+1 does not: numbers are gapless and unique, and commits land in number order.
 * Sends to one chat are also serialised inside this instance to avoid needless conflicts.
 *
 * Reads `chats/{chatId}` (and its `client-messages/{key}`); writes `chats/{chatId}`,
 * `chats/{chatId}/messages/{number}`, `chats/{chatId}/client-messages/{key}`,
 * `users-external-event/{recipient}`.
 * @throws AppError `not-found` (no chat), `permission-denied` (not a member),
 *   `failed-precondition` (chat not active), `aborted` (no number won in
 *   {@link SEND_MAX_ATTEMPTS} tries).
 */
export function sendMessage(
  db: Firestore,
  now: Date,
  senderUid: string,
  chatId: string,
  draft: MessageDraft,
): Promise<SendResult> {
  return sendsPerChat.run(chatId, () => sendWithRetry(db, now, senderUid, chatId, draft));
}

async function sendWithRetry(
  db: Firestore,
  now: Date,
  senderUid: string,
  chatId: string,
  draft: MessageDraft,
): Promise<SendResult> {
  const chatRef = refs.chat(db, chatId);
  const keyRef =
    draft.clientMessageId === undefined
      ? undefined
      : refs.clientMessage(db, chatId, clientMessageKey(senderUid, draft.clientMessageId));

  for (let attempt = 1; attempt <= SEND_MAX_ATTEMPTS; attempt++) {
    const [chatSnap, keySnap] = keyRef ? await db.getAll(chatRef, keyRef) : [await chatRef.get()];
    if (keySnap?.exists) {
      requireMember(chatSnap, senderUid);
      return previouslySent(db, chatId, keySnap, attempt);
    }
    const chat = requireCanSend(chatSnap, senderUid);

    const number = chat.messageCount + 1;
    // Never earlier than the message before it, so createdAt grows with the number.
    const at = Timestamp.fromMillis(Math.max(now.getTime(), chat.lastMessageAt?.toMillis() ?? 0));
    const message: MessageDoc = {
      number,
      from: senderUid,
      type: draft.type,
      text: draft.text,
      clientMessageId: draft.clientMessageId ?? null,
      createdAt: at,
      ...(draft.type === "text" ? {} : { file: draft.file }),
    };
    const recipients = chat.members.filter((uid) => uid !== senderUid);

    const batch = db.batch();
    const messageRef = refs.message(db, chatId, number);
    batch.create(messageRef, message);
    if (keyRef) batch.create(keyRef, { number, createdAt: at } satisfies ClientMessageKeyDoc);
    batch.update(
      chatRef,
      // Safe to set rather than increment: the create above only succeeds while the count is n.
      "messageCount", number,
      "lastMessage", { number, from: senderUid, type: message.type, preview: preview(draft) },
      "lastMessageAt", at,
      "started", true,
      "updatedAt", at,
      ...recipients.flatMap((uid) => [new FieldPath("unread", uid), FieldValue.increment(1)]),
    );
    for (const uid of recipients) {
      const event: ExternalEventDoc = { notifyNewMessage: true, lastEvent: { chatId, number, at } };
      batch.set(refs.externalEvent(db, uid), event, { merge: true });
    }
    try {
      await batch.commit();
      return { message: messageView(chatId, messageRef.id, message), created: true, attempts: attempt };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      await backoff(attempt);
    }
  }
  throw new AppError("aborted", "Too many messages are being sent to this chat at once; retry the send.");
}

/** The message an earlier send with the same `clientMessageId` created. */
async function previouslySent(
  db: Firestore,
  chatId: string,
  keySnap: DocumentSnapshot,
  attempts: number,
): Promise<SendResult> {
  const { number } = keySnap.data() as ClientMessageKeyDoc;
  const snap = await refs.message(db, chatId, number).get();
  return { message: toMessageView(snap), created: false, attempts };
}

/** Doc id of the idempotency key: a hash, so any `clientMessageId` is a safe doc id. */
function clientMessageKey(senderUid: string, clientMessageId: string): string {
  return createHash("sha256").update(`${senderUid}\n${clientMessageId}`).digest("hex");
}

/**
 * The chat list's one-line summary: the text (or caption), else "Photo" for an image and the
 * file name for a file; at most {@link PREVIEW_LENGTH} characters, never splitting a surrogate pair.
 */
function preview(draft: MessageDraft): string {
  const text = draft.text.trim() || (draft.type === "image" ? "Photo" : draft.type === "file" ? draft.file.name : "");
  return Array.from(text).slice(0, PREVIEW_LENGTH).join("");
}

/** Random wait that grows with the attempt, capped at 100 ms, to spread competing sends apart. */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(100, 5 * 2 ** Math.min(attempt, 5));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
