import { Firestore, Timestamp } from "firebase-admin/firestore";
import { cleanDisplayText } from "../shared/display-text.js";
import { isAlreadyExists } from "../shared/errors.js";
import { refs, type UserDoc, type UserEmailDoc } from "../shared/model.js";
import { emailHash } from "./email-hash.js";

/** What Firebase Auth tells us about a user: the Auth user-created event, or an Auth lookup. */
export interface NewAuthUser {
  uid: string;
  email?: string | null;
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
 * Creates `users/{uid}` ({@link newUserProfile}) for an Auth user and, when the user has an
 * e-mail address, `user-emails/{emailHash}` (one batch). The profile never holds the address:
 * every signed-in user may read profiles. The profile is a `create`, so of the Auth trigger, a
 * redelivered event and a repair (`ensureProfile`) running at once, one writes and the
 * others find it (ALREADY_EXISTS fails their batch as a whole) and change nothing.
 * @returns `true` when the profile was created by this call.
 */
export async function createUserProfile(db: Firestore, now: Date, user: NewAuthUser): Promise<boolean> {
  const batch = db.batch().create(refs.user(db, user.uid), newUserProfile(user, now));
  if (user.email) batch.set(refs.userEmail(db, emailHash(user.email)), { uid: user.uid } satisfies UserEmailDoc);
  try {
    await batch.commit();
    return true;
  } catch (error) {
    if (isAlreadyExists(error)) return false;
    throw error;
  }
}
