import {
  FieldPath,
  FieldValue,
  Firestore,
  type DocumentSnapshot,
  type Timestamp,
  type WriteBatch,
} from "firebase-admin/firestore";
import { memberRefOf, requireAccess } from "../timeline/chat-access.js";
import { privateStateWrite, readsArePrivate, writePrivateStateOver } from "../timeline/private-state.js";
import { AppError } from "../shared/errors.js";
import { retryOnConflict } from "../shared/optimistic.js";
import { getAll, refs, type ChatDoc, type MemberDoc, type UserSettingsDoc } from "../shared/model.js";
import { BadgeEdit, isRoomId, writeBadge } from "../timeline/badge.js";
import type { MarkReadBody } from "./schemas.js";
import type { ReadState } from "./views.js";

/** How often {@link markRead} tries while the docs it writes keep changing under it. */
const MARK_READ_MAX_ATTEMPTS = 12;

/**
 * Marks the caller's messages in `chatId` read up to `upTo` (default: all). The read position
 * never moves backwards; the caller's `notifyNewMessage` flag is cleared, and their unread
 * mentions up to it are pruned (`mentioned`; not by a private read, which writes nothing the
 * other member reads: views count only the mentions past the read position), and the chat's
 * share of their app badge (`badge`, `unreadTotal`) reads up to it. Reads `chats/{chatId}` and
 * `users-external-event/{uid}`, and writes the event doc and:
 * - in a room, `chats/{roomId}/members/{uid}.lastRead`, which only they read (who-read lists
 *   leave out members with read receipts off); unread is then `messageCount - lastRead` (own
 *   sends and system messages about the member move `lastRead` too);
 * - in a 1:1 chat with read receipts on, `chats/{chatId}.lastRead.{uid}` (the other member's
 *   "seen") and `.unread.{uid}`: the number of others' messages after it (for a partial read, a
 *   count query on the messages);
 * - in a 1:1 chat with read receipts off, or a message request sent to the caller, only the
 *   caller's private state (`user-settings/{uid}.direct.{chatId}`, see {@link privateRead}).
 * In a 1:1 chat `user-settings/{uid}` is read to tell which.
 *
 * No transaction: a read-write transaction locks the chat doc it reads, and every send into the
 * chat waits behind it (on the emulator up to its lock timeout). The docs are read, and one batch
 * writes each doc over its update time as read ({@link retryOnConflict}: a doc changed meanwhile
 * means read again). Count queries read at the docs' read time, so they agree with them.
 * 3 reads (+2 count queries for a partial read in a 1:1 chat), 2 writes (+1 for the first public
 * read after private ones, to remove the private state), per attempt; a read that moves nothing
 * (no read position, unread count, mention or badge share changes, `notifyNewMessage` already
 * clear) writes nothing, so repeating it costs reads only.
 * @throws AppError `not-found` (no chat, or not a member), `invalid-argument` when `upTo` is
 *   beyond the newest message, `aborted` when the docs kept changing for every attempt.
 */
export async function markRead(db: Firestore, callerUid: string, chatId: string, input: MarkReadBody): Promise<ReadState> {
  const chatRef = refs.chat(db, chatId);
  const memberRef = memberRefOf(db, chatId, callerUid);
  // A room member's own doc, or in a 1:1 chat the settings that say whether the read is private.
  const settingsRef = memberRef ? undefined : refs.userSettings(db, callerUid);
  const eventRef = refs.externalEvent(db, callerUid);
  return retryOnConflict(
    MARK_READ_MAX_ATTEMPTS,
    async () => {
      const [chatSnap, memberSnap, settingsSnap, eventSnap] = await getAll(db, chatRef, memberRef, settingsRef, eventRef);
      const { chat, member } = requireAccess(chatSnap, callerUid, memberSnap);
      const upTo = input.upTo ?? chat.messageCount;
      if (upTo > chat.messageCount) {
        throw new AppError("invalid-argument", `upTo: must be at most ${chat.messageCount}, the newest message number`);
      }
      const batch = db.batch();
      const read = { db, batch, chatId, uid: callerUid, chatSnap, chat, settingsSnap, upTo };
      const state =
        member && memberSnap
          ? roomRead(batch, { chatId, chat, member, memberSnap, upTo })
          : await (readsArePrivate(chat, callerUid, settingsSnap?.data()) ? privateRead(read) : publicRead(read));
      const badge = new BadgeEdit(eventSnap.data(), isRoomId);
      badge.read(chatId, state.lastRead);
      if (badge.changed || eventSnap.data()?.notifyNewMessage !== false) {
        writeBadge(batch, eventSnap, badge, { notifyNewMessage: false });
      }
      // A read that moves nothing writes nothing (an empty batch commits nothing).
      await batch.commit();
      return state;
    },
    () => new AppError("aborted", "The chat kept changing while it was marked read; try again."),
  );
}

/** A room member's read: their member doc, which only they read, over its update time as read. */
function roomRead(
  batch: WriteBatch,
  read: {
    chatId: string;
    chat: ChatDoc;
    member: MemberDoc;
    memberSnap: DocumentSnapshot<MemberDoc>;
    upTo: number;
  },
): ReadState {
  const { chatId, chat, member, memberSnap } = read;
  const lastRead = Math.max(member.lastRead, read.upTo);
  const stillMentioned = member.mentioned?.filter((number) => number > lastRead);
  if (lastRead !== member.lastRead || stillMentioned?.length !== member.mentioned?.length) {
    const mentioned = stillMentioned && { mentioned: stillMentioned };
    batch.update(memberSnap.ref, { lastRead, ...mentioned }, { lastUpdateTime: memberSnap.updateTime as Timestamp });
  }
  return { chatId, lastRead, unreadCount: chat.messageCount - lastRead };
}

/** What a read of a 1:1 chat works with: the docs as read, and the batch that writes over them. */
interface DirectRead {
  db: Firestore;
  batch: WriteBatch;
  chatId: string;
  uid: string;
  chatSnap: DocumentSnapshot<ChatDoc>;
  chat: ChatDoc;
  /** `user-settings/{uid}` as read. */
  settingsSnap: DocumentSnapshot<UserSettingsDoc> | undefined;
  upTo: number;
}

/** The caller's read position before this read: their private one or the chat's, whichever is further. */
function readBefore({ chat, chatId, uid, settingsSnap }: DirectRead): number {
  return Math.max(settingsSnap?.data()?.direct?.[chatId]?.readUpTo ?? 0, chat.lastRead?.[uid] ?? 0);
}

/**
 * A read the other member is shown: `lastRead.{uid}` and `unread.{uid}` on the chat doc, over its
 * update time as read (a send meanwhile changes the count: read again). Private read state left
 * from before (receipts were off) is removed, and the read position shown is at least the
 * private one: turning receipts back on shows what was read meanwhile.
 */
async function publicRead(read: DirectRead): Promise<ReadState> {
  const { db, batch, chatId, uid, chat, chatSnap } = read;
  const lastRead = Math.max(readBefore(read), read.upTo);
  const unreadCount = lastRead === chat.messageCount ? 0 : await countUnread(read, lastRead);
  const mentioned = chat.mentioned?.[uid];
  const stillMentioned = mentioned?.filter((number) => number > lastRead);
  const moved = lastRead !== chat.lastRead?.[uid] || unreadCount !== chat.unread?.[uid];
  if (moved || stillMentioned?.length !== mentioned?.length) {
    // prettier-ignore
    batch.update(
      chatSnap.ref,
      new FieldPath("lastRead", uid), lastRead,
      new FieldPath("unread", uid), unreadCount,
      ...(stillMentioned ? [new FieldPath("mentioned", uid), stillMentioned] : []),
      { lastUpdateTime: chatSnap.updateTime as Timestamp },
    );
  }
  const own = read.settingsSnap?.data()?.direct?.[chatId];
  if (own?.readUpTo !== undefined || own?.readOffset !== undefined) {
    const cleared = { readUpTo: FieldValue.delete(), readOffset: FieldValue.delete() };
    batch.set(...privateStateWrite(db, uid, chatId, cleared), { merge: true });
  }
  return { chatId, lastRead, unreadCount };
}

/**
 * A read no one else is shown (read receipts off, or a message request sent to the caller): the
 * chat doc's `unread.{uid}` keeps counting the other's messages, and the caller's private state
 * records their read position (`readUpTo`) and how many of those counted they have read
 * (`readOffset`), so their unread count is `unread.{uid} - readOffset`. The chat doc is not
 * written at all: a `lastRead.{uid}` on it from before stays where it was (removing it would
 * tell the other member when this read happened). Only sends change `unread.{uid}` meanwhile,
 * by messages after the read position, so the offset stays right without holding the chat doc;
 * the private state is written over its update time as read.
 */
async function privateRead(read: DirectRead): Promise<ReadState> {
  const { batch, chatId, uid, chat } = read;
  const lastRead = Math.max(readBefore(read), read.upTo);
  const unreadCount = lastRead === chat.messageCount ? 0 : await countUnread(read, lastRead);
  const readOffset = Math.max(0, (chat.unread?.[uid] ?? 0) - unreadCount);
  const own = read.settingsSnap?.data()?.direct?.[chatId];
  if (own?.readUpTo === lastRead && own.readOffset === readOffset) return { chatId, lastRead, unreadCount };
  if (read.settingsSnap) writePrivateStateOver(batch, read.settingsSnap, chatId, { readUpTo: lastRead, readOffset });
  return { chatId, lastRead, unreadCount };
}

/**
 * Messages after `lastRead` that others sent (composite index: messages `from` + `number`), at
 * the chat doc's read time: a read-only transaction, which takes no lock.
 */
async function countUnread({ db, chatId, uid, chatSnap }: DirectRead, lastRead: number): Promise<number> {
  const after = refs.messages(db, chatId).where("number", ">", lastRead);
  const [all, mine] = await db.runTransaction(
    (tx) => Promise.all([tx.get(after.count()), tx.get(after.where("from", "==", uid).count())]),
    { readOnly: true, readTime: chatSnap.readTime },
  );
  return all.data().count - mine.data().count;
}
