import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { recordAudit } from "../shared/audit.js";
import { getAll, refs, type InviteDoc } from "../shared/model.js";
import { joinUri } from "./create-room.js";
import { newInviteCode, requireHost, requireOpen, type RoomActor } from "./room-access.js";
import type { RoomInvite } from "./views.js";

/** Which room's invite {@link rotateInvite} replaces, by whom, and when. */
export interface RotateInviteOptions {
  /** The request's time: the new invite's `createdAt`. */
  now: Date;
  /** The room's host, or a moderator. */
  caller: RoomActor;
  /** The room: `chats/{roomId}`. */
  chatId: string;
  /** The web app's URL, for the invite link (`APP_URL`). */
  appUrl: string;
}

/**
 * The host replaces the room's invite code: the old one stops working at once (a join checks
 * the room's current `inviteCode`, and its `invites/` doc is deleted). A moderator who is not
 * the host may too; the batch then also writes a `moderation-audit` entry. One batch.
 * Reads the room and the caller's member doc.
 * @throws AppError as {@link requireHost}, `failed-precondition` (ended).
 */
export async function rotateInvite(db: Firestore, options: RotateInviteOptions): Promise<RoomInvite> {
  const { now, caller, chatId, appUrl } = options;
  const chatRef = refs.chat(db, chatId);
  const [chatSnap, memberSnap] = await getAll(db, chatRef, refs.member(db, chatId, caller.uid));
  const room = requireHost(chatSnap.data(), caller, memberSnap);
  requireOpen(room);
  const inviteCode = newInviteCode();
  const batch = db.batch();
  batch.create(refs.invite(db, inviteCode), { chatId, createdAt: Timestamp.fromDate(now) } satisfies InviteDoc);
  if (room.inviteCode) batch.delete(refs.invite(db, room.inviteCode));
  batch.update(chatRef, { inviteCode });
  if (room.host !== caller.uid) recordAudit(db, batch, now, { moderator: caller.uid, action: "rotate-invite", chatId });
  await batch.commit();
  return { chatId, inviteCode, joinUri: joinUri(appUrl, inviteCode) };
}
