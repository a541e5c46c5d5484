import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { refs, type ChatDoc, type InviteDoc } from "../shared/model.js";
import { joinUri } from "./create-room.js";
import { newInviteCode, requireHost, requireOpen } from "./room-access.js";
import type { RoomInvite } from "./views.js";

/**
 * The host replaces the room's invite code: the old one stops working at once (a join checks
 * the room's current `inviteCode`, and its `invites/` doc is deleted). One batch.
 * @throws AppError `not-found`, `permission-denied` (not the host), `failed-precondition` (ended).
 */
export async function rotateInvite(
  db: Firestore,
  now: Date,
  callerUid: string,
  chatId: string,
  appUrl: string,
): Promise<RoomInvite> {
  const chatRef = refs.chat(db, chatId);
  const room = requireHost((await chatRef.get()).data() as ChatDoc | undefined, chatId, callerUid);
  requireOpen(room);
  const inviteCode = newInviteCode();
  const batch = db.batch();
  batch.create(refs.invite(db, inviteCode), { chatId, createdAt: Timestamp.fromDate(now) } satisfies InviteDoc);
  if (room.inviteCode) batch.delete(refs.invite(db, room.inviteCode));
  batch.update(chatRef, { inviteCode });
  await batch.commit();
  return { chatId, inviteCode, joinUri: joinUri(appUrl, inviteCode) };
}
