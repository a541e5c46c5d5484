import type { DocumentSnapshot } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import type { ChatDoc } from "../shared/model.js";

/**
 * The chat in `snap`, when `uid` is one of its members.
 * @throws AppError `not-found` when the chat does not exist, `permission-denied` when `uid` is
 *   not a member.
 */
export function requireMember(snap: DocumentSnapshot, uid: string): ChatDoc {
  if (!snap.exists) throw new AppError("not-found", `Chat ${snap.id} does not exist.`);
  const chat = snap.data() as ChatDoc;
  if (!chat.members.includes(uid)) {
    throw new AppError("permission-denied", "You are not a member of this chat.");
  }
  return chat;
}

/**
 * The chat in `snap`, when `uid` is a member and the chat still takes messages.
 * @throws AppError as {@link requireMember}, and `failed-precondition` when the chat is not active.
 */
export function requireCanSend(snap: DocumentSnapshot, uid: string): ChatDoc {
  const chat = requireMember(snap, uid);
  if (!chat.active) throw new AppError("failed-precondition", "This chat no longer accepts messages.");
  return chat;
}
