import type { Firestore } from "firebase-admin/firestore";
import { requireAccess } from "../timeline/chat-access.js";
import { readAsViewer } from "../timeline/private-state.js";
import { toChatViewOfDoc, type ChatView } from "./views.js";

/**
 * Reads `chats/{chatId}` for one of its members, with their own state of it: their member doc
 * in a room, their `user-settings/{uid}` in a 1:1 chat (2 reads).
 * @throws AppError `not-found` (no chat, or not a member: {@link requireAccess}).
 */
export async function getChat(db: Firestore, callerUid: string, chatId: string): Promise<ChatView> {
  const { chatSnap, memberSnap, settings } = await readAsViewer(db, chatId, callerUid);
  const { chat, member } = requireAccess(chatSnap, callerUid, memberSnap);
  return toChatViewOfDoc(chatId, chat, callerUid, { member, settings });
}
