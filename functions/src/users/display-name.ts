import type { Firestore } from "firebase-admin/firestore";
import { ensureProfile } from "./ensure-profile.js";
import type { FindAuthUser } from "./find-auth-user.js";

/**
 * `users/{uid}.displayName`, the profile made from Auth first when it is missing
 * ({@link ensureProfile}: one read, plus one Auth lookup and one batch when missing), or
 * "Someone" for a uid Auth doesn't know either.
 */
export async function displayName(db: Firestore, now: Date, uid: string, findUser: FindAuthUser): Promise<string> {
  return (await ensureProfile(db, { now, uid, findUser }))?.profile.displayName || "Someone";
}
