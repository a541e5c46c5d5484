import type { DocumentSnapshot } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { exists, type MessageDoc, type PollDoc } from "../shared/model.js";

/** A poll message as read, and its poll. */
export interface PollMessage {
  message: MessageDoc;
  poll: PollDoc;
}

/**
 * The poll message in `snap` (message `number`), which must be there, be a poll and not be deleted.
 * @throws AppError `not-found` (no message), `invalid-argument` (not a poll), `failed-precondition` (deleted).
 */
export function requirePoll(snap: DocumentSnapshot<MessageDoc>, number: number): PollMessage {
  if (!exists(snap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  const message = snap.data();
  if (message.deleted) throw new AppError("failed-precondition", `Message ${number} was deleted.`);
  if (message.type !== "poll" || !message.poll) throw new AppError("invalid-argument", `Message ${number} is not a poll.`);
  return { message, poll: message.poll };
}
