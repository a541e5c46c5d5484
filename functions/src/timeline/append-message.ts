import { FieldPath, FieldValue, Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { refs, type ChatDoc, type ClientMessageKeyDoc, type ExternalEventDoc, type MessageDoc } from "../shared/model.js";
import { retryOnConflict } from "../shared/optimistic.js";
import { chatChangeUpdates, type ChatChange } from "./chat-change.js";
import { KeyedQueue } from "./keyed-queue.js";
import { messagePreview } from "./preview.js";

/** How often one append tries to claim a number before it gives up with `aborted`. */
export const APPEND_MAX_ATTEMPTS = 100;

/** A message appended to a chat: its doc id, the doc as written, and the commits it took. */
export interface AppendedMessage {
  id: string;
  message: MessageDoc;
  /** Commits tried, 1 when no other append competed for the number. */
  attempts: number;
}

/** The fields of a new message that its author decides. */
export type MessageContent = Pick<MessageDoc, "type" | "text" | "file" | "reference" | "event">;

/** What one append writes besides the message. */
export interface AppendOptions {
  /** The idempotency key `chats/{chatId}/client-messages/{key}` to create with it. */
  keyRef?: DocumentReference;
  clientMessageId?: string;
  /** A chat change committed with the message (system messages). */
  change?: ChatChange;
  /** A member who gets no unread count or external event for this message. */
  quiet?: string | null;
}

const appendsPerChat = new KeyedQueue();

/**
 * Runs `attempt` until it commits: one at a time per chat inside this instance (to avoid
 * needless conflicts), and again after a conflict (another instance took the number first),
 * up to {@link APPEND_MAX_ATTEMPTS} times. `attempt` reads the chat and calls
 * {@link commitAppend}; it gets its attempt number, from 1.
 * @throws AppError whatever `attempt` throws, `aborted` when no number was won.
 */
export function appendWithRetry<R>(chatId: string, attempt: (attempt: number) => Promise<R>): Promise<R> {
  return appendsPerChat.run(chatId, () => retryOnConflict(APPEND_MAX_ATTEMPTS, attempt, appendsExhausted));
}

/**
 * The append primitive: commits message n+1 of `chat` (as read, with `messageCount` n) as one
 * batch, without a read-modify-write transaction. The batch `create`s
 * `chats/{chatId}/messages/{n+1}` (its doc id is the number), the idempotency key, updates
 * `chats/{chatId}` (count, last message, each recipient's `unread`, the chat change) and sets each
 * recipient's `users-external-event/{uid}`. `create` fails with ALREADY_EXISTS when another
 * append took n+1 first; then nothing was written and the caller re-reads and retries (see
 * {@link appendWithRetry}). The count and the message are written together, so a count of n
 * means messages 1..n exist and n+1 does not: numbers are gapless and unique, and commits land
 * in number order.
 * @throws the commit's conflict (gRPC 6), for {@link appendWithRetry} to retry.
 */
export async function commitAppend(
  db: Firestore,
  now: Date,
  chatId: string,
  chat: ChatDoc,
  from: string | null,
  content: MessageContent,
  attempt: number,
  options: AppendOptions = {},
): Promise<AppendedMessage> {
  const number = chat.messageCount + 1;
  // Never earlier than the message before it, so createdAt grows with the number.
  const at = Timestamp.fromMillis(Math.max(now.getTime(), chat.lastMessageAt?.toMillis() ?? 0));
  const message: MessageDoc = { number, from, ...content, clientMessageId: options.clientMessageId ?? null, createdAt: at };
  const members = options.change?.members ?? chat.members;
  const recipients = members.filter((uid) => uid !== from && uid !== options.quiet);

  const batch = db.batch();
  const messageRef = refs.message(db, chatId, number);
  batch.create(messageRef, message);
  if (options.keyRef) batch.create(options.keyRef, { number, createdAt: at } satisfies ClientMessageKeyDoc);
  const changes = options.change ? chatChangeUpdates(db, batch, chatId, now, options.change) : [];
  // prettier-ignore
  batch.update(
    refs.chat(db, chatId),
    // Safe to set rather than increment: the create above only succeeds while the count is n.
    "messageCount", number,
    "lastMessage", { number, from, type: message.type, preview: messagePreview(message) },
    "lastMessageAt", at,
    "started", true,
    "updatedAt", at,
    ...recipients.flatMap((uid) => [new FieldPath("unread", uid), FieldValue.increment(1)]),
    ...changes.flat(),
  );
  for (const uid of recipients) {
    const event: ExternalEventDoc = { notifyNewMessage: true, lastEvent: { chatId, number, at } };
    batch.set(refs.externalEvent(db, uid), event, { merge: true });
  }
  await batch.commit();
  return { id: messageRef.id, message, attempts: attempt };
}

function appendsExhausted(): AppError {
  return new AppError("aborted", "Too many messages are being sent to this chat at once; retry the send.");
}
