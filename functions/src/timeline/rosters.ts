import { createHash } from "node:crypto";
import { FieldValue, type Firestore, type WriteBatch } from "firebase-admin/firestore";
import { ROSTER_SHARDS } from "../shared/docs.js";
import { refs, type MemberDoc, type RosterEntry } from "../shared/model.js";

// A room's roster: its members in ROSTER_SHARDS docs, so that a message's fan-out reads up to 64
// docs instead of one per member. Every write that creates or deletes a member doc, or changes a
// member's mute, writes the member's shard in the same batch, so the roster is exact. Writes
// are `set` with merge: a shard is made by its first member, and a second delivery of the same
// change writes the same value. Shards are by hash, not by uid order, so ids an app chose
// (custom tokens) spread evenly too; a fan-out reads every shard and sorts.

/** A member as a fan-out needs them: uid and mute. */
export type RosterMember = Pick<MemberDoc, "uid" | "mutedUntil">;

/** The shard (0-63) of `uid`: the first byte of its SHA-256, modulo {@link ROSTER_SHARDS}. */
export function rosterShard(uid: string): number {
  return createHash("sha256").update(uid).digest()[0] % ROSTER_SHARDS;
}

/** A roster entry as written: its mute may be deleted (`FieldValue.delete()`). */
type EntryWrite = { mutedUntil?: RosterEntry["mutedUntil"] | FieldValue };

/** Which member's roster entry a batch writes, in which room. */
export interface RosterWrite {
  /** The batch the write joins (the one that writes the member doc). */
  batch: WriteBatch;
  /** The room: `chats/{chatId}`. */
  chatId: string;
  /** The member, whose shard is {@link rosterShard}. */
  uid: string;
}

/** One member's entry, or its deletion (`FieldValue.delete()`), in their shard. */
function setEntry(db: Firestore, { batch, chatId, uid }: RosterWrite, entry: EntryWrite | FieldValue): void {
  const shard = rosterShard(uid);
  batch.set(refs.roster(db, chatId, shard), { chatId, shard, members: { [uid]: entry } }, { merge: true });
}

/** Adds `uid` (not muted) to room `chatId`'s roster: one write to `chats/{chatId}/rosters/{shard}`. */
export function addToRoster(db: Firestore, batch: WriteBatch, chatId: string, uid: string): void {
  setEntry(db, { batch, chatId, uid }, {});
}

/** Removes `uid` from room `chatId`'s roster: one write. */
export function removeFromRoster(db: Firestore, batch: WriteBatch, chatId: string, uid: string): void {
  setEntry(db, { batch, chatId, uid }, FieldValue.delete());
}

/** The roster write of {@link setRosterMute}: whose entry, and their mute. */
export interface SetRosterMuteOptions extends RosterWrite {
  /** As {@link MemberDoc.mutedUntil}, or `FieldValue.delete()` for unmuted. */
  mutedUntil: EntryWrite["mutedUntil"];
}

/**
 * Sets `uid`'s mute in room `chatId`'s roster, as {@link MemberDoc.mutedUntil}: a time, `null`
 * (until unmuted) or `FieldValue.delete()` (unmuted). One write.
 */
export function setRosterMute(db: Firestore, options: SetRosterMuteOptions): void {
  const { mutedUntil, ...entry } = options;
  setEntry(db, entry, { mutedUntil });
}

/** A room's roster as read, beside the room's `memberCount` at the same snapshot. */
export interface RosterRead {
  /** Every member in the roster, in Firestore's order of document ids (UTF-8 bytes). */
  members: RosterMember[];
  /** `chats/{chatId}.memberCount` (undefined: no such room); equal to `members.length` unless the roster drifted. */
  memberCount: number | undefined;
}

/**
 * Room `chatId`'s roster and its `memberCount`, read at one snapshot (a read-only transaction:
 * the room doc and `chats/{chatId}/rosters`, up to {@link ROSTER_SHARDS} docs), so that a caller
 * can tell a complete roster from one that drifted.
 */
export async function readRoster(db: Firestore, chatId: string): Promise<RosterRead> {
  const [room, shards] = await db.runTransaction(
    (tx) => Promise.all([tx.get(refs.chat(db, chatId)), tx.get(refs.rosters(db, chatId))]),
    { readOnly: true },
  );
  const keyed: { key: Buffer; member: RosterMember }[] = [];
  for (const shard of shards.docs) {
    for (const [uid, entry] of Object.entries(shard.data().members ?? {}))
      keyed.push({ key: Buffer.from(uid), member: { uid, ...entry } });
  }
  const members = keyed.sort((a, b) => Buffer.compare(a.key, b.key)).map(({ member }) => member);
  return { members, memberCount: room.data()?.memberCount };
}

/** Compares two document ids as Firestore orders them: by their UTF-8 bytes. */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
