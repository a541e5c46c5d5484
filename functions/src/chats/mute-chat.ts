import { FieldPath, FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { privateStateWrite, readAsViewer, type MuteValue } from "../timeline/private-state.js";
import { AppError } from "../shared/errors.js";
import { isArchived, refs, type ChatDoc, type DirectPrivateState } from "../shared/model.js";
import { requireMember } from "../timeline/chat-access.js";
import { setRosterMute } from "../timeline/rosters.js";
import { BadgeEdit, isRoomId, writeBadge } from "../timeline/badge.js";
import { retryOnConflict } from "../shared/optimistic.js";
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
 * Messages, unread counts and external events are unaffected; the chat leaves the caller's app
 * badge (`users-external-event/{uid}.badge.{chatId}` and its threads' shares), and what arrives
 * while it is muted never joins it. The caller's mute is written where only they read it (no
 * write on the busy chat doc both members read):
 * `user-settings/{uid}.direct.{chatId}.mutedUntil` in a 1:1 chat,
 * `chats/{roomId}/members/{uid}.mutedUntil` in a room (with the member's roster shard,
 * `chats/{roomId}/rosters/{shard}`, in one batch). 2 reads (the chat, and the member doc or
 * `user-settings/{uid}`) + 1 (the event doc), 1-3 writes; retried when the badge changed
 * meanwhile.
 * @throws AppError `not-found` (no chat, or not a member), `invalid-argument` (`until` not in the future).
 */
export async function muteChat(db: Firestore, options: MuteChatOptions): Promise<MuteState> {
  const { now, callerUid, chatId, input } = options;
  const until = input.until === undefined ? null : new Date(input.until);
  if (until && until <= now) throw new AppError("invalid-argument", "until: must be in the future");
  await setMute(db, { uid: callerUid, chatId, value: until && Timestamp.fromDate(until), now });
  return { chatId, muted: true, mutedUntil: until?.toISOString() ?? null };
}

/**
 * Ends the caller's mute of `chatId` at `now` (idempotent): deletes the mute {@link muteChat}
 * writes; the badge's share keeps `now` as the mute's end, so a room message sent during the
 * mute whose fan-out comes later still does not count.
 * @throws AppError `not-found` (no chat, or not a member).
 */
export async function unmuteChat(db: Firestore, callerUid: string, chatId: string, now: Date): Promise<MuteState> {
  await setMute(db, { uid: callerUid, chatId, value: FieldValue.delete(), now });
  return { chatId, muted: false, mutedUntil: null };
}

/**
 * Writes the caller's mute of a chat they are a member of. In a 1:1 chat it is private state
 * ({@link privateStateWrite}); a mute left on the chat doc by an older version is removed in the
 * same batch. An archive is settled in the same write ({@link settledArchive}).
 */
async function setMute(db: Firestore, mute: MuteWrite): Promise<void> {
  await retryOnConflict(MUTE_MAX_ATTEMPTS, () => trySetMute(db, mute), muteExhausted);
}

/** A mute to write: whose, of which chat, its value (a `FieldValue.delete()` unmutes), and when. */
interface MuteWrite {
  uid: string;
  chatId: string;
  value: MuteValue;
  now: Date;
}

/** One attempt of {@link setMute}: the app badge is written over the event doc as read. */
async function trySetMute(db: Firestore, { uid, chatId, value, now }: MuteWrite): Promise<void> {
  const [{ chatSnap, memberSnap, settings }, eventSnap] = await Promise.all([
    readAsViewer(db, chatId, uid),
    refs.externalEvent(db, uid).get(),
  ]);
  const chat = requireMember(chatSnap, uid, memberSnap);
  const own = chat.type === "room" ? memberSnap?.data() : settings?.direct?.[chatId];
  const archive = settledArchive(chat, own);
  const batch = db.batch();
  if (chat.type === "room") {
    batch.update(refs.member(db, chatId, uid), { mutedUntil: value, ...archive });
    setRosterMute(db, { batch, chatId, uid, mutedUntil: value });
  } else {
    batch.set(...privateStateWrite(db, uid, chatId, { mutedUntil: value, ...archive }), { merge: true });
    if (chat.mutedUntil && uid in chat.mutedUntil)
      batch.update(chatSnap.ref, new FieldPath("mutedUntil", uid), FieldValue.delete());
  }
  const badge = new BadgeEdit(eventSnap.data(), isRoomId);
  if (value instanceof FieldValue) badge.unmute(chatId, Timestamp.fromDate(now));
  else badge.mute(chatId, value);
  if (badge.changed) writeBadge(batch, eventSnap, badge);
  await batch.commit();
}

/** How often a mute tries to write over an app badge that others keep changing. */
const MUTE_MAX_ATTEMPTS = 20;

function muteExhausted(): AppError {
  return new AppError("aborted", "Your unread counts are changing too fast to mute this chat now; retry.");
}

/**
 * Whether an archived chat still is archived depends on the mute when its newest message came
 * ({@link isArchived}); a new mute or unmute must not change that past answer. So the archive
 * is fixed as it stands: still archived, it now counts from the newest message (`archivedAt`
 * = `lastMessageAt`); back in the list already, it is removed.
 */
function settledArchive(chat: ChatDoc, own: Pick<DirectPrivateState, "archivedAt" | "mutedUntil"> | undefined) {
  if (!own?.archivedAt) return {};
  if (!isArchived(own.archivedAt, chat.lastMessageAt, own.mutedUntil)) return { archivedAt: FieldValue.delete() };
  const last = chat.lastMessageAt;
  return last && last.toMillis() > own.archivedAt.toMillis() ? { archivedAt: last } : {};
}

/** `true` while a mute whose end is `until` holds at `now` (`undefined`: not muted; `null`: until unmuted). */
export function isMuted(until: Timestamp | null | undefined, now: Date): boolean {
  if (until === undefined) return false;
  return until === null || until.toMillis() > now.getTime();
}
