import type { DocumentSnapshot } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { exists, type MessageDoc } from "../shared/model.js";

/**
 * Message `number` in `snap` when `uid` sent it and it still has content.
 * @throws AppError `not-found` (no such message), `permission-denied` (someone else's or a
 *   system message), `failed-precondition` (deleted for everyone).
 */
export function requireOwnMessage(snap: DocumentSnapshot<MessageDoc>, uid: string, number: number): MessageDoc {
  if (!exists(snap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  const message = snap.data();
  if (message.from !== uid) throw new AppError("permission-denied", "Only the sender can change this message.");
  if (message.deleted) throw new AppError("failed-precondition", `Message ${number} was deleted.`);
  return message;
}
