import { FieldPath, FieldValue, Timestamp, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { existing, refs, type ChatDoc, type MemberDoc } from "../shared/model.js";

/** Rooms read per query page while migrating. */
const ROOM_PAGE = 50;
/** Member docs per batch (under Firestore's 500 writes per commit). */
const MEMBER_BATCH = 400;

/** What a migration run did. */
export interface MigrationReport {
  /** Rooms moved to the member-doc layout by this run. */
  migrated: number;
  /** Rooms already in the new layout (skipped). */
  skipped: number;
  /** Member docs written. */
  members: number;
  /** `false` when the run stopped at `maxRooms`; run again to go on. */
  done: boolean;
}

/**
 * Moves rooms made before member docs (a `members` array and `unread`, `lastRead`, `mutedUntil`
 * maps on `chats/{roomId}`) to the current layout: one `chats/{roomId}/members/{uid}` per member
 * (role, join time in the old join order, read position, mute) and `memberCount` on the room,
 * whose maps are then deleted. 1:1 chats keep their layout and are not touched.
 *
 * Each member's read position is `messageCount - unread`, so every member's unread count is the
 * same after as before. Idempotent and resumable: member docs are `set` (a rerun writes the same
 * values), and the room's maps go last, in a transaction that re-reads the room and restarts it
 * if it changed meanwhile; a room without `members` is done and skipped. Run it before the new
 * functions take traffic (a room's members are not members to the new code until it is moved).
 * Reads `chats` where `type == "room"`, by id, {@link ROOM_PAGE} at a time.
 */
export async function migrateRoomMembers(db: Firestore, options: { maxRooms?: number } = {}): Promise<MigrationReport> {
  const report: MigrationReport = { migrated: 0, skipped: 0, members: 0, done: true };
  let query = refs.chats(db).where("type", "==", "room").orderBy(FieldPath.documentId()).limit(ROOM_PAGE);
  for (;;) {
    const rooms = (await query.get()).docs;
    for (const room of rooms) {
      if (!Array.isArray(room.get("members"))) {
        report.skipped++;
        continue;
      }
      if (options.maxRooms !== undefined && report.migrated >= options.maxRooms) return { ...report, done: false };
      report.members += await migrateRoom(db, room);
      report.migrated++;
    }
    if (rooms.length < ROOM_PAGE) return report;
    query = query.startAfter(rooms[rooms.length - 1]);
  }
}

/** Moves one room; returns the member docs written. */
async function migrateRoom(db: Firestore, snap: DocumentSnapshot<ChatDoc>): Promise<number> {
  for (;;) {
    const room = existing(snap).data();
    const members = room.members ?? [];
    const docs = members.map((uid, i) => memberDoc(snap.id, room, uid, i));
    for (let i = 0; i < docs.length; i += MEMBER_BATCH) {
      const batch = db.batch();
      for (const doc of docs.slice(i, i + MEMBER_BATCH)) batch.set(refs.member(db, snap.id, doc.uid), doc);
      await batch.commit();
    }
    const moved = await db.runTransaction(async (tx) => {
      const now = await tx.get(snap.ref);
      if (!now.exists || !now.updateTime?.isEqual(snap.updateTime as Timestamp)) return false;
      tx.update(snap.ref, {
        memberCount: members.length,
        members: FieldValue.delete(),
        unread: FieldValue.delete(),
        lastRead: FieldValue.delete(),
        mutedUntil: FieldValue.delete(),
      });
      return true;
    });
    if (moved) return docs.length;
    snap = await snap.ref.get();
    if (!Array.isArray(snap.get("members"))) return docs.length;
  }
}

/** Member `uid` (the `index`-th to join) of an old-layout `room`. */
function memberDoc(chatId: string, room: ChatDoc, uid: string, index: number): MemberDoc {
  const mute = room.mutedUntil && uid in room.mutedUntil ? { mutedUntil: room.mutedUntil[uid] } : {};
  return {
    uid,
    chatId,
    role: room.host === uid ? "host" : "member",
    // The old layout kept join order, not join time: keep the order, a millisecond apart.
    joinedAt: Timestamp.fromMillis(room.createdAt.toMillis() + index),
    lastRead: Math.max(0, room.messageCount - (room.unread?.[uid] ?? 0)),
    ...mute,
  };
}
