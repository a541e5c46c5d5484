import type { DocumentReference, DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import type { ChatChange } from "../timeline/chat-change.js";
import { chatNotFound } from "../timeline/chat-access.js";
import { postSystemMessage } from "../timeline/system-message.js";
import { AppError } from "../shared/errors.js";
import { refs, type ChatDoc, type MemberDoc, type SystemEvent } from "../shared/model.js";
import { displayName } from "../users/display-name.js";
import type { FindAuthUser } from "../users/find-auth-user.js";
import { requireHost, requireRoom, type RoomActor } from "./room-access.js";
import type { MembershipResult } from "./views.js";

/** How often a leaving host looks again for a successor who left meanwhile. */
const SUCCESSION_ATTEMPTS = 5;

/** Who {@link leaveRoom} takes out of which room, and when. */
export interface LeaveRoomOptions {
  /** The request's time. */
  now: Date;
  /** The member who leaves. */
  callerUid: string;
  /** The room: `chats/{roomId}`. */
  chatId: string;
  /** Makes the caller's missing profile from Firebase Auth (for the message's name). */
  findUser: FindAuthUser;
}

/**
 * The caller leaves a room: their member doc is deleted in the same batch as the "left" system
 * message (which fans out to nobody). A leaving host hands the room to the member who joined
 * earliest; the last member leaving ends the room (an ended room just loses its last member).
 * Leaving is not a ban: the member may join again with a valid invite.
 * Reads the caller's profile (for the message's name; made from Auth by `findUser` when missing:
 * `users/display-name.ts`), the room, the caller's member doc and, for a host, the two
 * earliest members.
 * @throws AppError `not-found` (no room, or not a member), `aborted` (members kept leaving, or
 *   see {@link postSystemMessage}).
 */
export async function leaveRoom(db: Firestore, options: LeaveRoomOptions): Promise<MembershipResult> {
  const { now, callerUid, chatId, findUser } = options;
  const name = await displayName(db, now, callerUid, findUser);
  return changeMembership(db, {
    now,
    chatId,
    event: { type: "member-left", uid: callerUid },
    text: `${name} left`,
    check: (_room, member) => {
      if (!member.exists) throw chatNotFound();
      return {};
    },
  });
}

/** Whom {@link removeRoomMember} removes from which room, by whom, and when. */
export interface RemoveRoomMemberOptions {
  /** The request's time: the ban's `bannedAt`. */
  now: Date;
  /** The room's host, or a moderator. */
  caller: RoomActor;
  /** The room: `chats/{roomId}`. */
  chatId: string;
  /** The member to remove and ban. */
  memberUid: string;
  /** Makes the removed member's missing profile from Firebase Auth (for the message's name). */
  findUser: FindAuthUser;
}

/**
 * The host, or a moderator (audited in the same batch), removes `memberUid` from the room
 * (system message "was removed") and bans them: `chats/{roomId}/bans/{uid}` is written in the same batch, and a later join
 * with any invite code, old or rotated, is refused until {@link unbanRoomMember}. The removed
 * member loses read access at once: the rules check their member doc.
 * Reads as {@link leaveRoom} (the removed member's profile for the name), plus the caller's
 * member doc.
 * @throws AppError `not-found` (no room, not a member, or no such member), `permission-denied`
 *   (a member, not the host), `invalid-argument` (removing yourself: leave instead), `aborted`
 *   (see {@link postSystemMessage}).
 */
export async function removeRoomMember(db: Firestore, options: RemoveRoomMemberOptions): Promise<MembershipResult> {
  const { now, caller, chatId, memberUid, findUser } = options;
  if (memberUid === caller.uid) throw new AppError("invalid-argument", "uid: to remove yourself, leave the room");
  const name = await displayName(db, now, memberUid, findUser);
  const event = { type: "member-removed", uid: memberUid } as const;
  const callerRef = refs.member(db, chatId, caller.uid);
  return changeMembership(db, {
    now,
    chatId,
    event,
    text: `${name} was removed`,
    check: (room, member, [callerMember]) => {
      requireHost(room, caller, callerMember);
      if (!member.exists) throw new AppError("not-found", "That user is not a member of this room.");
      const audit =
        room.host === caller.uid
          ? undefined
          : { moderator: caller.uid, action: "remove-member" as const, chatId, uid: memberUid };
      return { banned: { uid: memberUid, by: caller.uid }, ...(audit && { audit }) };
    },
    more: [callerRef],
  });
}

/** A successor chosen from a stale read has left since: look again. */
class SuccessorLeft extends Error {}

/** A member leaving a room, as {@link changeMembership} commits it. */
interface MembershipChange {
  /** The request's time. */
  now: Date;
  /** The room: `chats/{roomId}`. */
  chatId: string;
  /** The system event; `event.uid` is the member who goes. */
  event: SystemEvent & { uid: string };
  /** The system message's text. */
  text: string;
  /** May refuse, or add to the change, given the room, the member doc and the `more` docs. */
  check: (room: ChatDoc, member: DocumentSnapshot<MemberDoc>, more: DocumentSnapshot<MemberDoc>[]) => ChatChange;
  /** More docs to read with the room for `check`; default: none. */
  more?: DocumentReference<MemberDoc>[];
}

/**
 * Removes `event.uid` from the room with its system message; `check` (given the room, the
 * member doc of `event.uid` and the `more` docs) may refuse, or add to the change.
 */
async function changeMembership(db: Firestore, change: MembershipChange): Promise<MembershipResult> {
  const { now, chatId, event, text, check, more = [] } = change;
  const uid = event.uid;
  for (let attempt = 1; ; attempt++) {
    const successor = await earliestMemberBut(db, chatId, uid);
    let after: MembershipResult | undefined;
    try {
      await postSystemMessage(db, {
        now,
        chatId,
        event,
        text,
        change: (room, [member, successorSnap, ...moreSnaps]) => {
          requireRoom(room);
          const extra = check(room, member, moreSnaps);
          const memberCount = (room.memberCount ?? 1) - 1;
          const handsOver = room.host === uid && memberCount > 0;
          if (handsOver && !successorSnap?.exists) throw new SuccessorLeft();
          const host = handsOver ? (successor ?? null) : (room.host ?? null);
          const empty = memberCount === 0;
          // An ended room has its completion record already: the last member just goes.
          const ends = empty && room.status !== "ended";
          after = { chatId, memberCount, host: empty ? null : host, status: empty ? "ended" : room.status };
          return {
            ...extra,
            left: uid,
            ...(handsOver && { host }),
            ...(empty && { host: null }),
            ...(ends && { ended: { by: uid } }),
          };
        },
        reads: [refs.member(db, chatId, uid), successor === undefined ? undefined : refs.member(db, chatId, successor), ...more],
      });
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
  return first.docs.map((doc) => doc.data().uid).find((member) => member !== uid);
}
