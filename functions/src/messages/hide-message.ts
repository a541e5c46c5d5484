import { FieldValue, type Firestore } from "firebase-admin/firestore";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { AppError } from "../shared/errors.js";
import { refs } from "../shared/model.js";

/**
 * "Delete for me": hides message `number` from the caller's message listings only. Other
 * members, counts and the chat's `lastMessage` are unchanged. Idempotent. Reads `chats/{chatId}`
 * and the message; adds the number to `chats/{chatId}/hidden/{uid}` (readable by that member).
 * @throws AppError `not-found` (no chat, not a member, or no such message).
 */
export async function hideMessage(
  db: Firestore,
  callerUid: string,
  chatId: string,
  number: number,
): Promise<{ chatId: string; number: number; hidden: true }> {
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, callerUid, refs.message(db, chatId, number));
  const [messageSnap] = more;
  requireMember(chatSnap, callerUid, memberSnap);
  if (!messageSnap.exists) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  await refs.hidden(db, chatId, callerUid).set({ numbers: FieldValue.arrayUnion(number), uid: callerUid }, { merge: true });
  return { chatId, number, hidden: true };
}
