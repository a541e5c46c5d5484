import { FieldPath, FieldValue, type Firestore } from "firebase-admin/firestore";
import { refs, type UserEmailDoc } from "../shared/model.js";
import { emailHash } from "./email-hash.js";
import type { VerifiedEmails } from "./verified-emails.js";

/** Profiles read per page (each moved one writes 2 docs: under 500 per batch). */
const USER_PAGE = 200;

/** What an e-mail migration run did. */
export interface EmailMigrationReport {
  /** Profiles whose `email` field this run moved to `user-emails/`. */
  moved: number;
  /** Profiles read. */
  read: number;
}

/**
 * Takes e-mail addresses out of the profiles made before they left them: for each `users/{uid}`
 * with an `email` field, deletes the field and, when Firebase Auth says the account's address is
 * that one and verified (`verified`, one Auth lookup per page), points `user-emails/{emailHash}`
 * at the user (`user-emails` holds verified addresses only; an address verified later is
 * mapped by `registerEmail`). One batch per page. Idempotent and resumable (a moved profile has
 * no field left). Reads `users/*` by id, {@link USER_PAGE} at a time.
 */
export async function migrateUserEmails(db: Firestore, verified: VerifiedEmails): Promise<EmailMigrationReport> {
  const report: EmailMigrationReport = { moved: 0, read: 0 };
  let query = refs.users(db).orderBy(FieldPath.documentId()).limit(USER_PAGE);
  for (;;) {
    const users = (await query.get()).docs;
    report.read += users.length;
    const holding = users.filter((user) => user.data().email !== undefined);
    const addresses = holding.length > 0 ? await verified(holding.map((user) => user.id)) : new Map<string, string>();
    const batch = db.batch();
    for (const user of holding) {
      const { email } = user.data();
      const address = addresses.get(user.id);
      if (typeof email === "string" && address !== undefined && emailHash(address) === emailHash(email))
        batch.set(refs.userEmail(db, emailHash(email)), { uid: user.id } satisfies UserEmailDoc);
      batch.update(user.ref, { email: FieldValue.delete() });
      report.moved += 1;
    }
    await batch.commit();
    if (users.length < USER_PAGE) return report;
    query = query.startAfter(users[users.length - 1]);
  }
}

/** What a run of {@link pruneUnverifiedEmails} did. */
export interface EmailPruneReport {
  /** `user-emails` docs read. */
  read: number;
  /** Docs deleted: their user has no verified address with that hash (or is gone). */
  deleted: number;
}

/**
 * Deletes the `user-emails/{hash}` docs that earlier versions wrote for addresses that were
 * never verified (they mapped every sign-up's address): a doc stays only when Auth says its
 * `uid` has a verified address whose hash is the doc's id (`verified`, one Auth lookup per
 * page). Idempotent and resumable. Reads `user-emails/*` by id, {@link USER_PAGE} at a time;
 * one batch of deletes per page.
 */
export async function pruneUnverifiedEmails(db: Firestore, verified: VerifiedEmails): Promise<EmailPruneReport> {
  const report: EmailPruneReport = { read: 0, deleted: 0 };
  let query = refs.userEmails(db).orderBy(FieldPath.documentId()).limit(USER_PAGE);
  for (;;) {
    const docs = (await query.get()).docs;
    report.read += docs.length;
    const uids = [...new Set(docs.map((doc) => doc.data().uid))];
    const addresses = uids.length > 0 ? await verified(uids) : new Map<string, string>();
    const batch = db.batch();
    for (const doc of docs) {
      const address = addresses.get(doc.data().uid);
      if (address !== undefined && emailHash(address) === doc.id) continue;
      batch.delete(doc.ref);
      report.deleted += 1;
    }
    await batch.commit();
    if (docs.length < USER_PAGE) return report;
    query = query.startAfter(docs[docs.length - 1]);
  }
}
