import type { DocumentReference, Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { exists, refs, type MessageDoc, type MessageEditDoc } from "../shared/model.js";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { toMessageEditsView, type MessageEditsView } from "./views.js";

/**
 * The refs of message `number`'s edit history, `chats/{chatId}/messages/{number}/edits/1..n`
 * (n: its `editCount`), known without reading them: what deleting the message deletes with it.
 */
export function editHistoryRefs(
  db: Firestore,
  chatId: string,
  message: Pick<MessageDoc, "number" | "editCount">,
): DocumentReference<MessageEditDoc>[] {
  return Array.from({ length: message.editCount ?? 0 }, (_, i) => refs.messageEdit(db, chatId, message.number, i + 1));
}

/** Whose edit history {@link listMessageEdits} reads, for whom, and how much of it. */
export interface ListMessageEditsOptions {
  /** A member of the chat. */
  callerUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The message's number. */
  number: number;
  /** The most versions a message keeps (`MAX_MESSAGE_EDITS`): the whole history, in one read. */
  maxEdits: number;
}

/**
 * A member reads message `number`'s edit history: the texts its edits replaced, newest first
 * (version n, the text the last edit replaced, down to version 1, the text as sent). The history
 * is bounded by `maxEdits`, so it comes whole, unpaged. A message deleted for everyone has none
 * (its history went with it): an empty list. Reads `chats/{chatId}`, in a room the caller's
 * member doc, and the message (one `getAll`), then `chats/{chatId}/messages/{number}/edits`
 * (one query: a read per version, at least one) when it was edited.
 * @throws AppError `not-found` (no chat, not a member, or no such message).
 */
export async function listMessageEdits(db: Firestore, options: ListMessageEditsOptions): Promise<MessageEditsView> {
  const { callerUid, chatId, number, maxEdits } = options;
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, callerUid, refs.message(db, chatId, number));
  const [messageSnap] = more;
  requireMember(chatSnap, callerUid, memberSnap);
  if (!exists(messageSnap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  const message = messageSnap.data();
  if (message.deleted || !message.editCount) return toMessageEditsView(chatId, message, []);
  const history = await refs.messageEdits(db, chatId, number).orderBy("version", "desc").limit(maxEdits).get();
  return toMessageEditsView(
    chatId,
    message,
    history.docs.map((doc) => doc.data()),
  );
}
