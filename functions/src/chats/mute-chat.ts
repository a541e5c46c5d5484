import { FieldPath, FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { refs } from "../shared/model.js";
import { requireMember } from "../timeline/chat-access.js";
import type { MuteChatBody } from "./schemas.js";
import type { MuteState } from "./views.js";

/**
 * Mutes push notifications of `chatId` for the caller until `until` (default: until unmuted).
 * Messages, unread counts and external events are unaffected. A blind write of
 * `chats/{chatId}.mutedUntil.{uid}` (no read-modify-write on the busy chat doc).
 * @throws AppError `not-found`, `permission-denied`, `invalid-argument` (`until` not in the future).
 */
export async function muteChat(
  db: Firestore,
  now: Date,
  callerUid: string,
  chatId: string,
  input: MuteChatBody,
): Promise<MuteState> {
  const chatRef = refs.chat(db, chatId);
  requireMember(await chatRef.get(), callerUid);
  const until = input.until === undefined ? null : new Date(input.until);
  if (until && until <= now) throw new AppError("invalid-argument", "until: must be in the future");
  await chatRef.update(new FieldPath("mutedUntil", callerUid), until && Timestamp.fromDate(until));
  return { chatId, muted: true, mutedUntil: until?.toISOString() ?? null };
}

/**
 * Ends the caller's mute of `chatId` (idempotent): deletes `chats/{chatId}.mutedUntil.{uid}`.
 * @throws AppError `not-found`, `permission-denied`.
 */
export async function unmuteChat(db: Firestore, callerUid: string, chatId: string): Promise<MuteState> {
  const chatRef = refs.chat(db, chatId);
  requireMember(await chatRef.get(), callerUid);
  await chatRef.update(new FieldPath("mutedUntil", callerUid), FieldValue.delete());
  return { chatId, muted: false, mutedUntil: null };
}

/** `true` while `uid` has `chat` muted at `now`. */
export function isMuted(mutedUntil: Record<string, Timestamp | null> | undefined, uid: string, now: Date): boolean {
  if (!mutedUntil || !(uid in mutedUntil)) return false;
  const until = mutedUntil[uid];
  return until === null || until.toMillis() > now.getTime();
}
