import type { Firestore, QueryDocumentSnapshot } from "firebase-admin/firestore";
import { refs } from "../shared/model.js";

/** Most replies whose quote an edit or deletion rewrites in its one batch (Firestore allows 500 writes). */
export const MAX_QUOTING_REPLIES = 400;

/**
 * The replies in chat `chatId` that quote message `number` (`reference.type == "reply"`,
 * `reference.number == number`; composite index), at most {@link MAX_QUOTING_REPLIES}: those
 * whose quote follows an edit or deletion of it. Reads one doc per reply (at least 1 read).
 */
export async function quotingReplies(db: Firestore, chatId: string, number: number): Promise<QueryDocumentSnapshot[]> {
  const replies = await refs
    .messages(db, chatId)
    .where("reference.type", "==", "reply")
    .where("reference.number", "==", number)
    .limit(MAX_QUOTING_REPLIES)
    .get();
  return replies.docs;
}
