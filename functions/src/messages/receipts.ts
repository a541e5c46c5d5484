import type { Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { exists, getAll, receiptsOff, refs, type ChatDoc } from "../shared/model.js";
import { directDeliveredUpTo, memberDeliveredUpTo } from "./mark-delivered.js";
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
 * Who has read message `number` of `chatId`, and who has it delivered, for a member: the members
 * other than its sender whose read position (`lastRead`) reached it, and those whose reported
 * delivered position (`markDelivered`) or read position did (seen implies delivered), leaving
 * out those whose reads are private (read receipts off). A 1:1 chat answers from its doc (public
 * read and delivered positions are there). A room of at most `maxListed` members lists them (by
 * uid), read from `chats/{roomId}/members` where `lastRead >=` the number and where
 * `deliveredUpTo >=` it, without those whose settings turn receipts off (1 read of
 * `user-settings/{uid}` per member found); a larger room answers only `readCount` and
 * `deliveredCount`, from count aggregations over the same fields (1 read per 1,000 members
 * counted, each; a composite index `deliveredUpTo` + `lastRead`), which name no one and count every member.
 * Reads `chats/{chatId}`, the caller's member doc (rooms), the message and the caller's
 * `user-settings/{uid}` (3-4), plus in a room the members found and their settings (2 per
 * member, at least 2) or the two counts and the sender's member doc (at least 3).
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
  if (chat.type === "direct") return directReceipts(chatId, chat, number, sender);
  if ((chat.memberCount ?? 0) <= maxListed) return listedReceipts(db, { chatId, number, sender });
  return countedReceipts(db, { chatId, number, sender });
}

/** A 1:1 chat's receipts, from the public read and delivered positions on its doc. */
function directReceipts(chatId: string, chat: ChatDoc, number: number, sender: string | null): Receipts {
  const others = (chat.members ?? []).filter((uid) => uid !== sender);
  const readers = others
    .filter((uid) => (chat.lastRead?.[uid] ?? 0) >= number)
    .map((uid) => ({ uid, lastRead: chat.lastRead?.[uid] ?? 0 }));
  const deliveredTo = others.filter((uid) => directDeliveredUpTo(chat, uid) >= number);
  return { chatId, number, readCount: readers.length, readers, deliveredCount: deliveredTo.length, deliveredTo };
}

/** Which message of which room, sent by whom, {@link listedReceipts} and {@link countedReceipts} answer for. */
interface RoomMessage {
  chatId: string;
  number: number;
  sender: string | null;
}

/**
 * A room's receipts by uid: the member docs whose `lastRead` or `deliveredUpTo` reached the
 * message (two queries), without the sender and those whose read receipts are off.
 */
async function listedReceipts(db: Firestore, { chatId, number, sender }: RoomMessage): Promise<Receipts> {
  const members = refs.members(db, chatId);
  const [read, delivered] = await Promise.all([
    members.where("lastRead", ">=", number).get(),
    members.where("deliveredUpTo", ">=", number).get(),
  ]);
  const byUid = new Map([...read.docs, ...delivered.docs].map((doc) => [doc.id, doc.data()]));
  byUid.delete(sender ?? "");
  const shown = await showingReceipts(db, [...byUid.keys()]);
  const listed = [...byUid.values()].filter(({ uid }) => shown.has(uid)).sort((a, b) => (a.uid < b.uid ? -1 : 1));
  const readers = listed.filter(({ lastRead }) => lastRead >= number).map(({ uid, lastRead }) => ({ uid, lastRead }));
  const deliveredTo = listed.map(({ uid }) => uid);
  return { chatId, number, readCount: readers.length, readers, deliveredCount: deliveredTo.length, deliveredTo };
}

/**
 * A large room's receipts as counts, without the sender: count aggregations over the member docs
 * whose `lastRead` reached the message (the readers), and those whose `deliveredUpTo` did while
 * their `lastRead` did not (delivered, not read; composite index `deliveredUpTo` + `lastRead`).
 */
async function countedReceipts(db: Firestore, { chatId, number, sender }: RoomMessage): Promise<Receipts> {
  const members = refs.members(db, chatId);
  const [read, unreadDelivered, senderSnap] = await Promise.all([
    members.where("lastRead", ">=", number).count().get(),
    members.where("deliveredUpTo", ">=", number).where("lastRead", "<", number).count().get(),
    sender ? refs.member(db, chatId, sender).get() : Promise.resolve(undefined),
  ]);
  const senderMember = senderSnap?.data();
  const senderRead = senderMember && senderMember.lastRead >= number ? 1 : 0;
  const senderHas = senderMember && memberDeliveredUpTo(senderMember) >= number ? 1 : 0;
  const readCount = read.data().count;
  return {
    chatId,
    number,
    readCount: readCount - senderRead,
    readers: null,
    deliveredCount: readCount + unreadDelivered.data().count - senderHas,
    deliveredTo: null,
  };
}

/** Those of `uids` whose read receipts are on: their `user-settings/{uid}` (1 read each). */
async function showingReceipts(db: Firestore, uids: string[]): Promise<Set<string>> {
  if (uids.length === 0) return new Set();
  const settings = await getAll(db, ...uids.map((uid) => refs.userSettings(db, uid)));
  return new Set(uids.filter((_, i) => !receiptsOff(settings[i].data())));
}
