import type { Firestore } from "firebase-admin/firestore";
import { postSystemMessage } from "../timeline/system-message.js";
import { displayName } from "../users/display-name.js";
import { AppError } from "../shared/errors.js";
import { refs } from "../shared/model.js";
import { toChatView, type ChatView } from "./views.js";

/**
 * Ends a chat: any member of a 1:1 chat, or a room's host. Sets `status: "completed"`,
 * `completedAt` and `active: false` (read-only: sends get 409) in the same batch as the
 * "ended" system message. The export trigger then writes the history and mails members.
 * Ending an ended chat changes nothing and answers the chat.
 * @throws AppError `not-found`, `permission-denied` (not a member, or not the room's host).
 */
export async function endChat(db: Firestore, now: Date, callerUid: string, chatId: string): Promise<ChatView> {
  const name = await displayName(db, callerUid);
  await postSystemMessage(db, now, chatId, { type: "chat-ended", uid: callerUid }, `${name} ended the chat`, (chat) => {
    if (!chat.members.includes(callerUid)) throw new AppError("permission-denied", "You are not a member of this chat.");
    if (chat.type === "room" && chat.host !== callerUid) {
      throw new AppError("permission-denied", "Only the room's host can end it.");
    }
    if (chat.status === "completed") return null;
    return { ended: { by: callerUid } };
  });
  return toChatView(await refs.chat(db, chatId).get(), callerUid);
}
