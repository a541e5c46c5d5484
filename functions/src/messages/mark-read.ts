import { FieldPath, FieldValue, Firestore, type DocumentSnapshot, type Transaction } from "firebase-admin/firestore";
import { memberRefOf, requireAccess } from "../timeline/chat-access.js";
import { privateStateWrite, readsArePrivate } from "../timeline/private-state.js";
import { AppError } from "../shared/errors.js";
import { getAll, refs, type ChatDoc, type MemberDoc, type UserSettingsDoc } from "../shared/model.js";
import { BadgeEdit, isRoomId, writeBadge } from "../timeline/badge.js";
import type { MarkReadBody } from "./schemas.js";
import type { ReadState } from "./views.js";

/**
 * Marks the caller's messages in `chatId` read up to `upTo` (default: all). The read position
 * never moves backwards; the caller's `notifyNewMessage` flag is cleared, and their unread
 * mentions up to it are pruned (`mentioned`; not by a private read, which writes nothing the
 * other member reads: views count only the mentions past the read position), and the chat's
 * share of their app badge (`badge`, `unreadTotal`) reads up to it. One transaction over
 * `chats/{chatId}` and `users-external-event/{uid}`, and:
 * - in a room, `chats/{roomId}/members/{uid}.lastRead`, which only they read (who-read lists
 *   leave out members with read receipts off); unread is then `messageCount - lastRead` (own
 *   sends and system messages about the member move `lastRead` too);
 * - in a 1:1 chat with read receipts on, `chats/{chatId}.lastRead.{uid}` (the other member's
 *   "seen") and `.unread.{uid}`: the number of others' messages after it (for a partial read, a
 *   count query on the messages);
 * - in a 1:1 chat with read receipts off, or a message request sent to the caller, only the
 *   caller's private state (`user-settings/{uid}.direct.{chatId}`, see {@link privateRead}).
 * In a 1:1 chat `user-settings/{uid}` is read to tell which. 3 reads (+2 count queries for a
 * partial read in a 1:1 chat), 2 writes (+1 for the first public read after private ones, to
 * remove the private state).
 * @throws AppError `not-found` (no chat, or not a member), `invalid-argument` when `upTo` is
 *   beyond the newest message.
 */
export async function markRead(db: Firestore, callerUid: string, chatId: string, input: MarkReadBody): Promise<ReadState> {
  const chatRef = refs.chat(db, chatId);
  const memberRef = memberRefOf(db, chatId, callerUid);
  // A room member's own doc, or in a 1:1 chat the settings that say whether the read is private.
  const settingsRef = memberRef ? undefined : refs.userSettings(db, callerUid);
  const eventRef = refs.externalEvent(db, callerUid);
  return db.runTransaction(async (tx) => {
    const [chatSnap, memberSnap, settingsSnap, eventSnap] = await getAll(tx, chatRef, memberRef, settingsRef, eventRef);
    const { chat, member } = requireAccess(chatSnap, callerUid, memberSnap);
    const settings = settingsSnap?.data();
    const upTo = input.upTo ?? chat.messageCount;
    if (upTo > chat.messageCount) {
      throw new AppError("invalid-argument", `upTo: must be at most ${chat.messageCount}, the newest message number`);
    }
    const read = { db, tx, chatId, uid: callerUid, chat, settings, upTo };
    const state =
      member && memberSnap
        ? roomRead(tx, { chatId, chat, member, memberSnap, upTo })
        : await (readsArePrivate(chat, callerUid, settings) ? privateRead(read) : publicRead(read));
    // Last: a transaction's writes must follow all its reads (a partial read counts messages).
    const badge = new BadgeEdit(eventSnap.data(), isRoomId);
    badge.read(chatId, state.lastRead);
    writeBadge(tx, eventSnap, badge, { notifyNewMessage: false });
    return state;
  });
}

/** A room member's read: their member doc, which only they read. */
function roomRead(
  tx: Transaction,
  read: {
    chatId: string;
    chat: ChatDoc;
    member: MemberDoc;
    memberSnap: DocumentSnapshot<MemberDoc>;
    upTo: number;
  },
): ReadState {
  const { chatId, chat, member } = read;
  const lastRead = Math.max(member.lastRead, read.upTo);
  const mentioned = member.mentioned && { mentioned: member.mentioned.filter((number) => number > lastRead) };
  tx.update(read.memberSnap.ref, { lastRead, ...mentioned });
  return { chatId, lastRead, unreadCount: chat.messageCount - lastRead };
}

/** What a read of a 1:1 chat works with. */
interface DirectRead {
  db: Firestore;
  tx: Transaction;
  chatId: string;
  uid: string;
  chat: ChatDoc;
  settings: UserSettingsDoc | undefined;
  upTo: number;
}

/** The caller's read position before this read: their private one or the chat's, whichever is further. */
function readBefore({ chat, chatId, uid, settings }: DirectRead): number {
  return Math.max(settings?.direct?.[chatId]?.readUpTo ?? 0, chat.lastRead?.[uid] ?? 0);
}

/**
 * A read the other member is shown: `lastRead.{uid}` and `unread.{uid}` on the chat doc. Private
 * read state left from before (receipts were off) is removed, and the read position shown is at
 * least the private one: turning receipts back on shows what was read meanwhile.
 */
async function publicRead(read: DirectRead): Promise<ReadState> {
  const { db, tx, chatId, uid, chat, settings } = read;
  const lastRead = Math.max(readBefore(read), read.upTo);
  const unreadCount = lastRead === chat.messageCount ? 0 : await countUnread(read, lastRead);
  const mentioned = chat.mentioned?.[uid];
  // prettier-ignore
  tx.update(
    refs.chat(db, chatId),
    new FieldPath("lastRead", uid), lastRead,
    new FieldPath("unread", uid), unreadCount,
    ...(mentioned ? [new FieldPath("mentioned", uid), mentioned.filter((number) => number > lastRead)] : []),
  );
  const own = settings?.direct?.[chatId];
  if (own?.readUpTo !== undefined || own?.readOffset !== undefined) {
    const cleared = { readUpTo: FieldValue.delete(), readOffset: FieldValue.delete() };
    tx.set(...privateStateWrite(db, uid, chatId, cleared), { merge: true });
  }
  return { chatId, lastRead, unreadCount };
}

/**
 * A read no one else is shown (read receipts off, or a message request sent to the caller): the
 * chat doc's `unread.{uid}` keeps counting the other's messages, and the caller's private state
 * records their read position (`readUpTo`) and how many of those counted they have read
 * (`readOffset`), so their unread count is `unread.{uid} - readOffset`. The chat doc is not
 * written at all: a `lastRead.{uid}` on it from before stays where it was (removing it would
 * tell the other member when this read happened).
 */
async function privateRead(read: DirectRead): Promise<ReadState> {
  const { db, tx, chatId, uid, chat } = read;
  const lastRead = Math.max(readBefore(read), read.upTo);
  const unreadCount = lastRead === chat.messageCount ? 0 : await countUnread(read, lastRead);
  const readOffset = Math.max(0, (chat.unread?.[uid] ?? 0) - unreadCount);
  tx.set(...privateStateWrite(db, uid, chatId, { readUpTo: lastRead, readOffset }), { merge: true });
  return { chatId, lastRead, unreadCount };
}

/** Messages after `lastRead` that others sent (composite index: messages `from` + `number`). */
async function countUnread({ tx, db, chatId, uid }: DirectRead, lastRead: number): Promise<number> {
  const after = refs.messages(db, chatId).where("number", ">", lastRead);
  const [all, mine] = await Promise.all([tx.get(after.count()), tx.get(after.where("from", "==", uid).count())]);
  return all.data().count - mine.data().count;
}
