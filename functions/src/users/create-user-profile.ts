import { Firestore, Timestamp } from "firebase-admin/firestore";
import { cleanDisplayText } from "../shared/display-text.js";
import { isAlreadyExists } from "../shared/errors.js";
import { refs, type UserDoc } from "../shared/model.js";
import { pointVerifiedEmail } from "./point-email.js";

/** What Firebase Auth tells us about a user: the Auth user-created event, or an Auth lookup. */
export interface NewAuthUser {
  uid: string;
  email?: string | null;
  /** Whether Auth says the account's e-mail address is verified (absent: not verified). */
  emailVerified?: boolean;
  displayName?: string | null;
  photoURL?: string | null;
  /** When Auth created the account (whole seconds); absent when Auth did not say. */
  createdAt?: Date;
}

/**
 * The profile `users/{uid}` made from `user`: without a display name, the part of the e-mail
 * before `@` (then "Parley user"), with control and bidi characters removed
 * ({@link cleanDisplayText}); `createdAt` is Auth's creation time, or `now` when Auth gave none.
 * Pure: the trigger and a later repair given the same Auth record make the same profile.
 */
export function newUserProfile(user: NewAuthUser, now: Date): UserDoc {
  return {
    displayName: cleanDisplayText(user.displayName ?? "") || cleanDisplayText(user.email?.split("@")[0] ?? "") || "Parley user",
    photoURL: user.photoURL ?? null,
    createdAt: Timestamp.fromDate(user.createdAt ?? now),
  };
}

/**
 * Creates `users/{uid}` ({@link newUserProfile}) for an Auth user and, when the user's e-mail
 * address is verified, points `user-emails/{emailHash}` at them ({@link pointVerifiedEmail}; an
 * unverified address is never mapped, so a sign-up can't take another person's address). The
 * profile never holds the address: every signed-in user may read profiles. The profile is a
 * `create`, so of the Auth trigger, a redelivered event and a repair (`ensureProfile`) running at
 * once, one writes and the others find it (ALREADY_EXISTS) and change nothing; the address is
 * pointed by each (idempotent).
 * @returns `true` when the profile was created by this call.
 */
export async function createUserProfile(db: Firestore, now: Date, user: NewAuthUser): Promise<boolean> {
  let created = true;
  try {
    await refs.user(db, user.uid).create(newUserProfile(user, now));
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    created = false;
  }
  if (user.email && user.emailVerified) await pointVerifiedEmail(db, user.email, user.uid);
  return created;
}
