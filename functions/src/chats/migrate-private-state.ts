import { FieldPath, FieldValue, type Firestore, type QueryDocumentSnapshot, type WriteBatch } from "firebase-admin/firestore";
import { getAll, refs, type ChatDoc } from "../shared/model.js";
import { privateStateWrite } from "../timeline/private-state.js";

/** Chats read per page (each one to migrate is at most 3 writes: under 500 per batch). */
const CHAT_PAGE = 150;

/** What a private-state migration run did. */
export interface PrivateStateMigrationReport {
  /** 1:1 chats this run took `blockedBy` or `mutedUntil` off. */
  migrated: number;
  /** Mutes moved into their member's `user-settings/{uid}`. */
  mutes: number;
  /** 1:1 chats read. */
  read: number;
}

/**
 * Takes what one member of a 1:1 chat keeps from the other off chat docs made before it was
 * private: `blockedBy` becomes `blocked` (which doesn't say who), and each `mutedUntil.{uid}`
 * moves to that member's `user-settings/{uid}.direct.{chatId}.mutedUntil`, unless they have muted
 * or unmuted since (their private state then wins). Reads every `chats` doc of `type` `direct`
 * (by id, {@link CHAT_PAGE} at a time) and the settings of the members with a mute, and writes
 * one batch per page. Idempotent and resumable; the running functions honour both layouts, so it
 * may run while they take traffic.
 */
export async function migratePrivateState(db: Firestore): Promise<PrivateStateMigrationReport> {
  const report: PrivateStateMigrationReport = { migrated: 0, mutes: 0, read: 0 };
  const all = refs.chats(db).where("type", "==", "direct").orderBy(FieldPath.documentId()).limit(CHAT_PAGE);
  let after: QueryDocumentSnapshot<ChatDoc> | undefined;
  for (;;) {
    const docs = (await (after ? all.startAfter(after) : all).get()).docs;
    const legacy = docs.filter((doc) => {
      const chat = doc.data();
      return chat.blockedBy !== undefined || chat.mutedUntil !== undefined;
    });
    const batch = db.batch();
    for (const doc of legacy) report.mutes += await migrateChat(db, batch, doc);
    await batch.commit();
    report.read += docs.length;
    report.migrated += legacy.length;
    if (docs.length < CHAT_PAGE) return report;
    after = docs[docs.length - 1];
  }
}

/** Adds one chat's moves to `batch`; answers how many mutes it moved. */
async function migrateChat(db: Firestore, batch: WriteBatch, doc: QueryDocumentSnapshot<ChatDoc>): Promise<number> {
  const chat = doc.data();
  const mutes = Object.entries(chat.mutedUntil ?? {});
  const settings = mutes.length === 0 ? [] : await getAll(db, ...mutes.map(([uid]) => refs.userSettings(db, uid)));
  let moved = 0;
  mutes.forEach(([uid, until], i) => {
    const own = settings[i].data()?.direct?.[doc.id];
    if (own && "mutedUntil" in own) return;
    batch.set(...privateStateWrite(db, uid, doc.id, { mutedUntil: until }), { merge: true });
    moved += 1;
  });
  const blocked = (chat.blockedBy?.length ?? 0) > 0 || chat.blocked === true ? true : FieldValue.delete();
  batch.update(doc.ref, { blocked, blockedBy: FieldValue.delete(), mutedUntil: FieldValue.delete() });
  return moved;
}
