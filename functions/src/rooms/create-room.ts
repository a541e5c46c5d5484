import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { toChatViewOfDoc } from "../chats/views.js";
import { refs, type ChatDoc, type InviteDoc, type MemberDoc } from "../shared/model.js";
import { cleanDisplayText } from "../shared/display-text.js";
import { addToRoster } from "../timeline/rosters.js";
import { requireRoomSlot } from "../timeline/room-count.js";
import { ensureProfile } from "../users/ensure-profile.js";
import type { FindAuthUser } from "../users/find-auth-user.js";
import { newInviteCode } from "./room-access.js";
import type { CreateRoomBody } from "./schemas.js";
import type { NewRoom } from "./views.js";

/** The room {@link createRoom} creates, its host, and when. */
export interface CreateRoomOptions {
  /** The request's time: the room's `createdAt`. */
  now: Date;
  /** The host and first member. */
  callerUid: string;
  /** The room's `title`. */
  input: CreateRoomBody;
  /** The web app's URL, for the invite link (`APP_URL`). */
  appUrl: string;
  /** Makes the host's missing profile from Firebase Auth. */
  findUser: FindAuthUser;
}

/**
 * Creates a room (`chats/{autoId}`, `type: "room"`) with the caller as host and first member
 * (`chats/{roomId}/members/{uid}`, and the room's roster shard `rosters/{shard}`), and its invite
 * (`invites/{code}`), in one batch. First makes sure the host has a profile (`ensure-profile.ts`:
 * reads `users/{uid}`, +1 read; a missing one is made from Auth by `findUser`: one lookup and
 * one batch) and that they are in fewer than `MAX_ROOMS_PER_USER` rooms (+1 read, a count).
 * @throws AppError `failed-precondition` when they are in that many already.
 */
export async function createRoom(db: Firestore, options: CreateRoomOptions): Promise<NewRoom> {
  const { now, callerUid, input, appUrl, findUser } = options;
  await Promise.all([ensureProfile(db, { now, uid: callerUid, findUser }), requireRoomSlot(db, callerUid)]);
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
  return {
    chat: toChatViewOfDoc(chatRef.id, room, callerUid, { member: host }),
    inviteCode,
    joinUri: joinUri(appUrl, inviteCode),
  };
}

/** The web app's link that joins the room with `code`. */
export function joinUri(appUrl: string, code: string): string {
  return `${appUrl}/join/${code}`;
}
