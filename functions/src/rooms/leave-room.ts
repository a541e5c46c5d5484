import type { Firestore } from "firebase-admin/firestore";
import { postSystemMessage } from "../timeline/system-message.js";
import { AppError } from "../shared/errors.js";
import type { ChatDoc, SystemEvent } from "../shared/model.js";
import { displayName } from "../users/display-name.js";
import { requireHost, requireRoom } from "./room-access.js";
import type { MembershipResult } from "./views.js";

/**
 * The caller leaves a room: removed from `members` (and their unread and read state), in the
 * same batch as the "left" system message. A leaving host hands the room to the member who
 * joined earliest; the last member leaving ends the room. Leaving a room you are not in is 403.
 * @throws AppError `not-found` (no room), `permission-denied` (not a member).
 */
export async function leaveRoom(db: Firestore, now: Date, callerUid: string, chatId: string): Promise<MembershipResult> {
  const name = await displayName(db, callerUid);
  return changeMembership(db, now, chatId, { type: "member-left", uid: callerUid }, `${name} left`, (room) => {
    if (!room.members.includes(callerUid)) throw new AppError("permission-denied", "You are not a member of this chat.");
  });
}

/**
 * The host removes `memberUid` from the room (system message "was removed"). The removed
 * member loses read access at once: the rules check `members`.
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
  return changeMembership(db, now, chatId, event, `${name} was removed`, (room) => {
    requireHost(room, chatId, callerUid);
    if (!room.members.includes(memberUid)) throw new AppError("not-found", "That user is not a member of this room.");
  });
}

/** Removes `event.uid` from the room with its system message; `check` may refuse. */
async function changeMembership(
  db: Firestore,
  now: Date,
  chatId: string,
  event: SystemEvent,
  text: string,
  check: (room: ChatDoc) => void,
): Promise<MembershipResult> {
  const uid = event.uid as string;
  let after: MembershipResult | undefined;
  await postSystemMessage(db, now, chatId, event, text, (room) => {
    requireRoom(room, chatId);
    check(room);
    const members = room.members.filter((member) => member !== uid);
    const host = room.host === uid ? (members[0] ?? null) : (room.host ?? null);
    const ends = members.length === 0;
    after = { chatId, members, host, status: ends ? "completed" : (room.status ?? "active") };
    return { members, host, left: uid, ...(ends && { ended: { by: uid } }) };
  });
  return after as MembershipResult;
}
