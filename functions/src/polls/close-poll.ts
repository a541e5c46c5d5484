import { FieldPath, Timestamp, type Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { refs } from "../shared/model.js";
import { readAsMember, requireCanSend } from "../timeline/chat-access.js";
import { toMessageViewOfDoc, type MessageView } from "../messages/views.js";
import { requirePoll } from "./poll-access.js";

/** Which poll {@link closePoll} closes, and who asks: message `number` of `chatId`, by member `uid`. */
export interface PollClose {
  uid: string;
  chatId: string;
  number: number;
}

/**
 * The poll's sender closes it: `poll.closed` (and `closedAt`) on the message and the poll's
 * `chats/{chatId}/open-polls/{messageId}` deleted, in one batch, so no vote counts after it
 * (a vote in flight fails on the open-poll doc and re-reads). Only the sender closes a poll: not
 * the other member of a 1:1 chat, nor a room's host (a host may delete the message instead).
 * Closing a closed poll is a no-op.
 * Reads `chats/{chatId}`, the member doc (rooms), the message and the caller's vote doc (for
 * `myVotes`; 3-4 reads); writes the message and deletes the open-poll doc (2 writes).
 * @throws AppError `not-found` (no chat, not a member, no message), `invalid-argument` (not a
 *   poll), `permission-denied` (not its sender; a 1:1 chat with a block), `failed-precondition`
 *   (deleted poll, ended chat).
 */
export async function closePoll(db: Firestore, now: Date, close: PollClose): Promise<MessageView> {
  const { uid, chatId, number } = close;
  const messageRef = refs.message(db, chatId, number);
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, uid, messageRef, refs.vote(db, chatId, uid, number));
  const [messageSnap, voteSnap] = more;
  requireCanSend(chatSnap, uid, memberSnap);
  const { message, poll } = requirePoll(messageSnap, number);
  if (message.from !== uid) throw new AppError("permission-denied", "Only the poll's sender can close it.");
  const myVotes = voteSnap.data()?.options ?? [];
  if (poll.closed) return toMessageViewOfDoc(chatId, messageRef.id, message, { myVotes });
  const closedAt = Timestamp.fromDate(now);
  const batch = db.batch();
  batch.update(messageRef, new FieldPath("poll", "closed"), true, new FieldPath("poll", "closedAt"), closedAt);
  batch.delete(refs.openPoll(db, chatId, number));
  await batch.commit();
  const closed = { ...message, poll: { ...poll, closed: true, closedAt } };
  return toMessageViewOfDoc(chatId, messageRef.id, closed, { myVotes });
}
