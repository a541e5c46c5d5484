import type { Firestore } from "firebase-admin/firestore";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { exists, refs, type ThreadDoc } from "../shared/model.js";
import { AppError } from "../shared/errors.js";
import { toMessageViewOfDoc, toMessageViewOfSnap, type ThreadPage } from "./views.js";
import type { ListThreadQuery } from "./schemas.js";

/** Which page of which thread {@link listThread} lists, and for whom. */
export interface ListThreadOptions {
  /** Who reads: a member of the chat. */
  callerUid: string;
  chatId: string;
  /** The thread's parent message. */
  number: number;
  /** The page: `limit`, `before` or `after` (reply numbers). */
  input: ListThreadQuery;
  /** The page size when `input.limit` is absent (`MESSAGES_TO_LOAD`). */
  defaultLimit: number;
}

/**
 * Lists the replies in the thread of message `number` of `chatId` for a member, as
 * `listMessages` pages messages: the latest `limit` (default `defaultLimit`), the `limit`
 * replies just older than `before`, or the first `limit` newer than `after`; with the parent
 * (a tombstone once deleted: its thread stays readable). A message without replies has an
 * empty thread. `unreadCount`: the caller's replies not read, when they take part.
 * Reads `chats/{chatId}` (and the caller's member doc in a room), the parent
 * `chats/{chatId}/messages/{messageId}`, the thread doc `chats/{chatId}/threads/{messageId}`,
 * and `chats/{chatId}/threads/{messageId}/replies` ordered by `number` (`limit` + 1 docs).
 * @throws AppError `not-found` (no chat, not a member, or no message `number`).
 */
export async function listThread(db: Firestore, options: ListThreadOptions): Promise<ThreadPage> {
  const { callerUid, chatId, number, input, defaultLimit } = options;
  const parentRef = refs.message(db, chatId, number);
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, callerUid, parentRef, refs.thread(db, chatId, number));
  const [parentSnap, threadSnap] = more;
  requireMember(chatSnap, callerUid, memberSnap);
  if (!exists(parentSnap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  const limit = input.limit ?? defaultLimit;
  const replies = refs.replies(db, chatId, number);
  const newerFirst = input.after === undefined;
  let query = newerFirst ? replies.orderBy("number", "desc") : replies.where("number", ">", input.after).orderBy("number", "asc");
  if (input.before !== undefined) query = query.where("number", "<", input.before);
  const docs = (await query.limit(limit + 1).get()).docs;
  const page = docs.slice(0, limit).map((doc) => toMessageViewOfDoc(chatId, doc.id, doc.data()));
  return {
    parent: toMessageViewOfSnap(parentSnap),
    replies: newerFirst ? page.reverse() : page,
    hasMore: docs.length > limit,
    unreadCount: unreadIn(threadSnap.data(), callerUid),
  };
}

/** `uid`'s unread replies in `thread`: those after their read position, when they take part. */
function unreadIn(thread: ThreadDoc | undefined, uid: string): number {
  if (!thread?.participants.includes(uid)) return 0;
  return Math.max(0, thread.replyCount - (thread.read[uid] ?? 0));
}
