import { FieldPath, FieldValue, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { chatOfStored } from "../shared/docs.js";
import { refs, type ChatCompletionDoc, type EndedChatDoc, type StoredChatDoc } from "../shared/model.js";

/** Docs read per page; each one to migrate is its own transaction. */
const PAGE = 200;

/** What an ended-chats migration run did. */
export interface EndedChatsMigrationReport {
  /** Chats this run rewrote to `status` (`active`, `ended`) and `endedAt`, without `active` or `completedAt`. */
  migrated: number;
  /** Chats read. */
  read: number;
  /** `chat-completions` records moved to `ended-chats` (a move whose export was pending starts it). */
  records: number;
}

/**
 * Gives every chat one name for its end: rewrites `chats` docs stored before it (`status:
 * "completed"`, `completedAt`, a boolean `active`, or no `status`) as {@link chatOfStored} reads
 * them (`status: "active" | "ended"`, `endedAt`), and moves each `chat-completions/{chatId}`
 * record to `ended-chats/{chatId}` (`endedAt` for `completedAt`). A record not yet exported is
 * `create`d there, which starts `onChatEnded`'s export; one already there is left as it is.
 *
 * Reads every chat (by id, {@link PAGE} at a time) and every record; each change is one
 * transaction that reads the doc again, so a chat ended or sent to meanwhile keeps what was
 * written since. Idempotent and resumable; the running functions read both shapes
 * (`chatOfStored`, the rules' `isOpenTo`), so it may run while they take traffic.
 */
export async function migrateEndedChats(db: Firestore): Promise<EndedChatsMigrationReport> {
  const report: EndedChatsMigrationReport = { migrated: 0, read: 0, records: 0 };
  const all = refs.storedChats(db).orderBy(FieldPath.documentId()).limit(PAGE);
  let after: QueryDocumentSnapshot<StoredChatDoc> | undefined;
  for (;;) {
    const docs = (await (after ? all.startAfter(after) : all).get()).docs;
    const moved = await Promise.all(docs.filter((doc) => isLegacy(doc.data())).map((doc) => migrateChat(db, doc.id)));
    report.read += docs.length;
    report.migrated += moved.filter(Boolean).length;
    if (docs.length < PAGE) break;
    after = docs[docs.length - 1];
  }
  report.records = await moveCompletions(db);
  return report;
}

/** The chat is stored in a shape from before `ended` (see {@link chatOfStored}). */
function isLegacy(chat: StoredChatDoc): boolean {
  return chat.status === undefined || chat.status === "completed" || "active" in chat || "completedAt" in chat;
}

/** Rewrites `chats/{chatId}` in today's shape, in a transaction; answers whether it had to. */
async function migrateChat(db: Firestore, chatId: string): Promise<boolean> {
  const ref = refs.storedChats(db).doc(chatId);
  return db.runTransaction(async (tx) => {
    const stored = (await tx.get(ref)).data();
    if (!stored || !isLegacy(stored)) return false;
    const chat = chatOfStored(stored);
    tx.update(ref, {
      status: chat.status,
      endedAt: chat.endedAt ?? FieldValue.delete(),
      active: FieldValue.delete(),
      completedAt: FieldValue.delete(),
    });
    return true;
  });
}

/** Moves every `chat-completions` record to `ended-chats`, {@link PAGE} at a time; answers how many. */
async function moveCompletions(db: Firestore): Promise<number> {
  let moved = 0;
  for (;;) {
    const docs = (await refs.chatCompletions(db).limit(PAGE).get()).docs;
    await Promise.all(docs.map((doc) => moveCompletion(db, doc.id)));
    moved += docs.length;
    if (docs.length < PAGE) return moved;
  }
}

/** Moves one record in a transaction: `create`s `ended-chats/{chatId}` unless it exists, then deletes the old one. */
async function moveCompletion(db: Firestore, chatId: string): Promise<void> {
  const from = refs.chatCompletions(db).doc(chatId);
  const to = refs.endedChat(db, chatId);
  await db.runTransaction(async (tx) => {
    const [old, current] = await Promise.all([tx.get(from), tx.get(to)]);
    const record: ChatCompletionDoc | undefined = old.data();
    if (!record) return;
    if (!current.exists) tx.create(to, endedChatOf(record));
    tx.delete(from);
  });
}

function endedChatOf(record: ChatCompletionDoc): EndedChatDoc {
  const { completedAt, exportedAt, ...rest } = record;
  return { ...rest, endedAt: completedAt, ...(exportedAt ? { exportedAt } : {}) };
}
