import type { Firestore } from "firebase-admin/firestore";
import { refs, type UserDoc } from "../shared/model.js";

/** `users/{uid}.displayName`, or "Someone" for a user without a profile. */
export async function displayName(db: Firestore, uid: string): Promise<string> {
  return ((await refs.user(db, uid).get()).data() as UserDoc | undefined)?.displayName || "Someone";
}
