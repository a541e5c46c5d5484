import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { toChatViewOf } from "../chats/views.js";
import { refs, type ChatDoc, type InviteDoc, type MemberDoc } from "../shared/model.js";
import { cleanDisplayText } from "../shared/display-text.js";
import { addToRoster } from "../timeline/rosters.js";
import { requireRoomSlot } from "../timeline/room-count.js";
import { ensureProfile } from "../users/ensure-profile.js";
import type { FindAuthUser } from "../users/find-auth-user.js";
import { newInviteCode } from "./room-access.js";
import type { CreateRoomBody } from "./schemas.js";
import type { NewRoom } from "./views.js";

/**
 * Creates a room (`chats/{autoId}`, `type: "room"`) with the caller as host and first member
 * (`chats/{roomId}/members/{uid}`, and the room's roster shard `rosters/{shard}`), and its invite
 * (`invites/{code}`), in one batch. First makes sure the host has a profile (`ensure-profile.ts`:
 * reads `users/{uid}`, +1 read; a missing one is made from Auth by `findUser`: one lookup and
 * one batch) and that they are in fewer than `MAX_ROOMS_PER_USER` rooms (+1 read, a count).
 * @throws AppError `failed-precondition` when they are in that many already.
 */
export async function createRoom(
  db: Firestore,
  now: Date,
  callerUid: string,
  input: CreateRoomBody,
  appUrl: string,
  findUser: FindAuthUser,
): Promise<NewRoom> {
  await Promise.all([ensureProfile(db, now, callerUid, findUser), requireRoomSlot(db, callerUid)]);
  const chatRef = refs.chats(db).doc();
  const inviteCode = newInviteCode();
  const at = Timestamp.fromDate(now);
  const room: ChatDoc = {
    type: "room",
    title: cleanDisplayText(input.title),
    host: callerUid,
    inviteCode,
    status: "active",
    memberCount: 1,
    rosters: true,
    wroteTracked: true,
    messageCount: 0,
    lastMessage: null,
    lastMessageAt: null,
    started: false,
    active: true,
    createdAt: at,
    updatedAt: at,
  };
  const batch = db.batch();
  const host: MemberDoc = { uid: callerUid, chatId: chatRef.id, role: "host", joinedAt: at, lastRead: 0 };
  batch.create(chatRef, room);
  batch.create(refs.member(db, chatRef.id, callerUid), host);
  addToRoster(db, batch, chatRef.id, callerUid);
  batch.create(refs.invite(db, inviteCode), { chatId: chatRef.id, createdAt: at } satisfies InviteDoc);
  await batch.commit();
  return { chat: toChatViewOf(chatRef.id, room, callerUid, { member: host }), inviteCode, joinUri: joinUri(appUrl, inviteCode) };
}

/** The web app's link that joins the room with `code`. */
export function joinUri(appUrl: string, code: string): string {
  return `${appUrl}/join/${code}`;
}
