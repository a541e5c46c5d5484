import type { Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { exists, getAll, receiptsOff, refs } from "../shared/model.js";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import type { Receipts } from "./views.js";

/** Whose reads of which message {@link listReceipts} lists, for whom. */
export interface ListReceiptsOptions {
  /** Who asks: a member of the chat, with read receipts on. */
  callerUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The message's number. */
  number: number;
  /** The largest room whose readers are listed by uid (`RECEIPTS_MAX_MEMBERS`); larger ones get a count. */
  maxListed: number;
}

/**
 * Who has read message `number` of `chatId`, for a member: the members other than its sender
 * whose read position (`lastRead`) reached it, leaving out those whose reads are private (read
 * receipts off). A 1:1 chat answers from its doc (public read positions are there). A room of
 * at most `maxListed` members lists its readers (by uid), read from `chats/{roomId}/members`
 * where `lastRead >=` the number, without those whose settings turn receipts off (1 read of
 * `user-settings/{uid}` per reader); a larger room answers only
 * `readCount`, from a count aggregation over the same index (1 read per 1,000 readers), which
 * names no one and counts every reader.
 * Reads `chats/{chatId}`, the caller's member doc (rooms), the message and the caller's
 * `user-settings/{uid}` (3-4), plus in a room the readers and their settings (2 per reader, at
 * least 1) or the count and the sender's member doc (2).
 * @throws AppError `not-found` (no chat, not a member, no such message), `permission-denied`
 *   when the caller's own read receipts are off (who turns them off sees no one's).
 */
export async function listReceipts(db: Firestore, options: ListReceiptsOptions): Promise<Receipts> {
  const { callerUid, chatId, number, maxListed } = options;
  const { chatSnap, memberSnap, more } = await readAsMember(
    db,
    chatId,
    callerUid,
    refs.message(db, chatId, number),
    refs.userSettings(db, callerUid),
  );
  const chat = requireMember(chatSnap, callerUid, memberSnap);
  const [messageSnap, settingsSnap] = more;
  if (receiptsOff(settingsSnap.data())) {
    throw new AppError("permission-denied", "Your read receipts are off: turn them on to see who read a message.");
  }
  if (!exists(messageSnap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  const sender = messageSnap.data().from;
  if (chat.type === "direct") {
    const readers = Object.entries(chat.lastRead ?? {})
      .filter(([uid, lastRead]) => uid !== sender && lastRead >= number)
      .map(([uid, lastRead]) => ({ uid, lastRead }));
    return { chatId, number, readCount: readers.length, readers };
  }
  const read = refs.members(db, chatId).where("lastRead", ">=", number);
  if ((chat.memberCount ?? 0) <= maxListed) {
    const docs = (await read.get()).docs.map((doc) => doc.data()).filter(({ uid }) => uid !== sender);
    const shown = await showingReceipts(
      db,
      docs.map(({ uid }) => uid),
    );
    const readers = docs
      .filter(({ uid }) => shown.has(uid))
      .map(({ uid, lastRead }) => ({ uid, lastRead }))
      .sort((a, b) => (a.uid < b.uid ? -1 : 1));
    return { chatId, number, readCount: readers.length, readers };
  }
  const [count, senderSnap] = await Promise.all([
    read.count().get(),
    sender ? refs.member(db, chatId, sender).get() : Promise.resolve(undefined),
  ]);
  const senderCounted = (senderSnap?.data()?.lastRead ?? 0) >= number;
  return { chatId, number, readCount: count.data().count - (senderCounted ? 1 : 0), readers: null };
}

/** Those of `uids` whose read receipts are on: their `user-settings/{uid}` (1 read each). */
async function showingReceipts(db: Firestore, uids: string[]): Promise<Set<string>> {
  if (uids.length === 0) return new Set();
  const settings = await getAll(db, ...uids.map((uid) => refs.userSettings(db, uid)));
  return new Set(uids.filter((_, i) => !receiptsOff(settings[i].data())));
}
