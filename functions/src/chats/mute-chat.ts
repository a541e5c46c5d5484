import { FieldPath, FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { privateStateWrite, type MuteValue } from "../timeline/private-state.js";
import { AppError } from "../shared/errors.js";
import { refs } from "../shared/model.js";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { setRosterMute } from "../timeline/rosters.js";
import type { MuteChatBody } from "./schemas.js";
import type { MuteState } from "./views.js";

/** Who mutes which chat, when, and until when. */
export interface MuteChatOptions {
  /** The request's time: `until` must be after it. */
  now: Date;
  /** The member who mutes the chat for themselves. */
  callerUid: string;
  /** The chat to mute: `chats/{chatId}`. */
  chatId: string;
  /** `until`: when the mute ends (ISO time); absent, until unmuted. */
  input: MuteChatBody;
}

/**
 * Mutes push notifications of `chatId` for the caller until `until` (default: until unmuted).
 * Messages, unread counts and external events are unaffected. A blind write of the caller's
 * mute, where only they read it (no write on the busy chat doc both members read):
 * `user-settings/{uid}.direct.{chatId}.mutedUntil` in a 1:1 chat,
 * `chats/{roomId}/members/{uid}.mutedUntil` in a room (with the member's roster shard,
 * `chats/{roomId}/rosters/{shard}`, in one batch). 1-2 reads, 1-2 writes.
 * @throws AppError `not-found` (no chat, or not a member), `invalid-argument` (`until` not in the future).
 */
export async function muteChat(db: Firestore, options: MuteChatOptions): Promise<MuteState> {
  const { now, callerUid, chatId, input } = options;
  const until = input.until === undefined ? null : new Date(input.until);
  if (until && until <= now) throw new AppError("invalid-argument", "until: must be in the future");
  await setMute(db, callerUid, chatId, until && Timestamp.fromDate(until));
  return { chatId, muted: true, mutedUntil: until?.toISOString() ?? null };
}

/**
 * Ends the caller's mute of `chatId` (idempotent): deletes the mute {@link muteChat} writes.
 * @throws AppError `not-found` (no chat, or not a member).
 */
export async function unmuteChat(db: Firestore, callerUid: string, chatId: string): Promise<MuteState> {
  await setMute(db, callerUid, chatId, FieldValue.delete());
  return { chatId, muted: false, mutedUntil: null };
}

/**
 * Writes the caller's mute of a chat they are a member of. In a 1:1 chat it is private state
 * ({@link privateStateWrite}); a mute left on the chat doc by an older version is removed in the
 * same batch.
 */
async function setMute(db: Firestore, uid: string, chatId: string, value: MuteValue): Promise<void> {
  const { chatSnap, memberSnap } = await readAsMember(db, chatId, uid);
  const chat = requireMember(chatSnap, uid, memberSnap);
  const batch = db.batch();
  if (chat.type === "room") {
    batch.update(refs.member(db, chatId, uid), "mutedUntil", value);
    setRosterMute(db, { batch, chatId, uid, mutedUntil: value });
  } else {
    batch.set(...privateStateWrite(db, uid, chatId, { mutedUntil: value }), { merge: true });
    if (chat.mutedUntil && uid in chat.mutedUntil)
      batch.update(chatSnap.ref, new FieldPath("mutedUntil", uid), FieldValue.delete());
  }
  await batch.commit();
}

/** `true` while a mute whose end is `until` holds at `now` (`undefined`: not muted; `null`: until unmuted). */
export function isMuted(until: Timestamp | null | undefined, now: Date): boolean {
  if (until === undefined) return false;
  return until === null || until.toMillis() > now.getTime();
}
