import { Timestamp, type DocumentReference, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { editHistoryRefs } from "../messages/edit-history.js";
import { collections, getAll, refs, type MessageDoc } from "../shared/model.js";
import { dropFromBadges, threadKey } from "../timeline/badge.js";
import { messageObjectPaths } from "../files/message-objects.js";

const DAY_MS = 86_400_000;

/** What one run of the retention job did. `done` is false when it stopped at its deadline. */
export interface RetentionReport {
  deletedMessages: number;
  deletedObjects: number;
  previewsCleared: number;
  done: boolean;
}

/** `true` for `chats/{chatId}/messages/{id}`: Parley's messages, not another app's. */
function isChatMessage(ref: DocumentReference): boolean {
  const chat = ref.parent.parent;
  return chat !== null && chat.parent.id === collections.chats && chat.parent.parent === null;
}

/** The chat of a message found by {@link isChatMessage}. */
function chatIdOf(ref: DocumentReference): string {
  return ref.parent.parent?.id ?? "";
}

/**
 * The threads of `messages` that have one: each thread doc `chats/{chatId}/threads/{id}` with
 * its replies, by `recursiveDelete` (1 read per reply listed, 1 delete each), after its share
 * leaves its participants' app badges (the thread doc and their event docs read, at most 1
 * write each: `dropFromBadges`). A thread goes with
 * its parent, and before it, as edit histories do: every reply is newer than its parent, so no
 * reply outlives retention, and a run that dies in between finds the parent again.
 */
async function deleteThreads(db: Firestore, messages: QueryDocumentSnapshot<MessageDoc>[]): Promise<void> {
  for (const doc of messages) {
    const { thread, number } = doc.data();
    if (!thread) continue;
    const chatId = chatIdOf(doc.ref);
    const threadRef = refs.thread(db, chatId, number);
    const participants = (await threadRef.get()).data()?.participants ?? [];
    await dropFromBadges(db, threadKey(chatId, number), participants);
    await db.recursiveDelete(threadRef);
  }
}

/** What {@link deleteExpiredMessages} deletes, how, and until when. */
export interface DeleteExpiredMessagesOptions {
  /** Removes Cloud Storage objects by path; objects already gone are fine. */
  deleteObjects: (paths: string[]) => Promise<void>;
  /** The run's time: messages are kept `retentionDays` back from it. */
  now: Date;
  /** Days a message is kept (`RETENTION_DAYS`); 0 keeps everything. */
  retentionDays: number;
  /** Messages per batch; default 500. */
  batchSize?: number;
  /** No new batch is started after it; default: none. */
  deadline?: Date;
}

/**
 * Message retention: deletes every message created more than `retentionDays` before `now`
 * (0 keeps everything), oldest first, in batches of `batchSize` through a BulkWriter, with
 * their Cloud Storage objects (files, thumbnails, link preview images; deleted first), their edit histories
 * (`chats/{chatId}/messages/{id}/edits/1..editCount`, known from the message: no read) and
 * their threads (`chats/{chatId}/threads/{id}` and its replies). Numbers stay taken (`messageCount` is kept);
 * when a chat's newest message goes, its `lastMessage` becomes `null` (a conditional write that
 * yields to a message sent meanwhile). Each batch is complete on its own, so a run stopped by
 * `deadline` or a timeout is resumed by the next run. Collection-group query on `messages` by
 * `createdAt` (index in firestore.indexes.json); only `chats/{chatId}/messages` are touched,
 * however many other collections in the project are named `messages`.
 */
export async function deleteExpiredMessages(db: Firestore, options: DeleteExpiredMessagesOptions): Promise<RetentionReport> {
  const { deleteObjects, now, retentionDays } = options;
  const report: RetentionReport = { deletedMessages: 0, deletedObjects: 0, previewsCleared: 0, done: true };
  if (retentionDays <= 0) return report;
  const cutoff = Timestamp.fromMillis(now.getTime() - retentionDays * DAY_MS);
  const expired = refs
    .messageGroup(db)
    .where("createdAt", "<", cutoff)
    .orderBy("createdAt")
    .limit(options.batchSize ?? 500);

  for (let page = expired; ;) {
    const found = (await page.get()).docs;
    if (found.length === 0) return report;
    // Read on from the last doc seen: docs of other apps' `messages` collections stay behind.
    page = expired.startAfter(found[found.length - 1]);
    const docs = found.filter((doc) => isChatMessage(doc.ref));
    if (docs.length === 0) continue;

    const paths = docs.flatMap((doc) => messageObjectPaths(doc.data()));
    await deleteObjects(paths);
    report.deletedObjects += paths.length;

    const newestGone = new Map<string, number>();
    for (const doc of docs) {
      const chatId = chatIdOf(doc.ref);
      newestGone.set(chatId, Math.max(newestGone.get(chatId) ?? 0, doc.data().number));
    }
    const chats = await getAll(db, ...[...newestGone.keys()].map((chatId) => refs.chat(db, chatId)));

    const writer = db.bulkWriter();
    // A failed precondition means a message arrived meanwhile: its preview is current.
    writer.onWriteError(() => false);
    // The edit histories first: a run that dies in between leaves the messages, which the next
    // run finds again, and never a history without its message.
    for (const doc of docs) for (const ref of editHistoryRefs(db, chatIdOf(doc.ref), doc.data())) void writer.delete(ref);
    await writer.flush();
    await deleteThreads(db, docs);
    for (const doc of docs) void writer.delete(doc.ref);
    for (const chat of chats) {
      const lastNumber = chat.data()?.lastMessage?.number;
      if (lastNumber === undefined || lastNumber > (newestGone.get(chat.id) ?? 0)) continue;
      writer.update(chat.ref, { lastMessage: null }, { lastUpdateTime: chat.updateTime }).then(
        () => report.previewsCleared++,
        () => undefined,
      );
    }
    await writer.close();
    report.deletedMessages += docs.length;
    if (options.deadline && Date.now() > options.deadline.getTime()) return { ...report, done: false };
  }
}
