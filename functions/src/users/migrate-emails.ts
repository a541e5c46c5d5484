import { FieldPath, FieldValue, type Firestore } from "firebase-admin/firestore";
import { collections, refs, type UserEmailDoc } from "../shared/model.js";
import { emailHash } from "./email-hash.js";

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
 * with an `email` field, sets `user-emails/{emailHash}` = `{uid}` and deletes the field, in one
 * batch per page. Idempotent and resumable (a moved profile has no field left). Reads `users/*`
 * by id, {@link USER_PAGE} at a time.
 */
export async function migrateUserEmails(db: Firestore): Promise<EmailMigrationReport> {
  const report: EmailMigrationReport = { moved: 0, read: 0 };
  let query = db.collection(collections.users).orderBy(FieldPath.documentId()).limit(USER_PAGE);
  for (;;) {
    const users = (await query.get()).docs;
    report.read += users.length;
    const batch = db.batch();
    for (const user of users) {
      const email: unknown = user.get("email");
      if (email === undefined) continue;
      if (typeof email === "string" && email)
        batch.set(refs.userEmail(db, emailHash(email)), { uid: user.id } satisfies UserEmailDoc);
      batch.update(user.ref, { email: FieldValue.delete() });
      report.moved += 1;
    }
    await batch.commit();
    if (users.length < USER_PAGE) return report;
    query = query.startAfter(users[users.length - 1]);
  }
}
