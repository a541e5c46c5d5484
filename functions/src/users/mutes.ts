import { FieldPath, FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { getAll, refs } from "../shared/model.js";
import { blockersOf } from "./blocks.js";
import { requireProfile } from "./ensure-profile.js";
import type { FindAuthUser } from "./find-auth-user.js";
import type { MutedUsers, UserMute } from "./views.js";

/** Most users one user may mute: bounds their settings doc and the listing of their mutes. */
export const MAX_MUTED_USERS = 100;

/** Whom {@link muteUser} mutes, for whom, and when. */
export interface MuteUserOptions {
  /** The request's time: the mute's `mutedAt`. */
  now: Date;
  /** The user who mutes. */
  callerUid: string;
  /** The user to mute. */
  uid: string;
  /** Makes the muted user's missing profile from Firebase Auth. */
  findUser: FindAuthUser;
}

/**
 * The caller mutes `uid`: `user-settings/{caller}.mutedUsers.{uid}` = `now`. Their messages and
 * thread replies in rooms then push nothing to the caller and stay off the caller's app badge
 * (the fan-out and the reply ask {@link silencersOf}); they are not
 * blocked: they still message the caller, and 1:1 chats keep their own mute (`muteChat`).
 * Idempotent: muting again answers the mute as it is. Reads `users/{uid}` (made from Auth when
 * missing, see `requireProfile`), then one transaction over the caller's settings (1 read, 0-1
 * write).
 * @throws AppError `invalid-argument` (yourself), `not-found` (no such user, in Firestore or
 *   Auth), `failed-precondition` (already muting {@link MAX_MUTED_USERS} users).
 */
export async function muteUser(db: Firestore, options: MuteUserOptions): Promise<UserMute> {
  const { now, callerUid, uid, findUser } = options;
  if (uid === callerUid) throw new AppError("invalid-argument", "uid: you cannot mute yourself");
  await requireProfile(db, { now, uid, findUser });
  const settingsRef = refs.userSettings(db, callerUid);
  return db.runTransaction(async (tx) => {
    const muted = (await tx.get(settingsRef)).data()?.mutedUsers ?? {};
    const since = muted[uid];
    if (since) return { uid, muted: true, mutedAt: since.toDate().toISOString() };
    if (Object.keys(muted).length >= MAX_MUTED_USERS) {
      throw new AppError("failed-precondition", `You can mute at most ${MAX_MUTED_USERS} users; unmute someone first.`);
    }
    const mutedAt = Timestamp.fromDate(now);
    tx.set(settingsRef, { mutedUsers: { [uid]: mutedAt } }, { merge: true });
    return { uid, muted: true, mutedAt: now.toISOString() };
  });
}

/**
 * The caller unmutes `uid`: removes `user-settings/{caller}.mutedUsers.{uid}` (one write, no
 * read); unmuting someone not muted changes nothing and answers the same.
 */
export async function unmuteUser(db: Firestore, callerUid: string, uid: string): Promise<UserMute> {
  await refs.userSettings(db, callerUid).set({ mutedUsers: { [uid]: FieldValue.delete() } }, { merge: true });
  return { uid, muted: false, mutedAt: null };
}

/**
 * The users the caller muted, newest mute first, with their display names (at most
 * {@link MAX_MUTED_USERS}: unpaged). Reads `user-settings/{caller}` and the muted users'
 * `users/{uid}` (1 + n reads).
 */
export async function listMutedUsers(db: Firestore, callerUid: string): Promise<MutedUsers> {
  const muted = Object.entries((await refs.userSettings(db, callerUid).get()).data()?.mutedUsers ?? {});
  muted.sort(([a, at], [b, bt]) => bt.toMillis() - at.toMillis() || (a < b ? -1 : 1));
  const users = muted.length === 0 ? [] : await getAll(db, ...muted.map(([uid]) => refs.user(db, uid)));
  return {
    mutedUsers: muted.map(([uid, at], i) => ({
      uid,
      displayName: users[i].data()?.displayName ?? "",
      mutedAt: at.toDate().toISOString(),
    })),
  };
}

/**
 * Everyone who muted `sender`: one query of `user-settings` where `mutedUsers.{sender}` is set,
 * ids only (a read per muter, at least one). Used by a room's fan-out, so a muter gets no push
 * from them; `blockersOf` is its twin for blocks.
 */
export async function mutersOf(db: Firestore, sender: string): Promise<Set<string>> {
  const snaps = await refs
    .allUserSettings(db)
    .where(new FieldPath("mutedUsers", sender), ">", Timestamp.fromMillis(0))
    .select()
    .get();
  return new Set(snaps.docs.map((doc) => doc.id));
}

/**
 * Everyone who keeps `sender` out of their room pushes and app badge: who muted them
 * ({@link mutersOf}) or blocked them (`blockersOf`); two queries at once, a read per user found,
 * at least one each.
 */
export async function silencersOf(db: Firestore, sender: string): Promise<Set<string>> {
  const [blockers, muters] = await Promise.all([blockersOf(db, sender), mutersOf(db, sender)]);
  return new Set([...blockers, ...muters]);
}
