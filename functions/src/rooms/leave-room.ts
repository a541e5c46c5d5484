import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { postSystemMessage } from "../timeline/system-message.js";
import { AppError } from "../shared/errors.js";
import { refs, type ChatDoc, type MemberDoc, type SystemEvent } from "../shared/model.js";
import { displayName } from "../users/display-name.js";
import { requireHost, requireRoom } from "./room-access.js";
import type { MembershipResult } from "./views.js";

/** How often a leaving host looks again for a successor who left meanwhile. */
const SUCCESSION_ATTEMPTS = 5;

/**
 * The caller leaves a room: their member doc is deleted in the same batch as the "left" system
 * message (which fans out to nobody). A leaving host hands the room to the member who joined
 * earliest; the last member leaving ends the room. Leaving a room you are not in is 403.
 * Reads the room, the caller's member doc and, for a host, the two earliest members.
 * @throws AppError `not-found` (no room), `permission-denied` (not a member).
 */
export async function leaveRoom(db: Firestore, now: Date, callerUid: string, chatId: string): Promise<MembershipResult> {
  const name = await displayName(db, callerUid);
  return changeMembership(db, now, chatId, { type: "member-left", uid: callerUid }, `${name} left`, (_room, member) => {
    if (!member.exists) throw new AppError("permission-denied", "You are not a member of this chat.");
  });
}

/**
 * The host removes `memberUid` from the room (system message "was removed"). The removed
 * member loses read access at once: the rules check their member doc.
 * @throws AppError `not-found` (no room, or no such member), `permission-denied` (not the
 *   host), `invalid-argument` (removing yourself: leave instead).
 */
export async function removeRoomMember(
  db: Firestore,
  now: Date,
  callerUid: string,
  chatId: string,
  memberUid: string,
): Promise<MembershipResult> {
  if (memberUid === callerUid) throw new AppError("invalid-argument", "uid: to remove yourself, leave the room");
  const name = await displayName(db, memberUid);
  const event: SystemEvent = { type: "member-removed", uid: memberUid };
  return changeMembership(db, now, chatId, event, `${name} was removed`, (room, member) => {
    requireHost(room, chatId, callerUid);
    if (!member.exists) throw new AppError("not-found", "That user is not a member of this room.");
  });
}

/** A successor chosen from a stale read has left since: look again. */
class SuccessorLeft extends Error {}

/** Removes `event.uid` from the room with its system message; `check` may refuse. */
async function changeMembership(
  db: Firestore,
  now: Date,
  chatId: string,
  event: SystemEvent,
  text: string,
  check: (room: ChatDoc, member: DocumentSnapshot) => void,
): Promise<MembershipResult> {
  const uid = event.uid as string;
  for (let attempt = 1; ; attempt++) {
    const successor = await earliestMemberBut(db, chatId, uid);
    let after: MembershipResult | undefined;
    try {
      await postSystemMessage(
        db,
        now,
        chatId,
        event,
        text,
        (room, [member, successorSnap]) => {
          requireRoom(room, chatId);
          check(room, member as DocumentSnapshot);
          const memberCount = (room.memberCount ?? 1) - 1;
          const handsOver = room.host === uid && memberCount > 0;
          if (handsOver && !successorSnap?.exists) throw new SuccessorLeft();
          const host = handsOver ? (successor ?? null) : (room.host ?? null);
          const ends = memberCount === 0;
          after = { chatId, memberCount, host: ends ? null : host, status: ends ? "completed" : (room.status ?? "active") };
          return { left: uid, ...(handsOver && { host }), ...(ends && { host: null, ended: { by: uid } }) };
        },
        [refs.member(db, chatId, uid), successor === undefined ? undefined : refs.member(db, chatId, successor)],
      );
      return after as MembershipResult;
    } catch (error) {
      if (!(error instanceof SuccessorLeft)) throw error;
      if (attempt >= SUCCESSION_ATTEMPTS) throw new AppError("aborted", "Members are leaving this room too fast; retry.");
    }
  }
}

/** The uid of the member of `chatId` who joined earliest, other than `uid`. */
async function earliestMemberBut(db: Firestore, chatId: string, uid: string): Promise<string | undefined> {
  const first = await refs.members(db, chatId).orderBy("joinedAt").limit(2).get();
  return first.docs.map((doc) => (doc.data() as MemberDoc).uid).find((member) => member !== uid);
}
