import { Firestore, Timestamp } from "firebase-admin/firestore";
import { cleanDisplayText } from "../shared/display-text.js";
import { isAlreadyExists } from "../shared/errors.js";
import { refs, type UserDoc, type UserEmailDoc } from "../shared/model.js";
import { emailHash } from "./email-hash.js";

/** What the Auth user-created event tells us about a new user. */
export interface NewAuthUser {
  uid: string;
  email?: string | null;
  displayName?: string | null;
  photoURL?: string | null;
}

/**
 * Creates `users/{uid}` for a new Auth user and, when the user has an e-mail address,
 * `user-emails/{emailHash}` (one batch). The profile never holds the address: every signed-in
 * user may read profiles. Idempotent: a redelivered event finds the profile and changes nothing.
 * Without a display name, the part of the e-mail before `@` is used; control and bidi
 * characters are removed ({@link cleanDisplayText}).
 * @returns `true` when the profile was created by this call.
 */
export async function createUserProfile(db: Firestore, now: Date, user: NewAuthUser): Promise<boolean> {
  const profile: UserDoc = {
    displayName: cleanDisplayText(user.displayName ?? "") || cleanDisplayText(user.email?.split("@")[0] ?? "") || "Parley user",
    photoURL: user.photoURL ?? null,
    createdAt: Timestamp.fromDate(now),
  };
  const batch = db.batch().create(refs.user(db, user.uid), profile);
  if (user.email) batch.set(refs.userEmail(db, emailHash(user.email)), { uid: user.uid } satisfies UserEmailDoc);
  try {
    await batch.commit();
    return true;
  } catch (error) {
    if (isAlreadyExists(error)) return false;
    throw error;
  }
}
