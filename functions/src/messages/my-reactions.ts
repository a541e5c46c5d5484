import { FieldPath, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { messageId, refs, type MessageDoc } from "../shared/model.js";
import { toMessageViewOfSnap } from "./views.js";

/** Whose reactions {@link myReactionsOf} reads, on which messages. */
export interface MyReactionsOfOptions {
  /** The chat: `chats/{chatId}/reactions`. */
  chatId: string;
  /** The member who reacted. */
  uid: string;
  /** The first message number of the range. */
  from: number;
  /** The last message number of the range (inclusive). */
  to: number;
}

/**
 * The emoji member `uid` reacted with on messages `from`..`to` of `chatId`, by number, oldest
 * reaction first: one query over the id range of their reaction docs (1 read, +1 per reaction
 * found beyond the first).
 */
export async function myReactionsOf(db: Firestore, options: MyReactionsOfOptions) {
  const { chatId, uid, from, to } = options;
  const snap = await refs
    .reactions(db, chatId)
    .orderBy(FieldPath.documentId())
    .startAt(`${uid}_${messageId(from)}_`)
    .endAt(`${uid}_${messageId(to)}_\uf8ff`)
    .get();
  const docs = snap.docs.map((doc) => doc.data());
  docs.sort((a, b) => a.createdAt.toMillis() - b.createdAt.toMillis());
  const mine = new Map<number, string[]>();
  for (const { number, emoji } of docs) mine.set(number, [...(mine.get(number) ?? []), emoji]);
  return mine;
}

/**
 * The options member `uid` voted for in the polls numbered `from`..`to` of `chatId`, by number:
 * one query over the id range of their vote docs (`chats/{chatId}/votes/{uid}_{messageId}`;
 * 1 read, +1 per vote doc found beyond the first).
 */
export async function myVotesOf(db: Firestore, options: MyReactionsOfOptions): Promise<Map<number, number[]>> {
  const { chatId, uid, from, to } = options;
  const snap = await refs
    .votes(db, chatId)
    .orderBy(FieldPath.documentId())
    .startAt(`${uid}_${messageId(from)}`)
    .endAt(`${uid}_${messageId(to)}`)
    .get();
  return new Map(snap.docs.map((doc) => [doc.data().number, doc.data().options]));
}

/**
 * `snaps` (messages of `chatId`) as views for member `uid`, with their `myReactions` and, on
 * polls, `myVotes`. Queries the member's reactions ({@link myReactionsOf}) only when one of the
 * messages has any, and their votes ({@link myVotesOf}) only when one is a poll with votes.
 */
export async function toMessageViewsForMember(
  db: Firestore,
  chatId: string,
  uid: string,
  snaps: QueryDocumentSnapshot<MessageDoc>[],
) {
  const messages = snaps.map((snap) => snap.data());
  const range = (numbers: number[]) => ({ chatId, uid, from: Math.min(...numbers), to: Math.max(...numbers) });
  const reacted = messages.filter((message) => hasReactions(message)).map((message) => message.number);
  const voted = messages.filter((message) => !message.deleted && (message.poll?.voterCount ?? 0) > 0).map((m) => m.number);
  const [reactions, votes] = await Promise.all([
    reacted.length === 0 ? new Map<number, string[]>() : myReactionsOf(db, range(reacted)),
    voted.length === 0 ? new Map<number, number[]>() : myVotesOf(db, range(voted)),
  ]);
  return snaps.map((snap, i) => {
    const { number } = messages[i];
    return toMessageViewOfSnap(snap, { myReactions: reactions.get(number), myVotes: votes.get(number) });
  });
}

function hasReactions(message: MessageDoc): boolean {
  return !message.deleted && Object.values(message.reactions ?? {}).some((count) => count > 0);
}
