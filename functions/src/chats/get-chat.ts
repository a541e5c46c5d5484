import type { Firestore } from "firebase-admin/firestore";
import { readAsMember, requireAccess } from "../timeline/chat-access.js";
import { toChatViewOf, type ChatView } from "./views.js";

/**
 * Reads `chats/{chatId}` (and, in a room, the caller's member doc) for one of its members.
 * @throws AppError `not-found`, `permission-denied` (see {@link requireAccess}).
 */
export async function getChat(db: Firestore, callerUid: string, chatId: string): Promise<ChatView> {
  const { chatSnap, memberSnap } = await readAsMember(db, chatId, callerUid);
  const { chat, member } = requireAccess(chatSnap, callerUid, memberSnap);
  return toChatViewOf(chatId, chat, callerUid, member);
}
