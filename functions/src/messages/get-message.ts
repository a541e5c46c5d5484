import type { Firestore } from "firebase-admin/firestore";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { AppError } from "../shared/errors.js";
import { exists, refs } from "../shared/model.js";
import { toMessageViewsForMember } from "./my-reactions.js";
import type { MessageView } from "./views.js";

/**
 * Reads message `number` of `chatId` for a member (`chats/{chatId}/messages/{number}`), with the
 * caller's reactions to it when it has any (+1 read) and, on a poll with votes, their votes (+1 read).
 * @throws AppError `not-found` (no chat, not a member, or no such message).
 */
export async function getMessage(db: Firestore, callerUid: string, chatId: string, number: number): Promise<MessageView> {
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, callerUid, refs.message(db, chatId, number));
  const [messageSnap] = more;
  requireMember(chatSnap, callerUid, memberSnap);
  if (!exists(messageSnap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  const [view] = await toMessageViewsForMember(db, chatId, callerUid, [messageSnap]);
  return view;
}
