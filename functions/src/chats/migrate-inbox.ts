import { FieldPath, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { refs, type ChatDoc } from "../shared/model.js";

/** Chats read per page (each one to migrate is one update: under 500 per batch). */
const CHAT_PAGE = 300;

/** What an inbox migration run did. */
export interface InboxMigrationReport {
  /** 1:1 chats this run gave their `inbox`. */
  migrated: number;
  /** 1:1 chats read. */
  read: number;
}

/**
 * Gives 1:1 chats made before message requests their `inbox` (both `members`), so that the chat
 * list (`inbox` array-contains uid) shows them: reads every `chats` doc of `type` `direct` (by
 * id, {@link CHAT_PAGE} at a time) and updates those without `inbox`, one batch per page. Such a
 * chat is never a request, and nothing else writes `inbox` on it, so the update needs no
 * precondition but the chat's existence. Idempotent and resumable.
 */
export async function migrateInbox(db: Firestore): Promise<InboxMigrationReport> {
  const report: InboxMigrationReport = { migrated: 0, read: 0 };
  const all = refs.chats(db).where("type", "==", "direct").orderBy(FieldPath.documentId()).limit(CHAT_PAGE);
  let after: QueryDocumentSnapshot<ChatDoc> | undefined;
  for (;;) {
    const docs = (await (after ? all.startAfter(after) : all).get()).docs;
    const batch = db.batch();
    const missing = docs.filter((doc) => doc.data().inbox === undefined);
    for (const doc of missing) batch.update(doc.ref, { inbox: doc.data().members ?? [] });
    await batch.commit();
    report.read += docs.length;
    report.migrated += missing.length;
    if (docs.length < CHAT_PAGE) return report;
    after = docs[docs.length - 1];
  }
}
