import { FieldPath, FieldValue, Timestamp, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { retryOnConflict } from "../shared/optimistic.js";
import { refs, type MessageDoc, type ReactionDoc } from "../shared/model.js";
import { readAsMember, requireCanSend } from "../timeline/chat-access.js";
import { reactionCounts } from "../messages/views.js";
import type { ReactionState } from "./views.js";

/** Which reaction: member `uid`'s `emoji` on message `number` of chat `chatId`. */
export interface Reaction {
  uid: string;
  chatId: string;
  number: number;
  emoji: string;
}

/** `chats/{chatId}/reactions/{uid}_{messageId}_{emojiKey}`. */
function reactionRef(db: Firestore, { uid, chatId, number, emoji }: Reaction) {
  return refs.reaction(db, chatId, uid, number, emoji);
}

/** gRPC statuses of a failed precondition: the reaction doc already exists (6) or is gone (5). */
const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;
const failedWith = (error: unknown, code: number) => (error as { code?: unknown } | null)?.code === code;

/** How often an add of a new emoji re-reads the message after another writer changed it first. */
const ADD_MAX_ATTEMPTS = 50;

/**
 * Adds `reaction` (an emoji already validated by `reactionEmoji`) to an active chat's message,
 * as a member: creates its {@link ReactionDoc} and increments the message's
 * `reactions.{emoji}` in one batch, with no read-write transaction. Reacting twice is a no-op
 * (the doc's `create` fails, so nothing is written). An emoji the message already shows needs
 * no precondition on the message, so any number of members can react at once and the count
 * stays exact. An emoji new to the message is held to `maxEmoji` distinct emoji: its batch
 * carries the message's update time as read, and re-reads the message when another writer
 * changed it first.
 * Reads `chats/{chatId}`, the member doc (rooms) and the message (2-3 reads; +1 per lost race
 * of a new emoji); writes the reaction doc and the message (2 writes; none for a repeat).
 * @throws AppError `not-found` (no chat, not a member, no message), `failed-precondition` (ended
 *   or blocked chat, deleted message, `maxEmoji` reached), `aborted` (lost every race).
 */
export async function addReaction(db: Firestore, now: Date, reaction: Reaction, maxEmoji: number): Promise<ReactionState> {
  const { chatId, number, emoji } = reaction;
  const messageRef = refs.message(db, chatId, number);
  const doc: ReactionDoc = { uid: reaction.uid, number, emoji, createdAt: Timestamp.fromDate(now) };
  let messageSnap = await readReactable(db, reaction);
  const counts = await retryOnConflict(
    ADD_MAX_ATTEMPTS,
    async (attempt) => {
      if (attempt > 1) messageSnap = await messageRef.get();
      const counts = { ...(requireReactable(messageSnap, number).reactions ?? {}) };
      const shown = (counts[emoji] ?? 0) > 0;
      if (!shown && Object.values(counts).filter((count) => count > 0).length >= maxEmoji) {
        throw new AppError("failed-precondition", `A message holds at most ${maxEmoji} different reactions.`);
      }
      const batch = db.batch();
      batch.create(reactionRef(db, reaction), doc);
      const field = new FieldPath("reactions", emoji);
      if (shown) batch.update(messageRef, field, FieldValue.increment(1));
      else batch.update(messageRef, field, FieldValue.increment(1), { lastUpdateTime: messageSnap.updateTime as Timestamp });
      try {
        await batch.commit();
      } catch (error) {
        if (failedWith(error, ALREADY_EXISTS)) return counts;
        throw error;
      }
      return { ...counts, [emoji]: (counts[emoji] ?? 0) + 1 };
    },
    () => new AppError("aborted", "Too many reactions are changing on this message at once; retry."),
  );
  return { chatId, number, emoji, reacted: true, reactions: reactionCounts(counts) };
}

/**
 * Takes back `reaction`: deletes its doc and decrements the message's `reactions.{emoji}` in one
 * batch; a reaction the member does not have is a no-op (the delete's precondition fails and
 * nothing is written). Reads as {@link addReaction} (2-3); writes 2 (none for a no-op).
 * @throws AppError as {@link addReaction}, but never for the emoji cap.
 */
export async function removeReaction(db: Firestore, reaction: Reaction): Promise<ReactionState> {
  const { chatId, number, emoji } = reaction;
  const messageSnap = await readReactable(db, reaction);
  const counts = { ...((messageSnap.data() as MessageDoc).reactions ?? {}) };
  const batch = db.batch();
  batch.delete(reactionRef(db, reaction), { exists: true });
  batch.update(refs.message(db, chatId, number), new FieldPath("reactions", emoji), FieldValue.increment(-1));
  try {
    await batch.commit();
    counts[emoji] = (counts[emoji] ?? 1) - 1;
  } catch (error) {
    if (!failedWith(error, NOT_FOUND)) throw error;
  }
  return { chatId, number, emoji, reacted: false, reactions: reactionCounts(counts) };
}

/** Reads the chat (as a member that may send) and the message, which must be there and not deleted. */
async function readReactable(db: Firestore, { uid, chatId, number }: Reaction): Promise<DocumentSnapshot> {
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, uid, refs.message(db, chatId, number));
  requireCanSend(chatSnap, uid, memberSnap);
  requireReactable(more[0], number);
  return more[0];
}

function requireReactable(snap: DocumentSnapshot, number: number): MessageDoc {
  if (!snap.exists) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  const message = snap.data() as MessageDoc;
  if (message.deleted) throw new AppError("failed-precondition", `Message ${number} was deleted.`);
  return message;
}
