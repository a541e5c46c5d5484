import { FieldPath, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { collections, refs, type MessageDoc } from "../shared/model.js";
import { isConflict } from "../shared/optimistic.js";
import { searchWords } from "./search-words.js";

/** Messages read per page (each one to index is one update: under 500 per batch). */
const MESSAGE_PAGE = 300;

/** What a search-words migration run did. */
export interface WordsMigrationReport {
  /** Messages this run gave their `words`. */
  indexed: number;
  /** Messages read. */
  read: number;
}

/** Whether `doc` is a message of `chats/{chatId}/messages` that search should find but can't yet. */
function needsWords(doc: QueryDocumentSnapshot<MessageDoc>): boolean {
  const message = doc.data();
  const inChats = doc.ref.parent.parent?.parent.id === collections.chats;
  return inChats && message.words === undefined && !message.deleted && message.type !== "system" && message.text !== "";
}

/**
 * Gives messages sent before search their `words` (see {@link searchWords}), so that search
 * finds them: reads every `chats/{chatId}/messages` doc (collection group `messages`, by path,
 * {@link MESSAGE_PAGE} at a time) and updates those without `words`, one batch per page, each
 * update conditioned on the message being unchanged since read (an edit meanwhile writes its own
 * words; the page is then read again). Idempotent and resumable.
 */
export async function migrateSearchWords(db: Firestore): Promise<WordsMigrationReport> {
  const report: WordsMigrationReport = { indexed: 0, read: 0 };
  const all = refs.messageGroup(db).orderBy(FieldPath.documentId()).limit(MESSAGE_PAGE);
  let after: QueryDocumentSnapshot<MessageDoc> | undefined;
  for (;;) {
    const docs = (await (after ? all.startAfter(after) : all).get()).docs;
    const batch = db.batch();
    const indexing = docs
      .filter(needsWords)
      .map((doc) => ({ doc, words: searchWords(doc.data().text) }))
      .filter(({ words }) => words.length > 0);
    for (const { doc, words } of indexing) batch.update(doc.ref, { words }, { lastUpdateTime: doc.updateTime });
    try {
      await batch.commit();
    } catch (error) {
      if (isConflict(error)) continue;
      throw error;
    }
    report.read += docs.length;
    report.indexed += indexing.length;
    if (docs.length < MESSAGE_PAGE) return report;
    after = docs[docs.length - 1];
  }
}
