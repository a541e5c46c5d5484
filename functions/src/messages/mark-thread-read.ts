import { FieldPath, FieldValue, type Firestore } from "firebase-admin/firestore";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { AppError } from "../shared/errors.js";
import { exists, refs, type ChatDoc, type MemberDoc } from "../shared/model.js";
import { retryOnConflict } from "../shared/optimistic.js";
import { BadgeEdit, isRoomId, threadKey, writeBadge } from "../timeline/badge.js";
import type { ThreadReadState } from "./views.js";

/** How often a thread's read tries before it gives up with `aborted`. */
const MARK_THREAD_READ_ATTEMPTS = 20;

/**
 * Marks every reply of the thread on message `number` read for `callerUid`, a participant of the
 * thread: their read position in it (`chats/{chatId}/threads/{messageId}.read.{uid}`) moves to
 * its `replyCount`, and when it had replies they had not read, their count of threads with new
 * replies drops by one (1:1: `chats/{chatId}.threadsUnread.{uid}`; rooms:
 * `chats/{roomId}/members/{uid}.threadsUnread`), in one batch over the thread as read (a reply
 * in between makes it re-read), with the thread's share of their app badge read up to it
 * (`users-external-event/{uid}`, over the doc as read). A member who takes no part in the
 * thread has nothing to mark. Reads `chats/{chatId}`, the caller's member doc (rooms), the parent
 * message, the thread doc and the caller's event doc.
 * @throws AppError `not-found` (no chat, not a member, or no message `number`), `aborted` (the
 *   thread kept changing).
 */
export async function markThreadRead(db: Firestore, callerUid: string, chatId: string, number: number): Promise<ThreadReadState> {
  const exhausted = () => new AppError("aborted", "The thread kept changing; retry.");
  return retryOnConflict(MARK_THREAD_READ_ATTEMPTS, () => tryMarkThreadRead(db, callerUid, chatId, number), exhausted);
}

/** One attempt of {@link markThreadRead}. */
async function tryMarkThreadRead(db: Firestore, uid: string, chatId: string, number: number): Promise<ThreadReadState> {
  const threadRef = refs.thread(db, chatId, number);
  const eventRef = refs.externalEvent(db, uid);
  const { chatSnap, memberSnap, more } = await readAsMember(
    db,
    chatId,
    uid,
    refs.message(db, chatId, number),
    threadRef,
    eventRef,
  );
  const [parentSnap, threadSnap, eventSnap] = more;
  const chat = requireMember(chatSnap, uid, memberSnap);
  if (!exists(parentSnap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  const thread = threadSnap.data();
  const before = threadsUnreadOf(chat, memberSnap?.data(), uid);
  const state = { chatId, threadOf: number, lastRead: thread?.replyCount ?? 0, threadsWithNewReplies: before };
  const wasUnread = thread !== undefined && thread.participants.includes(uid) && (thread.read[uid] ?? 0) < thread.replyCount;
  const badge = new BadgeEdit(eventSnap.data(), isRoomId);
  badge.read(threadKey(chatId, number), state.lastRead);
  if (!wasUnread || !threadSnap.updateTime) {
    if (badge.changed) {
      const batch = db.batch();
      writeBadge(batch, eventSnap, badge);
      await batch.commit();
    }
    return state;
  }
  const batch = db.batch();
  writeBadge(batch, eventSnap, badge);
  batch.update(threadRef, new FieldPath("read", uid), thread.replyCount, { lastUpdateTime: threadSnap.updateTime });
  if (chat.type === "room") batch.update(refs.member(db, chatId, uid), { threadsUnread: FieldValue.increment(-1) });
  else batch.update(chatSnap.ref, new FieldPath("threadsUnread", uid), FieldValue.increment(-1));
  await batch.commit();
  return { ...state, threadsWithNewReplies: Math.max(0, before - 1) };
}

/** `uid`'s count of threads with new replies in `chat`: on their member doc in a room, on the chat doc in a 1:1 chat. */
export function threadsUnreadOf(chat: ChatDoc, member: MemberDoc | undefined, uid: string): number {
  return Math.max(0, (chat.type === "room" ? member?.threadsUnread : chat.threadsUnread?.[uid]) ?? 0);
}
