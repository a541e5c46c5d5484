import { Firestore, Timestamp } from "firebase-admin/firestore";
import { cleanDisplayText } from "../shared/display-text.js";
import { isAlreadyExists } from "../shared/errors.js";
import { refs, type UserDoc } from "../shared/model.js";

/** What the Auth user-created event tells us about a new user. */
export interface NewAuthUser {
  uid: string;
  email?: string | null;
  displayName?: string | null;
  photoURL?: string | null;
}

/**
 * Creates `users/{uid}` for a new Auth user. Idempotent: a redelivered event finds the doc and
 * changes nothing. Without a display name, the part of the e-mail before `@` is used; control
 * and bidi characters are removed ({@link cleanDisplayText}).
 * @returns `true` when the doc was created by this call.
 */
export async function createUserProfile(db: Firestore, now: Date, user: NewAuthUser): Promise<boolean> {
  const profile: UserDoc = {
    displayName: cleanDisplayText(user.displayName ?? "") || cleanDisplayText(user.email?.split("@")[0] ?? "") || "Parley user",
    email: user.email ?? null,
    photoURL: user.photoURL ?? null,
    createdAt: Timestamp.fromDate(now),
  };
  try {
    await refs.user(db, user.uid).create(profile);
    return true;
  } catch (error) {
    if (isAlreadyExists(error)) return false;
    throw error;
  }
}
