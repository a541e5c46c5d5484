import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { toChatViewOf } from "../chats/views.js";
import { collections, refs, type ChatDoc, type InviteDoc } from "../shared/model.js";
import { newInviteCode } from "./room-access.js";
import type { CreateRoomBody } from "./schemas.js";
import type { NewRoom } from "./views.js";

/**
 * Creates a room (`chats/{autoId}`, `type: "room"`) with the caller as host and first member,
 * and its invite (`invites/{code}`), in one batch.
 */
export async function createRoom(
  db: Firestore,
  now: Date,
  callerUid: string,
  input: CreateRoomBody,
  appUrl: string,
): Promise<NewRoom> {
  const chatRef = db.collection(collections.chats).doc();
  const inviteCode = newInviteCode();
  const at = Timestamp.fromDate(now);
  const room: ChatDoc = {
    type: "room",
    title: input.title.trim(),
    host: callerUid,
    inviteCode,
    status: "active",
    members: [callerUid],
    messageCount: 0,
    lastMessage: null,
    lastMessageAt: null,
    unread: { [callerUid]: 0 },
    lastRead: { [callerUid]: 0 },
    started: false,
    active: true,
    createdAt: at,
    updatedAt: at,
  };
  const batch = db.batch();
  batch.create(chatRef, room);
  batch.create(refs.invite(db, inviteCode), { chatId: chatRef.id, createdAt: at } satisfies InviteDoc);
  await batch.commit();
  return { chat: toChatViewOf(chatRef.id, room, callerUid), inviteCode, joinUri: joinUri(appUrl, inviteCode) };
}

/** The web app's link that joins the room with `code`. */
export function joinUri(appUrl: string, code: string): string {
  return `${appUrl}/join/${code}`;
}
