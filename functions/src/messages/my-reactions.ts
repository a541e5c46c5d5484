import { FieldPath, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { messageId, refs, type MessageDoc } from "../shared/model.js";
import { toMessageView } from "./views.js";

/**
 * The emoji member `uid` reacted with on messages `from`..`to` of `chatId`, by number, oldest
 * reaction first: one query over the id range of their reaction docs (1 read, +1 per reaction
 * found beyond the first).
 */
export async function myReactionsOf(db: Firestore, chatId: string, uid: string, from: number, to: number) {
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
 * `snaps` (messages of `chatId`) as views for member `uid`, with their `myReactions`. Queries
 * the member's reactions ({@link myReactionsOf}) only when one of the messages has any.
 */
export async function toMessageViewsFor(db: Firestore, chatId: string, uid: string, snaps: QueryDocumentSnapshot<MessageDoc>[]) {
  const messages = snaps.map((snap) => snap.data());
  const reacted = messages.filter((message) => hasReactions(message));
  if (reacted.length === 0) return snaps.map((snap) => toMessageView(snap));
  const numbers = reacted.map((message) => message.number);
  const mine = await myReactionsOf(db, chatId, uid, Math.min(...numbers), Math.max(...numbers));
  return snaps.map((snap, i) => toMessageView(snap, mine.get(messages[i].number)));
}

function hasReactions(message: MessageDoc): boolean {
  return !message.deleted && Object.values(message.reactions ?? {}).some((count) => count > 0);
}
