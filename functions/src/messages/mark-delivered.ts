import { FieldPath, type Firestore } from "firebase-admin/firestore";
import { memberRefOf, requireAccess } from "../timeline/chat-access.js";
import { readsArePrivate } from "../timeline/private-state.js";
import { getAll, refs, type ChatDoc, type MemberDoc } from "../shared/model.js";
import type { MarkDeliveredBody } from "./schemas.js";
import type { DeliveredState } from "./views.js";

/** Who reports which chat's messages arrived, and how far ({@link markDelivered}). */
export interface MarkDeliveredOptions {
  /** Who reports: a member of the chat. */
  callerUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** How far: `upTo`, a message number (a number past the newest counts as the newest). */
  input: MarkDeliveredBody;
}

/**
 * Records that the caller's devices received the messages of `chatId` up to `upTo` (at most the
 * newest): "delivered". The position only moves forward, and a read counts as delivered (seen
 * implies delivered), so a report that does not pass both the stored position and the read one
 * writes nothing. One transaction:
 * - in a room, reads `chats/{roomId}` and the caller's member doc and writes its
 *   `deliveredUpTo`, which only they read (who-has-it lists leave out members with read
 *   receipts off, as who-read lists do);
 * - in a 1:1 chat, reads `chats/{chatId}` and `user-settings/{uid}` and writes
 *   `chats/{chatId}.delivered.{uid}` (the other member's "delivered"), unless the caller's reads
 *   are private (read receipts off, or a message request sent to them): then nothing is written
 *   and the answer is the same, so no one learns what arrived.
 * 2 reads, 0 or 1 write.
 * @throws AppError `not-found` (no chat, or not a member).
 */
export async function markDelivered(db: Firestore, options: MarkDeliveredOptions): Promise<DeliveredState> {
  const { callerUid, chatId, input } = options;
  const chatRef = refs.chat(db, chatId);
  const memberRef = memberRefOf(db, chatId, callerUid);
  const settingsRef = memberRef ? undefined : refs.userSettings(db, callerUid);
  return db.runTransaction(async (tx) => {
    const [chatSnap, memberSnap, settingsSnap] = await getAll(tx, chatRef, memberRef, settingsRef);
    const { chat, member } = requireAccess(chatSnap, callerUid, memberSnap);
    const upTo = Math.min(input.upTo, chat.messageCount);
    const before = member ? memberDeliveredUpTo(member) : directDeliveredUpTo(chat, callerUid);
    const deliveredUpTo = Math.max(before, upTo);
    if (deliveredUpTo === before) return { chatId, deliveredUpTo };
    if (member && memberSnap) {
      tx.update(memberSnap.ref, { deliveredUpTo });
    } else if (!readsArePrivate(chat, callerUid, settingsSnap?.data())) {
      tx.update(chatRef, new FieldPath("delivered", callerUid), deliveredUpTo);
    }
    return { chatId, deliveredUpTo };
  });
}

/** How far room member `member` has it delivered: their reported position or their read one, whichever is further. */
export function memberDeliveredUpTo(member: MemberDoc): number {
  return Math.max(member.deliveredUpTo ?? 0, member.lastRead);
}

/** How far member `uid` of 1:1 chat `chat` has it delivered, as the other member is shown: the public positions. */
export function directDeliveredUpTo(chat: ChatDoc, uid: string): number {
  return Math.max(chat.delivered?.[uid] ?? 0, chat.lastRead?.[uid] ?? 0);
}
