import type { Firestore } from "firebase-admin/firestore";
import { requireMember } from "../chats/chat-access.js";
import { refs } from "../shared/model.js";
import { toMessageView, type MessageView } from "./message-view.js";
import type { ListMessagesQuery } from "./schemas.js";

/** A slice of a chat's messages in ascending number order. */
export interface MessagePage {
  messages: MessageView[];
  /** More messages exist beyond this slice: older ones (latest/`before`) or newer ones (`after`). */
  hasMore: boolean;
}

/**
 * Lists messages of `chatId` for a member: the latest `limit` (default `defaultLimit`), the
 * `limit` messages just older than `before`, or the first `limit` messages newer than `after`.
 * Reads `chats/{chatId}` and `chats/{chatId}/messages` ordered by `number`.
 * @throws AppError `not-found`, `permission-denied`.
 */
export async function listMessages(
  db: Firestore,
  callerUid: string,
  chatId: string,
  input: ListMessagesQuery,
  defaultLimit: number,
): Promise<MessagePage> {
  requireMember(await refs.chat(db, chatId).get(), callerUid);
  const limit = input.limit ?? defaultLimit;
  const messages = refs.messages(db, chatId);
  const newerFirst = input.after === undefined;
  let query = newerFirst
    ? messages.orderBy("number", "desc")
    : messages.where("number", ">", input.after).orderBy("number", "asc");
  if (input.before !== undefined) query = query.where("number", "<", input.before);
  const docs = (await query.limit(limit + 1).get()).docs;
  const page = docs.slice(0, limit).map(toMessageView);
  return { messages: newerFirst ? page.reverse() : page, hasMore: docs.length > limit };
}
