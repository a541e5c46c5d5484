import type { Firestore } from "firebase-admin/firestore";
import { toChatViewOfDoc } from "../chats/views.js";
import { postSystemMessage } from "../timeline/system-message.js";
import { AppError } from "../shared/errors.js";
import { existing, getAll, refs } from "../shared/model.js";
import { displayName } from "../users/display-name.js";
import type { FindAuthUser } from "../users/find-auth-user.js";
import { requireOpen } from "./room-access.js";
import { requireRoomSlot } from "../timeline/room-count.js";
import type { JoinedRoom } from "./views.js";

/** Who {@link joinRoom} joins to which room, when, and how full a room may be. */
export interface JoinRoomOptions {
  /** The request's time: the member's `joinedAt`. */
  now: Date;
  /** Who joins. */
  callerUid: string;
  /** The room's current invite code: `invites/{code}`. */
  inviteCode: string;
  /** Most members a room may have (`MAX_ROOM_MEMBERS`). */
  maxMembers: number;
  /** Makes the caller's missing profile from Firebase Auth. */
  findUser: FindAuthUser;
}

/**
 * Joins the room whose current invite code is `inviteCode`. Idempotent: a member joining again
 * gets the room and nothing is written. Otherwise the caller's member doc
 * (`chats/{roomId}/members/{uid}`, read up to their join message: nothing unread) is created
 * and `memberCount` incremented, in the same batch as the "joined" system message, which fans
 * out to nobody.
 * Reads `invites/{code}`, `users/{uid}`, `chats/{chatId}`, the caller's member doc and ban. A
 * missing profile is made from Auth first (`findUser`, `ensure-profile.ts`: one lookup and one
 * batch), so every member is in the directory and their join message carries their name.
 * A caller in `MAX_ROOMS_PER_USER` (100) rooms may join no other (+2 reads: their member doc
 * and a count, before the join's own reads).
 * @throws AppError `not-found` (unknown or revoked code), `permission-denied` (banned: removed
 *   by the host or a moderator, whatever code is used), `failed-precondition` (room ended, or
 *   full at `maxMembers`, or the caller in `MAX_ROOMS_PER_USER` (100) rooms), `aborted` (see
 *   {@link postSystemMessage}).
 */
export async function joinRoom(db: Firestore, options: JoinRoomOptions): Promise<JoinedRoom> {
  const { now, callerUid, inviteCode, maxMembers, findUser } = options;
  const invite = (await refs.invite(db, inviteCode).get()).data();
  const unknown = () => new AppError("not-found", "This invite code is unknown or no longer valid.");
  if (!invite) throw unknown();
  const memberRef = refs.member(db, invite.chatId, callerUid);
  // A member joining again is answered as before, whatever their number of rooms.
  if (!(await memberRef.get()).exists) await requireRoomSlot(db, callerUid);
  const name = await displayName(db, now, callerUid, findUser);
  const banRef = refs.ban(db, invite.chatId, callerUid);
  const posted = await postSystemMessage(db, {
    now,
    chatId: invite.chatId,
    event: { type: "member-joined", uid: callerUid },
    text: `${name} joined`,
    change: (room, [memberSnap, banSnap]) => {
      if (room.type !== "room" || room.inviteCode !== inviteCode) throw unknown();
      if (memberSnap?.exists) return null;
      if (banSnap?.exists)
        throw new AppError("permission-denied", "You were removed from this room; only its host can let you back in.");
      requireOpen(room);
      if ((room.memberCount ?? 0) >= maxMembers) {
        throw new AppError("failed-precondition", `This room is full (${maxMembers} members).`);
      }
      return { joined: { uid: callerUid, lastRead: room.messageCount + 1 } };
    },
    reads: [memberRef, banRef],
  });
  const [chatSnap, memberSnap] = await getAll(db, refs.chat(db, invite.chatId), memberRef);
  const chat = toChatViewOfDoc(chatSnap.id, existing(chatSnap).data(), callerUid, {
    member: memberSnap.data(),
  });
  return { chat, joined: posted !== null };
}
