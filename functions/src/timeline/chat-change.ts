import { FieldValue, Timestamp, type Firestore, type WriteBatch } from "firebase-admin/firestore";
import { recordAudit, type AuditEntry } from "../shared/audit.js";
import { refs, type BanDoc, type EndedChatDoc, type MemberDoc } from "../shared/model.js";
import { addToRoster, removeFromRoster } from "./rosters.js";

/**
 * A change to a chat, committed in the same batch as the system message that tells it, so that
 * members never see one without the other. Membership changes are rooms' only.
 */
export interface ChatChange {
  /** A room's new host (`null`: none left); their member doc gets `role: "host"`. */
  host?: string | null;
  /**
   * A member who joined: `chats/{roomId}/members/{uid}` created, read position at `lastRead`, and
   * added to the room's roster (`rosters/{shard}`).
   */
  joined?: { uid: string; lastRead: number };
  /** A member who left or was removed: their member doc is deleted, and their roster entry. */
  left?: string;
  /** A removal that bans: `chats/{roomId}/bans/{uid}` is set, so they can't rejoin. */
  banned?: { uid: string; by: string };
  /** A moderator's change: its `moderation-audit` entry commits with it. */
  audit?: AuditEntry;
  /**
   * Ends the chat: `status: "ended"`, `endedAt`, and the
   * `ended-chats/{chatId}` record whose creation starts the history export.
   */
  ended?: { by: string | null };
}

/** Which change {@link chatChangeUpdates} writes, to which chat, in which batch, and when. */
export interface ChatChangeOptions {
  /** The batch that commits the system message. */
  batch: WriteBatch;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The change's time: `joinedAt`, `bannedAt`, `endedAt`. */
  now: Date;
  /** The change. */
  change: ChatChange;
}

/**
 * The `[field, value]` pairs of `change` for an update of `chats/{chatId}` at `now`; adds the
 * member docs it creates, updates or deletes (and their roster shards), and the completion
 * record of an end, to `batch`.
 */
export function chatChangeUpdates(db: Firestore, options: ChatChangeOptions): [string, unknown][] {
  const { batch, chatId, now, change } = options;
  const updates: [string, unknown][] = [];
  const at = Timestamp.fromDate(now);
  if (change.host !== undefined) {
    updates.push(["host", change.host]);
    if (change.host !== null) batch.update(refs.member(db, chatId, change.host), { role: "host" });
  }
  if (change.joined) {
    const { uid, lastRead } = change.joined;
    const member: MemberDoc = { uid, chatId, role: "member", joinedAt: at, lastRead };
    batch.create(refs.member(db, chatId, uid), member);
    addToRoster(db, batch, chatId, uid);
    updates.push(["memberCount", FieldValue.increment(1)]);
  }
  if (change.left !== undefined) {
    batch.delete(refs.member(db, chatId, change.left));
    removeFromRoster(db, batch, chatId, change.left);
    updates.push(["memberCount", FieldValue.increment(-1)]);
  }
  if (change.banned) {
    const ban: BanDoc = { uid: change.banned.uid, chatId, bannedBy: change.banned.by, bannedAt: at };
    batch.set(refs.ban(db, chatId, change.banned.uid), ban);
  }
  if (change.audit) recordAudit(db, batch, now, change.audit);
  if (change.ended) {
    updates.push(["status", "ended"], ["endedAt", at]);
    const record: EndedChatDoc = { chatId, endedAt: at, endedBy: change.ended.by };
    batch.create(refs.endedChat(db, chatId), record);
  }
  return updates;
}
