import type { Firestore } from "firebase-admin/firestore";
import { AppError, isAlreadyExists } from "../shared/errors.js";
import { refs, type UserEmailDoc } from "../shared/model.js";
import { emailHash } from "./email-hash.js";

/**
 * Points `user-emails/{emailHash(email)}` at `uid`, for an address Firebase Auth says is
 * verified on that account; the caller checks that, since the doc holds verified addresses
 * only. The doc is `create`d; one that points at another account is re-pointed here (the
 * address was verified on this account since), and one that already points here is left as it
 * is. Idempotent. Writes at most once: 1 write (new), or 1 read and at most 1 write.
 * @returns whether the doc was written.
 */
export async function pointVerifiedEmail(db: Firestore, email: string, uid: string): Promise<boolean> {
  const ref = refs.userEmail(db, emailHash(email));
  const doc: UserEmailDoc = { uid };
  try {
    await ref.create(doc);
    return true;
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  if ((await ref.get()).get("uid") === uid) return false;
  await ref.set(doc);
  return true;
}

/**
 * `registerEmail`: points the caller's e-mail address (their ID token's `email`) at them, when
 * the token says it is verified (`email_verified`), as {@link pointVerifiedEmail}. An address
 * verified after sign-up is mapped only this way (Auth sends no event when it is verified).
 * @throws AppError `failed-precondition` when the account has no address or it is not verified
 *   (sign in again after verifying: the ID token must say so).
 */
export async function registerEmail(db: Firestore, caller: { uid: string; email?: string; emailVerified?: boolean }) {
  if (!caller.email) throw new AppError("failed-precondition", "Your account has no e-mail address.");
  if (!caller.emailVerified) {
    throw new AppError("failed-precondition", "Verify your e-mail address first, then sign in again so your ID token says so.");
  }
  await pointVerifiedEmail(db, caller.email, caller.uid);
  return { findable: true as const };
}
