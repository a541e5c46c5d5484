import type { Firestore } from "firebase-admin/firestore";
import { pageByDocId } from "../shared/paginate.js";
import { recordAudit } from "../shared/audit.js";
import { AppError } from "../shared/errors.js";
import { getAll, refs, type ChatDoc } from "../shared/model.js";
import type { PageInput } from "../shared/schemas.js";
import { requireHost, type RoomActor } from "./room-access.js";
import type { BanPage, Unbanned } from "./views.js";

/** Default page size of a room's ban list. */
export const BANS_PAGE_SIZE = 50;

/** Reads the room and the actor's member doc, and requires the host's power. */
async function hostOf(db: Firestore, actor: RoomActor, chatId: string): Promise<ChatDoc> {
  const [chatSnap, memberSnap] = await getAll(db, refs.chat(db, chatId), refs.member(db, chatId, actor.uid));
  return requireHost(chatSnap.data(), actor, memberSnap);
}

/** Whose ban {@link unbanRoomMember} lifts, in which room, by whom, and when. */
export interface UnbanRoomMemberOptions {
  /** The request's time: the audit entry's. */
  now: Date;
  /** The room's host, or a moderator. */
  actor: RoomActor;
  /** The room: `chats/{roomId}`. */
  chatId: string;
  /** The banned user. */
  uid: string;
}

/**
 * The host (or a moderator, audited in the same transaction) lifts `uid`'s ban from room
 * `chatId`: deletes `chats/{roomId}/bans/{uid}`, so they may join again with a valid invite.
 * No system message.
 * Reads the room, the actor's member doc and the ban.
 * @throws AppError as {@link requireHost}; `not-found` when `uid` is not banned.
 */
export async function unbanRoomMember(db: Firestore, options: UnbanRoomMemberOptions): Promise<Unbanned> {
  const { now, actor, chatId, uid } = options;
  const room = await hostOf(db, actor, chatId);
  const banRef = refs.ban(db, chatId, uid);
  const removed = await db.runTransaction(async (tx) => {
    const ban = await tx.get(banRef);
    if (!ban.exists) return false;
    tx.delete(banRef);
    if (room.host !== actor.uid) recordAudit(db, tx, now, { moderator: actor.uid, action: "unban-member", chatId, uid });
    return true;
  });
  if (!removed) throw new AppError("not-found", "That user is not banned from this room.");
  return { chatId, uid, banned: false };
}

/**
 * One page of room `chatId`'s bans, by uid, for its host or a moderator, with each user's
 * display name. Reads the room, the actor's member doc, `limit + 1` bans and the page's
 * `users/{uid}`.
 * @throws AppError as {@link requireHost}.
 */
export async function listRoomBans(db: Firestore, actor: RoomActor, chatId: string, input: PageInput): Promise<BanPage> {
  await hostOf(db, actor, chatId);
  const limit = input.limit ?? BANS_PAGE_SIZE;
  const { docs, nextCursor } = await pageByDocId(refs.bans(db, chatId), limit, input.cursor);
  const bans = docs.map((doc) => doc.data());
  const users = bans.length === 0 ? [] : await getAll(db, ...bans.map(({ uid }) => refs.user(db, uid)));
  return {
    bans: bans.map(({ uid, bannedBy, bannedAt }, i) => ({
      uid,
      displayName: users[i].data()?.displayName ?? "",
      bannedBy,
      bannedAt: bannedAt.toDate().toISOString(),
    })),
    nextCursor,
  };
}
