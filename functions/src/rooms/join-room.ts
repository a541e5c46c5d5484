import type { Firestore } from "firebase-admin/firestore";
import { toChatView } from "../chats/views.js";
import { postSystemMessage } from "../timeline/system-message.js";
import { AppError } from "../shared/errors.js";
import { refs, type InviteDoc } from "../shared/model.js";
import { displayName } from "../users/display-name.js";
import { requireOpen } from "./room-access.js";
import type { JoinedRoom } from "./views.js";

/**
 * Joins the room whose current invite code is `inviteCode`. Idempotent: a member joining again
 * gets the room and nothing is written. Otherwise the caller is appended to `members` with
 * nothing unread, in the same batch as the "joined" system message.
 * Reads `invites/{code}`, `users/{uid}` and `chats/{chatId}`.
 * @throws AppError `not-found` (unknown or revoked code), `failed-precondition` (room ended,
 *   or full at `maxMembers`).
 */
export async function joinRoom(
  db: Firestore,
  now: Date,
  callerUid: string,
  inviteCode: string,
  maxMembers: number,
): Promise<JoinedRoom> {
  const invite = (await refs.invite(db, inviteCode).get()).data() as InviteDoc | undefined;
  const unknown = () => new AppError("not-found", "This invite code is unknown or no longer valid.");
  if (!invite) throw unknown();
  const name = await displayName(db, callerUid);

  const posted = await postSystemMessage(
    db,
    now,
    invite.chatId,
    { type: "member-joined", uid: callerUid },
    `${name} joined`,
    (room) => {
      if (room.type !== "room" || room.inviteCode !== inviteCode) throw unknown();
      if (room.members.includes(callerUid)) return null;
      requireOpen(room);
      if (room.members.length >= maxMembers) {
        throw new AppError("failed-precondition", `This room is full (${maxMembers} members).`);
      }
      const joinMessage = room.messageCount + 1;
      return { members: [...room.members, callerUid], joined: { uid: callerUid, lastRead: joinMessage } };
    },
  );
  const chat = toChatView(await refs.chat(db, invite.chatId).get(), callerUid);
  return { chat, joined: posted !== null };
}
