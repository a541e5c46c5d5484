import { FieldPath, Firestore, type Transaction } from "firebase-admin/firestore";
import { memberRefOf, requireAccess } from "../timeline/chat-access.js";
import { isRequestTo } from "../timeline/message-requests.js";
import { AppError } from "../shared/errors.js";
import { refs } from "../shared/model.js";
import type { MarkReadBody } from "./schemas.js";
import type { ReadState } from "./views.js";

/**
 * Marks the caller's messages in `chatId` read up to `upTo` (default: all). The read position
 * never moves backwards; the caller's `notifyNewMessage` flag is cleared, and their unread
 * mentions up to it are pruned (`mentioned`). One transaction over
 * `chats/{chatId}` and `users-external-event/{uid}`, and:
 * - in a room, `chats/{roomId}/members/{uid}.lastRead`; unread is then `messageCount - lastRead`
 *   (own sends and system messages about the member move `lastRead` too);
 * - in a 1:1 chat, `chats/{chatId}.lastRead.{uid}` and `.unread.{uid}`: the number of others'
 *   messages after it (for a partial read, a count query on the messages).
 * The recipient of a message request moves no read position (the opener would see "seen"):
 * only their flag is cleared, until they accept or reply.
 * @throws AppError `not-found`, `permission-denied`, `invalid-argument` when `upTo` is beyond
 *   the newest message.
 */
export async function markRead(db: Firestore, callerUid: string, chatId: string, input: MarkReadBody): Promise<ReadState> {
  const chatRef = refs.chat(db, chatId);
  const memberRef = memberRefOf(db, chatId, callerUid);
  return db.runTransaction(async (tx) => {
    const [chatSnap, memberSnap] = await tx.getAll(chatRef, ...(memberRef ? [memberRef] : []));
    const { chat, member } = requireAccess(chatSnap, callerUid, memberSnap);
    const upTo = input.upTo ?? chat.messageCount;
    if (upTo > chat.messageCount) {
      throw new AppError("invalid-argument", `upTo: must be at most ${chat.messageCount}, the newest message number`);
    }
    const clearFlag = () => tx.set(refs.externalEvent(db, callerUid), { notifyNewMessage: false }, { merge: true });
    if (isRequestTo(chat, callerUid)) {
      // Reading a message request sends its opener no "seen": accepting or replying does.
      clearFlag();
      return { chatId, lastRead: chat.lastRead?.[callerUid] ?? 0, unreadCount: chat.unread?.[callerUid] ?? 0 };
    }
    if (member && memberRef) {
      const lastRead = Math.max(member.lastRead, upTo);
      const mentioned = member.mentioned && { mentioned: member.mentioned.filter((number) => number > lastRead) };
      tx.update(memberRef, { lastRead, ...mentioned });
      clearFlag();
      return { chatId, lastRead, unreadCount: chat.messageCount - lastRead };
    }
    const lastRead = Math.max(chat.lastRead?.[callerUid] ?? 0, upTo);
    const unreadCount = lastRead === chat.messageCount ? 0 : await countUnread(tx, db, chatId, callerUid, lastRead);
    const mentioned = chat.mentioned?.[callerUid];
    // prettier-ignore
    tx.update(
      chatRef,
      new FieldPath("lastRead", callerUid), lastRead,
      new FieldPath("unread", callerUid), unreadCount,
      ...(mentioned ? [new FieldPath("mentioned", callerUid), mentioned.filter((number) => number > lastRead)] : []),
    );
    clearFlag();
    return { chatId, lastRead, unreadCount };
  });
}

/** Messages after `lastRead` that others sent (composite index: messages `from` + `number`). */
async function countUnread(tx: Transaction, db: Firestore, chatId: string, uid: string, lastRead: number): Promise<number> {
  const after = refs.messages(db, chatId).where("number", ">", lastRead);
  const [all, mine] = await Promise.all([tx.get(after.count()), tx.get(after.where("from", "==", uid).count())]);
  return all.data().count - mine.data().count;
}
