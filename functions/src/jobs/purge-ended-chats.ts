import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { refs, type ChatDoc } from "../shared/model.js";
import { dropFromBadges } from "../timeline/badge.js";

const DAY_MS = 86_400_000;

/** What one run of the purge job did. `done` is false when it stopped at its deadline. */
export interface PurgeReport {
  deletedChats: number;
  done: boolean;
}

/** What {@link purgeEndedChats} purges, how, and until when. */
export interface PurgeEndedChatsOptions {
  /** Removes every Cloud Storage object under a prefix. */
  deletePrefix: (prefix: string) => Promise<void>;
  /** The run's time: chats completed `afterDays` before it go. */
  now: Date;
  /** Days an ended chat is kept (`PURGE_ENDED_AFTER_DAYS`). */
  afterDays: number;
  /** Chats per batch; default 20. */
  batchSize?: number;
  /** No new batch is started after it; default: none. */
  deadline?: Date;
}

/**
 * Deletes chats that completed more than `afterDays` before `now`, `batchSize` at a time:
 * first their Cloud Storage objects (`chats/{chatId}/` and `exports/{chatId}/`) and the chat's
 * shares of its members' app badges (`users-external-event/{uid}.badge`; a room's members read
 * from its member docs), then the chat
 * doc with every subcollection (`recursiveDelete`: messages with their edit histories, idempotency keys, hidden lists),
 * its invite and its completion record. A chat is only gone from the query once all of that is
 * done, so a run stopped by `deadline` or a timeout is resumed by the next run.
 * Query: `chats` where `status == "ended"` and `endedAt` < cutoff (composite index).
 */
export async function purgeEndedChats(db: Firestore, options: PurgeEndedChatsOptions): Promise<PurgeReport> {
  const { deletePrefix, now, afterDays } = options;
  const cutoff = Timestamp.fromMillis(now.getTime() - afterDays * DAY_MS);
  const due = refs
    .chats(db)
    .where("status", "==", "ended")
    .where("endedAt", "<", cutoff)
    .orderBy("endedAt")
    .limit(options.batchSize ?? 20);
  let deletedChats = 0;
  for (;;) {
    const chats = (await due.get()).docs;
    if (chats.length === 0) return { deletedChats, done: true };
    for (const chat of chats) {
      await Promise.all([deletePrefix(`chats/${chat.id}/`), deletePrefix(`exports/${chat.id}/`)]);
      await dropFromBadges(db, chat.id, await membersOf(db, chat.id, chat.data()));
      const { inviteCode } = chat.data();
      const batch = db.batch();
      if (inviteCode) batch.delete(refs.invite(db, inviteCode));
      batch.delete(refs.endedChat(db, chat.id));
      await batch.commit();
      await db.recursiveDelete(chat.ref);
      deletedChats++;
    }
    if (options.deadline && Date.now() > options.deadline.getTime()) return { deletedChats, done: false };
  }
}

/** The uids of a chat's members: a 1:1 chat's `members`, a room's member docs (ids only). */
async function membersOf(db: Firestore, chatId: string, chat: ChatDoc): Promise<string[]> {
  if (chat.type !== "room") return chat.members ?? [];
  return (await refs.members(db, chatId).select().get()).docs.map((doc) => doc.id);
}
