import type { Firestore, QueryDocumentSnapshot } from "firebase-admin/firestore";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { refs, type MessageDoc } from "../shared/model.js";
import { toMessageViewsForMember } from "./my-reactions.js";
import { searchMessages } from "./search-messages.js";
import type { MessagePage } from "./views.js";
import type { ListMessagesQuery } from "./schemas.js";

/** Which page of which chat {@link listMessages} lists, and for whom. */
export interface ListMessagesOptions {
  /** Who reads: a member of the chat. */
  callerUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The page: `limit`, `before`, `after`, or a search `q`. */
  input: ListMessagesQuery;
  /** The page size when `input.limit` is absent (`MESSAGES_TO_LOAD`). */
  defaultLimit: number;
}

/**
 * Lists messages of `chatId` for a member: the latest `limit` (default `defaultLimit`), the
 * `limit` messages just older than `before`, or the first `limit` messages newer than `after`;
 * with `q`, a search ({@link searchMessages}).
 * Messages the caller hid ("delete for me") are left out, and the page is filled past them.
 * Reads `chats/{chatId}`, `chats/{chatId}/hidden/{uid}` and `chats/{chatId}/messages` ordered
 * by `number`, and, when a message of the page has reactions, the caller's own
 * (`chats/{chatId}/reactions`, 1 read or more) for `myReactions`, and when one is a poll with
 * votes, the caller's votes (`chats/{chatId}/votes`, 1 read or more) for its `myVotes`.
 * @throws AppError `not-found` (no chat, or not a member), `invalid-argument` (a search `q` without a word).
 */
export async function listMessages(db: Firestore, options: ListMessagesOptions): Promise<MessagePage> {
  const { callerUid, chatId, input, defaultLimit } = options;
  if (input.q !== undefined) {
    return searchMessages(db, callerUid, chatId, { q: input.q, limit: input.limit ?? defaultLimit, before: input.before });
  }
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, callerUid, refs.hidden(db, chatId, callerUid));
  const [hiddenSnap] = more;
  requireMember(chatSnap, callerUid, memberSnap);
  const hidden = new Set(hiddenSnap.data()?.numbers ?? []);
  const limit = input.limit ?? defaultLimit;
  const messages = refs.messages(db, chatId);
  const newerFirst = input.after === undefined;
  let query = newerFirst
    ? messages.orderBy("number", "desc")
    : messages.where("number", ">", input.after).orderBy("number", "asc");
  if (input.before !== undefined) query = query.where("number", "<", input.before);

  // One more than the page tells whether there is more; hidden messages make us read on.
  const kept: QueryDocumentSnapshot<MessageDoc>[] = [];
  for (let batch = query.limit(limit + 1); kept.length <= limit;) {
    const docs = (await batch.get()).docs;
    kept.push(...docs.filter((doc) => !hidden.has(doc.data().number)));
    if (docs.length <= limit) break;
    batch = batch.startAfter(docs[docs.length - 1]);
  }
  const page = await toMessageViewsForMember(db, chatId, callerUid, kept.slice(0, limit));
  return { messages: newerFirst ? page.reverse() : page, hasMore: kept.length > limit };
}
