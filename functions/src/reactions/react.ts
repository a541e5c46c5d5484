import {
  FieldPath,
  FieldValue,
  Timestamp,
  type DocumentSnapshot,
  type Firestore,
  type WriteBatch,
} from "firebase-admin/firestore";
import { AppError, grpcStatus, hasGrpcStatus } from "../shared/errors.js";
import { retryOnConflict } from "../shared/optimistic.js";
import { exists, refs, type MessageDoc, type ReactionDoc, type ShownEmojiDoc } from "../shared/model.js";
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
function reactionRef(db: Firestore, reaction: Reaction) {
  return refs.reaction(db, reaction);
}

/** A conflict for `retryOnConflict` (gRPC 9): the message changed its emoji since it was read. */
const emojiChanged = () =>
  Object.assign(new Error("The message's emoji changed meanwhile."), { code: grpcStatus.failedPrecondition });

/** How often a reaction re-reads the message after another writer changed its emoji first. */
const MAX_ATTEMPTS = 50;

type Counts = Record<string, number>;

/**
 * Adds `reaction` (an emoji already validated by `reactionEmoji`) to an active chat's message,
 * as a member: creates its {@link ReactionDoc} and increments the message's
 * `reactions.{emoji}` in one batch, with no read-write transaction. Reacting twice is a no-op
 * (the doc's `create` fails, so nothing is written).
 * - An emoji the message already shows carries no precondition on the message, so any number of
 *   members can react at once and the count stays exact. The batch updates the emoji's
 *   {@link ShownEmojiDoc} (it must exist), so an emoji taken away meanwhile is not brought back
 *   past the cap: the add re-reads the message and counts as a new emoji. (A message that shows
 *   an emoji from before shown-emoji docs existed gets the doc on the first add, as a new one.)
 * - An emoji new to the message is held to `maxEmoji` distinct emoji: its batch carries the
 *   message's update time as read, creates the shown-emoji doc, and drops keys left at 0.
 * Reads `chats/{chatId}`, the member doc (rooms) and the message (2-3 reads; +1 per lost race);
 * writes the reaction doc, the message and the shown-emoji doc (3 writes; none for a repeat).
 * @throws AppError `not-found` (no chat, not a member, no message), `failed-precondition` (ended
 *   chat, deleted message, `maxEmoji` reached), `permission-denied` (a 1:1 chat with a block),
 *   `aborted` (lost every race).
 */
export async function addReaction(db: Firestore, now: Date, reaction: Reaction, maxEmoji: number): Promise<ReactionState> {
  const { chatId, number, emoji } = reaction;
  const messageRef = refs.message(db, chatId, number);
  const doc: ReactionDoc = { uid: reaction.uid, number, emoji, createdAt: Timestamp.fromDate(now) };
  let messageSnap = await readReactable(db, reaction);
  let shownDocKnown = true;
  const counts = await retryOnConflict(
    MAX_ATTEMPTS,
    async (attempt) => {
      if (attempt > 1) messageSnap = await messageRef.get();
      const counts: Counts = { ...(requireReactable(messageSnap, number).reactions ?? {}) };
      const shown = (counts[emoji] ?? 0) > 0;
      if (!shown && Object.values(counts).filter((count) => count > 0).length >= maxEmoji) {
        throw new AppError("failed-precondition", `A message holds at most ${maxEmoji} different reactions.`);
      }
      const batch = db.batch();
      batch.create(reactionRef(db, reaction), doc);
      if (shown && shownDocKnown) {
        batch.update(messageRef, new FieldPath("reactions", emoji), FieldValue.increment(1));
        batch.update(refs.shownEmoji(db, chatId, number, emoji), { number });
      } else {
        changeShownEmoji(db, batch, { chatId, number, emoji, counts, snap: messageSnap, add: true });
      }
      try {
        await batch.commit();
      } catch (error) {
        if (hasGrpcStatus(error, grpcStatus.alreadyExists)) return counts;
        if (!hasGrpcStatus(error, grpcStatus.notFound)) throw error;
        // The emoji was taken away meanwhile, or was shown before shown-emoji docs existed.
        shownDocKnown = false;
        throw emojiChanged();
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
 * nothing is written). The last reaction of an emoji removes its key and its
 * {@link ShownEmojiDoc}, under the message's update time as read. Reads as
 * {@link addReaction} (2-3); writes 2, or 3 for an emoji's last (none for a no-op).
 * @throws AppError as {@link addReaction}, but never for the emoji cap.
 */
export async function removeReaction(db: Firestore, reaction: Reaction): Promise<ReactionState> {
  const { chatId, number, emoji } = reaction;
  const messageRef = refs.message(db, chatId, number);
  let messageSnap = await readReactable(db, reaction);
  const counts = await retryOnConflict(
    MAX_ATTEMPTS,
    async (attempt) => {
      if (attempt > 1) messageSnap = await messageRef.get();
      const counts: Counts = { ...(requireReactable(messageSnap, number).reactions ?? {}) };
      const batch = db.batch();
      batch.delete(reactionRef(db, reaction), { exists: true });
      const last = (counts[emoji] ?? 0) <= 1;
      if (last) changeShownEmoji(db, batch, { chatId, number, emoji, counts, snap: messageSnap, add: false });
      else batch.update(messageRef, new FieldPath("reactions", emoji), FieldValue.increment(-1));
      try {
        await batch.commit();
      } catch (error) {
        if (hasGrpcStatus(error, grpcStatus.notFound)) return counts;
        throw error;
      }
      return { ...counts, [emoji]: (counts[emoji] ?? 1) - 1 };
    },
    () => new AppError("aborted", "Too many reactions are changing on this message at once; retry."),
  );
  return { chatId, number, emoji, reacted: false, reactions: reactionCounts(counts) };
}

/** What {@link changeShownEmoji} changes: `emoji` comes to (`add`) or leaves message `number`. */
interface EmojiChange {
  chatId: string;
  number: number;
  emoji: string;
  /** The message's counts as read in `snap`. */
  counts: Counts;
  snap: DocumentSnapshot<MessageDoc>;
  add: boolean;
}

/**
 * Adds to `batch` a change to the set of emoji a message shows, under the message's update time
 * in `snap`: `emoji`'s count goes up by one (with its shown-emoji doc) or its key goes (with
 * the doc), and every other key left at 0 by racing take-backs goes with its doc too.
 */
function changeShownEmoji(db: Firestore, batch: WriteBatch, change: EmojiChange): void {
  const { chatId, number, emoji, counts, snap, add } = change;
  const zeros = Object.keys(counts).filter((key) => key !== emoji && (counts[key] ?? 0) <= 0);
  const fields: unknown[] = [new FieldPath("reactions", emoji), add ? FieldValue.increment(1) : FieldValue.delete()];
  for (const key of zeros) {
    fields.push(new FieldPath("reactions", key), FieldValue.delete());
    batch.delete(refs.shownEmoji(db, chatId, number, key));
  }
  const [field, value, ...more] = fields;
  batch.update(snap.ref, field as FieldPath, value, ...more, { lastUpdateTime: snap.updateTime as Timestamp });
  const shownRef = refs.shownEmoji(db, chatId, number, emoji);
  if (add) batch.set(shownRef, { number, emoji } satisfies ShownEmojiDoc);
  else batch.delete(shownRef);
}

/** Reads the chat (as a member that may send) and the message, which must be there and not deleted. */
async function readReactable(db: Firestore, { uid, chatId, number }: Reaction): Promise<DocumentSnapshot<MessageDoc>> {
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, uid, refs.message(db, chatId, number));
  requireCanSend(chatSnap, uid, memberSnap);
  requireReactable(more[0], number);
  return more[0];
}

function requireReactable(snap: DocumentSnapshot<MessageDoc>, number: number): MessageDoc {
  if (!exists(snap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  const message = snap.data();
  if (message.deleted) throw new AppError("failed-precondition", `Message ${number} was deleted.`);
  return message;
}
