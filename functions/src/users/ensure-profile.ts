import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { exists, refs, type UserDoc } from "../shared/model.js";
import { createUserProfile, newUserProfile } from "./create-user-profile.js";
import type { FindAuthUser } from "./find-auth-user.js";

/** A profile {@link ensureProfile} found or made. */
export interface EnsuredProfile {
  profile: UserDoc;
  /** `true` when it was missing when read: made just now, by this call or a writer racing it. */
  repaired: boolean;
  /** `true` when this call created it. */
  created: boolean;
}

/** Whose profile {@link ensureProfile} looks for, how a missing one is made, and when. */
export interface EnsureProfileOptions {
  /** The request's time: a new profile's `createdAt`. */
  now: Date;
  /** The user: `users/{uid}`. */
  uid: string;
  /** Looks the user up in Firebase Auth when the profile is missing. */
  findUser: FindAuthUser;
  /** `users/{uid}` as the caller already read it; absent, it is read. */
  known?: DocumentSnapshot<UserDoc>;
}

/**
 * `users/{uid}`, created from Firebase Auth when it is missing: the Auth user-created trigger
 * may never have run (a sign-up before the emulators were ready, a trigger that failed for good)
 * or the account may predate Parley. Safe alongside the trigger, in any order: both go through
 * `createUserProfile`, a `create`, so the profile is written once and the other finds it
 * (ALREADY_EXISTS) and reads it; both make it from the same Auth record, so it is the same
 * profile whoever wins.
 *
 * Cost: a present profile, nothing but the read of `users/{uid}` (nothing at all when `known`
 * is that read); a missing one, one Auth lookup (`findUser`), the profile's create and, for a
 * verified address, `user-emails/{hash}` (1-2 writes); one more read when someone else created
 * it meanwhile.
 * @returns the profile, or `null` when Auth has no such user either.
 */
export async function ensureProfile(db: Firestore, options: EnsureProfileOptions): Promise<EnsuredProfile | null> {
  const { now, uid, findUser, known } = options;
  const ref = refs.user(db, uid);
  const snap = known ?? (await ref.get());
  if (exists(snap)) return { profile: snap.data(), repaired: false, created: false };
  const authUser = await findUser(uid);
  if (!authUser) return null;
  // What createUserProfile writes is newUserProfile's, a pure function: no read after a create.
  if (await createUserProfile(db, now, authUser))
    return { profile: newUserProfile(authUser, now), repaired: true, created: true };
  const stored = (await ref.get()).data();
  return stored ? { profile: stored, repaired: true, created: false } : null;
}

/**
 * {@link ensureProfile} for a user the call is about (the other member of a chat, the user to
 * block): their profile, made from Auth when missing.
 * @throws AppError `not-found` when neither Firestore nor Auth knows `uid`.
 */
export async function requireProfile(db: Firestore, options: EnsureProfileOptions): Promise<UserDoc> {
  const ensured = await ensureProfile(db, options);
  if (!ensured) throw new AppError("not-found", `User ${options.uid} does not exist.`);
  return ensured.profile;
}
