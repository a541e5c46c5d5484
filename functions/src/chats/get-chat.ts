import type { Firestore } from "firebase-admin/firestore";
import { refs } from "../shared/model.js";
import { requireMember } from "../timeline/chat-access.js";
import { toChatView, type ChatView } from "./views.js";

/**
 * Reads `chats/{chatId}` for one of its members.
 * @throws AppError `not-found`, `permission-denied` (see {@link requireMember}).
 */
export async function getChat(db: Firestore, callerUid: string, chatId: string): Promise<ChatView> {
  const snap = await refs.chat(db, chatId).get();
  requireMember(snap, callerUid);
  return toChatView(snap, callerUid);
}
