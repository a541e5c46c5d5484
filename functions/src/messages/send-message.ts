import { createHash } from "node:crypto";
import type { DocumentReference, DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { requireCanSend, requireMember } from "../timeline/chat-access.js";
import { AppError } from "../shared/errors.js";
import { refs, type ClientMessageKeyDoc, type FileDoc, type MessageDoc, type MessageReference } from "../shared/model.js";
import { appendWithRetry, commitAppend } from "../timeline/append-message.js";
import { toMessageView, toMessageViewOf, type MessageView } from "./views.js";
import { DELETED_PREVIEW, messagePreview } from "../timeline/preview.js";

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

/**
 * Sends a message from `senderUid` to chat `chatId`, through the append primitive
 * ({@link commitAppend}, which numbers it). A retry with a `clientMessageId` that already
 * produced a message answers that message with `created: false` and writes nothing.
 *
 * Reads `chats/{chatId}` (with its `client-messages/{key}` and the quoted message of a reply);
 * writes as {@link commitAppend}, plus `chats/{chatId}/client-messages/{key}`.
 * @throws AppError `not-found` (no chat), `permission-denied` (not a member),
 *   `failed-precondition` (chat not active), `invalid-argument` (`replyTo` names no message),
 *   `aborted` (no number won, see {@link appendWithRetry}).
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
  return appendWithRetry(chatId, async (attempt) => {
    const [chatSnap, keySnap, quotedSnap] = await getAll(db, refs.chat(db, chatId), keyRef, quotedRef);
    if (keySnap?.exists) {
      requireMember(chatSnap, senderUid);
      return previouslySent(db, chatId, keySnap, attempt);
    }
    const chat = requireCanSend(chatSnap, senderUid);
    const reference = quotedSnap ? replyReference(chatId, draft.replyTo, quotedSnap) : draft.forwardedFrom;
    const { type, text } = draft;
    const content = { type, text, ...(draft.type === "text" ? {} : { file: draft.file }), ...(reference && { reference }) };
    const sent = await commitAppend(db, now, chatId, chat, senderUid, content, attempt, {
      keyRef,
      clientMessageId: draft.clientMessageId,
    });
    return { message: toMessageViewOf(chatId, sent.id, sent.message), created: true, attempts: sent.attempts };
  });
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
async function previouslySent(db: Firestore, chatId: string, keySnap: DocumentSnapshot, attempts: number): Promise<SendResult> {
  const { number } = keySnap.data() as ClientMessageKeyDoc;
  const snap = await refs.message(db, chatId, number).get();
  return { message: toMessageView(snap), created: false, attempts };
}

/** Doc id of the idempotency key: a hash, so any `clientMessageId` is a safe doc id. */
function clientMessageKey(senderUid: string, clientMessageId: string): string {
  return createHash("sha256").update(`${senderUid}\n${clientMessageId}`).digest("hex");
}
