import type { Auth } from "firebase-admin/auth";
import type { NewAuthUser } from "./create-user-profile.js";
import { errorCode } from "../shared/errors.js";

/**
 * Looks `uid` up in Firebase Auth: what its profile is made from, or `null` when Auth has no
 * such user. Domain code gets it as an argument; the glue passes {@link findAuthUser}.
 */
export type FindAuthUser = (uid: string) => Promise<NewAuthUser | null>;

/**
 * The fields of an Auth user record a profile is made from: the Admin SDK's `UserRecord` (from
 * `getUser` or `listUsers`) and the record the 1st gen Auth user-created trigger receives.
 */
export interface AuthRecord {
  uid: string;
  email?: string | null;
  emailVerified?: boolean | null;
  displayName?: string | null;
  photoURL?: string | null;
  metadata?: { creationTime?: string | null } | null;
}

/**
 * The Auth record of `uid` ({@link toNewAuthUser}), or `null` when Auth has no such user, or
 * `uid` is one Auth can't hold (the Admin SDK refuses it before asking: more than 128 UTF-16
 * code units, e.g. a path segment of emoji; no user has it).
 */
export async function findAuthUser(auth: Auth, uid: string): Promise<NewAuthUser | null> {
  try {
    return toNewAuthUser(await auth.getUser(uid));
  } catch (error) {
    if (errorCode(error) === "auth/user-not-found" || errorCode(error) === "auth/invalid-uid") return null;
    throw error;
  }
}

/** What a profile is made from, out of an Auth record; `createdAt` per {@link authCreationTime}. */
export function toNewAuthUser(record: AuthRecord): NewAuthUser {
  const createdAt = authCreationTime(record.metadata?.creationTime);
  return {
    uid: record.uid,
    email: record.email,
    emailVerified: record.emailVerified === true,
    displayName: record.displayName,
    photoURL: record.photoURL,
    ...(createdAt && { createdAt }),
  };
}

/**
 * Auth's creation time of an account (a date string, e.g. `"Tue, 01 Dec 2026 10:00:00 GMT"`),
 * cut to the whole second: `getUser` reports no finer, so the trigger and a repair derive the
 * same instant. `undefined` when absent or not a date.
 */
export function authCreationTime(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(Math.floor(ms / 1000) * 1000);
}
