import type { Auth } from "firebase-admin/auth";
import type { Firestore } from "firebase-admin/firestore";
import { requireModerator } from "../moderation/moderator.js";
import { errorCode } from "../shared/errors.js";
import type { DeletionMessagePolicy } from "../shared/model.js";
import { startErasure, type StartErasureOptions } from "./erase-account.js";
import type { AccountDeletionView } from "./views.js";

/** Whose account {@link deleteOwnAccount} deletes, and how its messages go. */
export interface DeleteOwnAccountOptions {
  now: Date;
  /** The caller, whose account it is. */
  uid: string;
  /** `ACCOUNT_DELETION_MESSAGES`. */
  messages: DeletionMessagePolicy;
}

/**
 * The caller deletes their account: starts its erasure job (`account-deletions/{erasureId}`, see
 * `startErasure`), then deletes the Firebase Auth user (one already gone is fine), so their
 * tokens stop working; the Auth trigger then finds the job and starts no other. Again: answers
 * the same job.
 */
export function deleteOwnAccount(db: Firestore, auth: Auth, options: DeleteOwnAccountOptions): Promise<AccountDeletionView> {
  return deleteAccount(db, auth, { ...options, requestedBy: "self" });
}

/** Whose account {@link deleteUserAccount} deletes, for which moderator, and how. */
export interface DeleteUserAccountOptions extends DeleteOwnAccountOptions {
  /** The caller: a moderator (custom claim). */
  caller: { uid: string; moderator?: boolean };
}

/**
 * A moderator deletes account `uid` as {@link deleteOwnAccount} does; the job's start writes a
 * `moderation-audit` entry naming the job (a hash), not the uid, in the same transaction.
 * @throws AppError `permission-denied` (not a moderator).
 */
export function deleteUserAccount(db: Firestore, auth: Auth, options: DeleteUserAccountOptions): Promise<AccountDeletionView> {
  const { caller, ...rest } = options;
  requireModerator(caller);
  return deleteAccount(db, auth, { ...rest, requestedBy: "moderator", moderator: caller.uid });
}

/** Starts the job, then deletes the Auth user (see {@link deleteOwnAccount}). */
async function deleteAccount(db: Firestore, auth: Auth, start: StartErasureOptions): Promise<AccountDeletionView> {
  const job = await startErasure(db, start);
  try {
    await auth.deleteUser(start.uid);
  } catch (error) {
    if (errorCode(error) !== "auth/user-not-found") throw error;
  }
  return { id: job.id, state: job.state, started: job.created };
}
