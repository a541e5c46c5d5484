import type { Firestore, Query, QueryDocumentSnapshot } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { refs, type MessageDoc } from "../shared/model.js";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { toMessageViewsForMember } from "./my-reactions.js";
import { searchWords } from "./search-words.js";
import type { MessagePage } from "./views.js";

/** Most messages one search page reads, matching or not; past it the page ends with a cursor. */
export const SEARCH_SCAN_LIMIT = 200;

/** A search: the query text, the page size, and where the previous page stopped. */
export interface SearchInput {
  q: string;
  limit: number;
  before?: number;
}

/**
 * Searches `chatId` for a member: the messages whose `words` hold every word of `q` (as
 * {@link searchWords} folds them: case and accents ignored, whole words), newest first.
 * Deleted messages (their words are gone) and those the caller hid never match. Firestore can
 * test one `array-contains` per query, so it queries the longest word (the rarest, likely) by
 * the composite index `messages` (`words` array-contains, `number` desc) and checks the others
 * on each doc read; a page ends after `limit` matches or {@link SEARCH_SCAN_LIMIT} docs read,
 * and `nextBefore` continues from where it stopped.
 * Reads `chats/{chatId}`, the member doc (rooms), `chats/{chatId}/hidden/{uid}` (2-3), then
 * each message holding the longest word, up to `limit + 1` per query round and at most
 * {@link SEARCH_SCAN_LIMIT} (1 read when none), plus the caller's reactions when a match has any.
 * @throws AppError `invalid-argument` (no word in `q`), `not-found` (no chat, not a member).
 */
export async function searchMessages(db: Firestore, callerUid: string, chatId: string, input: SearchInput): Promise<MessagePage> {
  const terms = searchWords(input.q);
  if (terms.length === 0) throw new AppError("invalid-argument", "q: must hold a letter or a digit");
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, callerUid, refs.hidden(db, chatId, callerUid));
  requireMember(chatSnap, callerUid, memberSnap);
  const hidden = new Set(more[0].data()?.numbers ?? []);
  const [longest, ...others] = [...terms].sort((a, b) => b.length - a.length);
  let query: Query<MessageDoc> = refs.messages(db, chatId).where("words", "array-contains", longest).orderBy("number", "desc");
  if (input.before !== undefined) query = query.where("number", "<", input.before);

  const matches: QueryDocumentSnapshot<MessageDoc>[] = [];
  let scanned = 0;
  let last: number | null = null;
  // Whether the query has nothing beyond `last`: then there is no next page.
  let exhausted = false;
  scan: while (matches.length < input.limit && scanned < SEARCH_SCAN_LIMIT) {
    const round = Math.min(input.limit + 1, SEARCH_SCAN_LIMIT - scanned);
    const docs = (await (last === null ? query : query.startAfter(last)).limit(round).get()).docs;
    for (const [i, doc] of docs.entries()) {
      scanned++;
      const message: MessageDoc = doc.data();
      last = message.number;
      const words = new Set(message.words ?? []);
      if (!message.deleted && !hidden.has(message.number) && others.every((term) => words.has(term))) matches.push(doc);
      if (matches.length === input.limit) {
        exhausted = i === docs.length - 1 && docs.length < round;
        break scan;
      }
    }
    if (docs.length < round) {
      exhausted = true;
      break;
    }
  }
  const hasMore = !exhausted;
  return {
    messages: await toMessageViewsForMember(db, chatId, callerUid, matches),
    hasMore,
    nextBefore: hasMore ? last : null,
  };
}
