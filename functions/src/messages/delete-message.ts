import {
  FieldPath,
  FieldValue,
  Firestore,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type WriteBatch,
} from "firebase-admin/firestore";
import { recordAudit } from "../shared/audit.js";
import { chatNotFound, memberRefOf, requireActiveMember } from "../timeline/chat-access.js";
import { AppError } from "../shared/errors.js";
import { existing, exists, getAll, refs, type ChatDoc, type MessageDoc } from "../shared/model.js";
import { retryOnConflict } from "../shared/optimistic.js";
import { toMessageViewOfDoc, type MessageView } from "./views.js";
import { requireOwnMessage } from "./own-message.js";
import { quotingReplies } from "./quoting-replies.js";
import { DELETED_PREVIEW } from "../timeline/preview.js";
import { editHistoryRefs } from "./edit-history.js";
import { messageObjectPaths } from "../files/message-objects.js";

const DELETE_MAX_ATTEMPTS = 20;

/** Removes Cloud Storage objects by path; objects already gone are fine. */
export type DeleteObjects = (paths: string[]) => Promise<void>;

/** Which message {@link deleteMessage} deletes, for whom, and how its files go. */
export interface DeleteMessageOptions {
  /** Removes the message's Cloud Storage objects, before anything is written. */
  deleteObjects: DeleteObjects;
  /** The request's time: the tombstone's `deletedAt`. */
  now: Date;
  /** The sender, or a moderator (custom claim), who may delete anyone's message. */
  caller: { uid: string; moderator?: boolean };
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The message's number. */
  number: number;
  /**
   * `false`: a moderator's delete writes no audit entry (an account's erasure, which is audited
   * as a whole, deletes its messages as a moderator would). Default: audited.
   */
  audited?: boolean;
}

/**
 * "Delete for everyone": the sender turns message `number` into a tombstone (`deleted: true`,
 * `deletedAt`; text emptied, `file` and `reference` removed). Its number stays taken, so
 * `messageCount` and unread counts do not change. Its Cloud Storage objects are deleted first
 * (the sender asked for them to be gone; a retry finds them gone), then one batch, conditioned
 * on the docs not having changed since read, writes the tombstone, blanks the quote in replies
 * to it, deletes its edit history (`edits/1..editCount`), and turns the chat's `lastMessage`
 * into "Message deleted" when it was the newest.
 * Deleting a deleted message again answers the tombstone.
 *
 * A moderator (custom claim) may delete any member's message in any chat, ended or not, without
 * being a member; the batch then also writes a `moderation-audit` entry.
 * The message leaves the unread mentions of the members it mentions (1:1: the chat doc's
 * `mentioned`; a room: each mentioned member's doc, read first).
 * A poll loses its poll and its `chats/{chatId}/open-polls/{messageId}` (no more votes).
 * Reads and writes `chats/{chatId}`, `chats/{chatId}/messages/*` (deletes
 * `chats/{chatId}/messages/{number}/edits/*`) and, in a room, the mentioned
 * members' `chats/{roomId}/members/{uid}`.
 * @throws AppError `not-found` (no chat, not a member, no message), `permission-denied` (not
 *   the sender, a system message), `failed-precondition` (chat closed), `aborted` (the chat kept
 *   changing).
 */
export function deleteMessage(db: Firestore, options: DeleteMessageOptions): Promise<MessageView> {
  const { deleteObjects, now, caller, chatId, number, audited = true } = options;
  const callerUid = caller.uid;
  const chatRef = refs.chat(db, chatId);
  const messageRef = refs.message(db, chatId, number);
  const memberRef = memberRefOf(db, chatId, callerUid);
  return retryOnConflict(
    DELETE_MAX_ATTEMPTS,
    async () => {
      const [chatSnap, messageSnap, memberSnap] = await getAll(db, chatRef, messageRef, ...(memberRef ? [memberRef] : []));
      const asModerator = caller.moderator === true && messageSnap.get("from") !== callerUid;
      // A block doesn't stop a member deleting their own messages.
      const chat = asModerator ? requireChat(chatSnap) : requireActiveMember(chatSnap, callerUid, memberSnap);
      if (messageSnap.get("deleted") === true && (asModerator || messageSnap.get("from") === callerUid)) {
        return toMessageViewOfDoc(chatId, messageRef.id, existing(messageSnap).data());
      }
      // A moderator acts as the sender; a system message (no sender) stays refused.
      const sender = messageSnap.data()?.from;
      const message = requireOwnMessage(messageSnap, asModerator ? (sender ?? callerUid) : callerUid, number);
      const objects = messageObjectPaths(message);
      if (objects.length > 0) await deleteObjects(objects);

      const deletedAt = Timestamp.fromDate(now);
      const { from, type, clientMessageId, createdAt } = message;
      const tombstone: MessageDoc = { number, from, type, text: "", clientMessageId, createdAt, deleted: true, deletedAt };
      const replies = await quotingReplies(db, chatId, number);
      const batch = db.batch();
      writeTombstone(batch, { messageSnap, replies, deletedAt, history: editHistoryRefs(db, chatId, message) });
      // A deleted poll takes no more votes (a vote in flight fails on the open-poll doc).
      if (message.poll) batch.delete(refs.openPoll(db, chatId, number));
      if (asModerator && audited) {
        recordAudit(db, batch, now, {
          moderator: callerUid,
          action: "delete-message",
          chatId,
          number,
          ...(from && { uid: from }),
        });
      }
      updateChat(batch, { chatSnap, chat, message, number });
      if (chat.type === "room") await removeRoomMentions(db, batch, chatId, message);
      await batch.commit();
      return toMessageViewOfDoc(chatId, messageRef.id, tombstone);
    },
    () => new AppError("aborted", "The chat is too busy to delete this message now; retry."),
  );
}

/** What {@link writeTombstone} writes over: the message and its replies as read, and its edit history. */
interface Tombstone {
  messageSnap: DocumentSnapshot;
  replies: DocumentSnapshot[];
  deletedAt: Timestamp;
  history: DocumentReference[];
}

/**
 * Adds to `batch` the tombstone over the message as read, the deletes of its edit history, and
 * the blanked quote in each reply to it, over the reply as read.
 */
function writeTombstone(batch: WriteBatch, { messageSnap, replies, deletedAt, history }: Tombstone): void {
  batch.update(
    messageSnap.ref,
    {
      text: "",
      deleted: true,
      deletedAt,
      file: FieldValue.delete(),
      reference: FieldValue.delete(),
      editedAt: FieldValue.delete(),
      editCount: FieldValue.delete(),
      reactions: FieldValue.delete(),
      words: FieldValue.delete(),
      poll: FieldValue.delete(),
      linkPreview: FieldValue.delete(),
    },
    { lastUpdateTime: messageSnap.updateTime },
  );
  for (const ref of history) batch.delete(ref);
  for (const reply of replies) {
    batch.update(
      reply.ref,
      { "reference.preview": DELETED_PREVIEW, "reference.deleted": true },
      { lastUpdateTime: reply.updateTime },
    );
  }
}

/**
 * Adds to `batch` the chat doc's update, if any: "Message deleted" as its `lastMessage` when
 * message `number` was the newest (over the chat as read), and in a 1:1 chat the message taken
 * out of the unread mentions.
 */
function updateChat(
  batch: WriteBatch,
  deleted: { chatSnap: DocumentSnapshot; chat: ChatDoc; message: MessageDoc; number: number },
): void {
  const { chatSnap, chat, message, number } = deleted;
  const removals = directMentionRemovals(chat, message, number);
  if (chat.lastMessage?.number === number) {
    // prettier-ignore
    batch.update(
      chatSnap.ref,
      "lastMessage.preview", DELETED_PREVIEW,
      "lastMessage.deleted", true,
      ...removals,
      { lastUpdateTime: chatSnap.updateTime },
    );
  } else if (removals.length > 0) batch.update(chatSnap.ref, ...(removals as [FieldPath, FieldValue]));
}

/** The chat in `snap`, member or not (a moderator's view). @throws AppError `not-found`. */
function requireChat(snap: DocumentSnapshot<ChatDoc>): ChatDoc {
  if (!exists(snap)) throw chatNotFound();
  return snap.data();
}

/**
 * The update that takes message `number` out of the unread mentions of the members it mentions,
 * in a 1:1 chat (`chats/{chatId}.mentioned.{uid}`); empty in a room or when no list holds it.
 */
function directMentionRemovals(chat: ChatDoc, message: MessageDoc, number: number): (FieldPath | FieldValue)[] {
  if (chat.type === "room") return [];
  const holding = (message.mentions ?? []).filter((uid) => chat.mentioned?.[uid]?.includes(number));
  return holding.flatMap((uid) => [new FieldPath("mentioned", uid), FieldValue.arrayRemove(number)]);
}

/**
 * Adds to `batch` the removal of `message` from the unread mentions of each room member it
 * mentions (`chats/{roomId}/members/{uid}.mentioned`), for those whose list holds it, each on
 * the condition that the member doc is as read (a member who left meanwhile fails the commit,
 * which is then retried). Reads those member docs (1 read per mentioned member).
 */
async function removeRoomMentions(db: Firestore, batch: WriteBatch, chatId: string, message: MessageDoc): Promise<void> {
  const mentions = message.mentions ?? [];
  if (mentions.length === 0) return;
  const members = await getAll(db, ...mentions.map((uid) => refs.member(db, chatId, uid)));
  for (const member of members) {
    if (!member.data()?.mentioned?.includes(message.number)) continue;
    batch.update(member.ref, { mentioned: FieldValue.arrayRemove(message.number) }, { lastUpdateTime: member.updateTime });
  }
}
