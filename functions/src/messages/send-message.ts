import { createHash } from "node:crypto";
import {
  FieldPath,
  FieldValue,
  Firestore,
  Timestamp,
  type DocumentData,
  type DocumentReference,
  type DocumentSnapshot,
} from "firebase-admin/firestore";
import { requireCanSend, requireMember } from "../chats/chat-access.js";
import { AppError } from "../shared/errors.js";
import {
  refs,
  type ChatDoc,
  type ClientMessageKeyDoc,
  type ExternalEventDoc,
  type FileDoc,
  type MessageDoc,
  type MessageReference,
  type SystemEvent,
} from "../shared/model.js";
import { retryOnConflict } from "../shared/optimistic.js";
import { KeyedQueue } from "./keyed-queue.js";
import { toMessageView, toMessageViewOf, type MessageView } from "./message-view.js";
import { DELETED_PREVIEW, messagePreview } from "./preview.js";

/** How often one send tries to claim a number before it gives up with `aborted`. */
export const SEND_MAX_ATTEMPTS = 100;

/** The outcome of a send. */
export interface SendResult {
  message: MessageView;
  /** `false` when a retry with the same `clientMessageId` found the message it had sent. */
  created: boolean;
  /** Commits tried, 1 when no other send competed for the number. */
  attempts: number;
}

/**
 * What a sender sends: a text, or a file or image (whose objects are already complete in Cloud
 * Storage) with an optional caption in `text`. `replyTo` quotes a message of the same chat;
 * `forwardedFrom` is set by a forward.
 */
export type MessageDraft = {
  text: string;
  clientMessageId?: string;
  replyTo?: number;
  forwardedFrom?: MessageReference;
} & ({ type: "text" } | { type: "file" | "image"; file: FileDoc });

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
 * Reads `chats/{chatId}` (with its `client-messages/{key}` and the quoted message of a reply);
 * writes `chats/{chatId}`, `chats/{chatId}/messages/{number}`,
 * `chats/{chatId}/client-messages/{key}`, `users-external-event/{recipient}`.
 * @throws AppError `not-found` (no chat), `permission-denied` (not a member),
 *   `failed-precondition` (chat not active), `invalid-argument` (`replyTo` names no message),
 *   `aborted` (no number won in {@link SEND_MAX_ATTEMPTS} tries).
 */
export function sendMessage(
  db: Firestore,
  now: Date,
  senderUid: string,
  chatId: string,
  draft: MessageDraft,
): Promise<SendResult> {
  const keyRef =
    draft.clientMessageId === undefined
      ? undefined
      : refs.clientMessage(db, chatId, clientMessageKey(senderUid, draft.clientMessageId));
  const quotedRef = draft.replyTo === undefined ? undefined : refs.message(db, chatId, draft.replyTo);
  return sendsPerChat.run(chatId, () =>
    retryOnConflict(
      SEND_MAX_ATTEMPTS,
      async (attempt) => {
        const [chatSnap, keySnap, quotedSnap] = await getAll(db, refs.chat(db, chatId), keyRef, quotedRef);
        if (keySnap?.exists) {
          requireMember(chatSnap, senderUid);
          return previouslySent(db, chatId, keySnap, attempt);
        }
        const chat = requireCanSend(chatSnap, senderUid);
        const reference = quotedSnap ? replyReference(chatId, draft.replyTo, quotedSnap) : draft.forwardedFrom;
        const { type, text } = draft;
        const content = { type, text, ...(draft.type === "text" ? {} : { file: draft.file }), ...(reference && { reference }) };
        return commitMessage(db, now, chatId, chat, senderUid, content, { keyRef, clientMessageId: draft.clientMessageId, attempt });
      },
      sendsExhausted,
    ),
  );
}

/**
 * A change to a chat committed in the same batch as the system message that tells it, so that
 * members never see one without the other. `updates` are more `[field, value]` pairs for the
 * chat doc; `members` is the member list afterwards.
 */
export interface ChatChange {
  members?: string[];
  updates?: [string | FieldPath, unknown][];
  /** Docs to create in the same batch (e.g. the record that starts the export of an ended chat). */
  creates?: [DocumentReference, DocumentData][];
}

/**
 * Posts a `system` message (no sender) telling members about `event`, numbered like any
 * message. Every member but `event.uid` (who joined, left, was removed or ended the chat) gets
 * it as unread. `change`, given the chat as read, returns the chat change to commit with it,
 * or `null` when there is nothing to do (then nothing is written and `null` returned); it may
 * throw an AppError to refuse. Conflicting writes re-read and call `change` again, so joins,
 * leaves and sends are serialised by the message number. Works on inactive chats too, so that
 * "chat ended" can be told.
 * @throws AppError `not-found` (no chat), whatever `change` throws, `aborted` as {@link sendMessage}.
 */
export function postSystemMessage(
  db: Firestore,
  now: Date,
  chatId: string,
  event: SystemEvent,
  text: string,
  change: (chat: ChatDoc) => ChatChange | null = () => ({}),
): Promise<SendResult | null> {
  return sendsPerChat.run(chatId, () =>
    retryOnConflict(
      SEND_MAX_ATTEMPTS,
      async (attempt) => {
        const chatSnap = await refs.chat(db, chatId).get();
        if (!chatSnap.exists) throw new AppError("not-found", `Chat ${chatId} does not exist.`);
        const chat = chatSnap.data() as ChatDoc;
        const chatChange = change(chat);
        if (!chatChange) return null;
        const content = { type: "system" as const, text, event };
        return commitMessage(db, now, chatId, chat, null, content, { attempt, change: chatChange, quiet: event.uid });
      },
      sendsExhausted,
    ),
  );
}

/** The fields of a new message that its sender decides. */
type MessageContent = Pick<MessageDoc, "type" | "text" | "file" | "reference" | "event">;

/** Commits message n+1 of `chat` as one batch (see {@link sendMessage}); conflicts throw. */
async function commitMessage(
  db: Firestore,
  now: Date,
  chatId: string,
  chat: ChatDoc,
  from: string | null,
  content: MessageContent,
  options: {
    keyRef?: DocumentReference;
    clientMessageId?: string;
    attempt: number;
    /** Committed with the message (system messages). */
    change?: ChatChange;
    /** A member who gets no unread count or external event for this message. */
    quiet?: string | null;
  },
): Promise<SendResult> {
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
  batch.update(
    refs.chat(db, chatId),
    // Safe to set rather than increment: the create above only succeeds while the count is n.
    "messageCount", number,
    "lastMessage", { number, from, type: message.type, preview: messagePreview(message) },
    "lastMessageAt", at,
    "started", true,
    "updatedAt", at,
    ...recipients.flatMap((uid) => [new FieldPath("unread", uid), FieldValue.increment(1)]),
    ...(options.change?.members ? ["members", options.change.members] : []),
    ...(options.change?.updates ?? []).flat(),
  );
  for (const [ref, data] of options.change?.creates ?? []) batch.create(ref, data);
  for (const uid of recipients) {
    const event: ExternalEventDoc = { notifyNewMessage: true, lastEvent: { chatId, number, at } };
    batch.set(refs.externalEvent(db, uid), event, { merge: true });
  }
  await batch.commit();
  return { message: toMessageViewOf(chatId, messageRef.id, message), created: true, attempts: options.attempt };
}

/** The quote a reply keeps of message `quoted`. */
function replyReference(chatId: string, number: number | undefined, quoted: DocumentSnapshot): MessageReference {
  if (!quoted.exists) throw new AppError("invalid-argument", `replyTo: message ${number} does not exist in this chat`);
  const message = quoted.data() as MessageDoc;
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

/** `getAll` of the refs that are set, answering `undefined` in the places of the others. */
async function getAll(db: Firestore, ...docRefs: (DocumentReference | undefined)[]) {
  const present = docRefs.filter((ref): ref is DocumentReference => ref !== undefined);
  const snaps = await db.getAll(...present);
  return docRefs.map((ref) => (ref ? snaps[present.indexOf(ref)] : undefined)) as [
    DocumentSnapshot,
    ...(DocumentSnapshot | undefined)[],
  ];
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

function sendsExhausted(): AppError {
  return new AppError("aborted", "Too many messages are being sent to this chat at once; retry the send.");
}
