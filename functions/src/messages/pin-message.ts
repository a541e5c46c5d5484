import { FieldValue, type Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { exists, getAll, refs, type ChatDoc } from "../shared/model.js";
import { blockOfRef, memberRefOf, requireCanSend, requireMember, requireNotBlocked } from "../timeline/chat-access.js";
import type { PinnedMessages } from "./views.js";

/** Most messages a chat may have pinned. */
export const MAX_PINS = 10;

/** Requires the right to pin in `chat`: any member of a 1:1 chat, a room's host. */
function requirePinner(chat: ChatDoc, uid: string): void {
  if (chat.type === "room" && chat.host !== uid)
    throw new AppError("permission-denied", "Only the room's host can pin messages.");
}

/**
 * Pins message `number` of `chatId`: appends it to `chats/{chatId}.pinned` (at most
 * {@link MAX_PINS}). Any member of a 1:1 chat, a room's host; an active chat; a message that
 * exists and is neither deleted nor a system message. Pinning a pinned message changes nothing.
 * One transaction: reads the chat, the caller's member doc (rooms) and the message (2-3 reads),
 * writes the chat (1 write; none when already pinned).
 * @throws AppError `not-found` (no chat, not a member, no message), `permission-denied` (a
 *   room member who is not the host), `failed-precondition` (ended chat, deleted message, 10 pins),
 *   `invalid-argument` (a system message).
 */
export function pinMessage(db: Firestore, callerUid: string, chatId: string, number: number): Promise<PinnedMessages> {
  const chatRef = refs.chat(db, chatId);
  const messageRef = refs.message(db, chatId, number);
  const memberRef = memberRefOf(db, chatId, callerUid);
  return db.runTransaction(async (tx) => {
    const [chatSnap, messageSnap, memberSnap] = await getAll(tx, chatRef, messageRef, ...(memberRef ? [memberRef] : []));
    const chat = requireCanSend(chatSnap, callerUid, memberSnap);
    requirePinner(chat, callerUid);
    if (!exists(messageSnap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
    const message = messageSnap.data();
    if (message.type === "system") throw new AppError("invalid-argument", "number: system messages can't be pinned");
    if (message.deleted) throw new AppError("failed-precondition", `Message ${number} was deleted.`);
    const pinned = chat.pinned ?? [];
    if (pinned.includes(number)) return { chatId, pinned };
    if (pinned.length >= MAX_PINS) {
      throw new AppError("failed-precondition", `A chat holds at most ${MAX_PINS} pinned messages; unpin one first.`);
    }
    tx.update(chatRef, { pinned: FieldValue.arrayUnion(number) });
    return { chatId, pinned: [...pinned, number] };
  });
}

/**
 * Unpins message `number` of `chatId` (who may pin may unpin; ended chats too, so a closed
 * chat's pins can be tidied). One transaction: 2 reads (the chat, and the member doc in a room
 * or the block doc in a 1:1 chat, which says who blocked whom), 1 write.
 * @throws AppError `not-found` (no chat, not a member, or not pinned), `permission-denied` (a
 *   room member who is not the host; a 1:1 member the other blocked).
 */
export function unpinMessage(db: Firestore, callerUid: string, chatId: string, number: number): Promise<PinnedMessages> {
  const chatRef = refs.chat(db, chatId);
  // A room's member doc, or in a 1:1 chat the other member's block of the caller.
  const memberRef = memberRefOf(db, chatId, callerUid);
  const blockRef = memberRef ? undefined : blockOfRef(db, chatId, callerUid);
  return db.runTransaction(async (tx) => {
    const [chatSnap, memberSnap, blockSnap] = await getAll(tx, chatRef, memberRef, blockRef);
    const chat = requireMember(chatSnap, callerUid, memberSnap);
    requireNotBlocked(chat, callerUid, blockSnap);
    requirePinner(chat, callerUid);
    const pinned = chat.pinned ?? [];
    if (!pinned.includes(number)) throw new AppError("not-found", `Message ${number} is not pinned.`);
    tx.update(chatRef, { pinned: FieldValue.arrayRemove(number) });
    return { chatId, pinned: pinned.filter((pin) => pin !== number) };
  });
}
