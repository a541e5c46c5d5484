import type { Auth } from "firebase-admin/auth";

/** The verified e-mail address of each of `uids` that has one, by uid. */
export type VerifiedEmails = (uids: string[]) => Promise<Map<string, string>>;

/** Users Auth's `getUsers` looks up per call (its limit). */
const AUTH_BATCH = 100;

/**
 * The verified e-mail addresses of `uids`, read from Firebase Auth (addresses are nowhere in
 * Firestore a client can read). A user without an address, with an unverified one, or unknown
 * to Auth is left out: Parley mails only addresses their owner has proven.
 */
export async function verifiedEmails(auth: Auth, uids: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < uids.length; i += AUTH_BATCH) {
    const { users } = await auth.getUsers(uids.slice(i, i + AUTH_BATCH).map((uid) => ({ uid })));
    for (const user of users) if (user.email && user.emailVerified) found.set(user.uid, user.email);
  }
  return found;
}
