import { createHash } from "node:crypto";
import type { Bucket } from "@google-cloud/storage";
import { FieldValue, Timestamp, type Firestore, type WriteBatch } from "firebase-admin/firestore";
import { objectDeleter, prefixDeleter } from "../files/delete-objects.js";
import { recordAudit } from "../shared/audit.js";
import { AppError, hasGrpcStatus, grpcStatus } from "../shared/errors.js";
import { collections, DELETED_USER, refs, type AccountDeletionDoc, type DeletionMessagePolicy } from "../shared/model.js";
import { sweeps, type SweepContext } from "./sweeps.js";

/** The id of an account's erasure job: SHA-256 hex of its uid, so the job keeps no uid once done. */
export function erasureId(uid: string): string {
  return createHash("sha256").update(uid).digest("hex");
}

/** How long a running job may go without a page before it counts as stalled and is driven again. */
export const ERASURE_STALL_MS = 10 * 60_000;

/** Whose account {@link startErasure} erases, who asked, and how its messages go. */
export interface StartErasureOptions {
  now: Date;
  uid: string;
  requestedBy: AccountDeletionDoc["requestedBy"];
  messages: DeletionMessagePolicy;
  /** A moderator's start: audited (`moderation-audit`, the job's id, not the uid) with the job. */
  moderator?: string;
}

/** An erasure job as answered: its id, whether this call started it, and whether it is done. */
export interface ErasureStarted {
  id: string;
  created: boolean;
  state: AccountDeletionDoc["state"];
}

/**
 * Starts erasing account `uid`: creates `account-deletions/{erasureId(uid)}` (`running`, first
 * sweep), whose writes drive the job (`accounts/on-account-deletion.ts`). A job already there,
 * running or done, is answered as it is: the API and the Auth trigger both call this, and only
 * the first starts a job; a running job with no page for {@link ERASURE_STALL_MS} is written
 * again, which runs its trigger again. One read, one write (two with a moderator's audit entry)
 * in a transaction.
 * @throws AppError `invalid-argument` for the uid `deleted-user` (the marker, no account).
 */
export async function startErasure(db: Firestore, options: StartErasureOptions): Promise<ErasureStarted> {
  const { now, uid, requestedBy, messages } = options;
  // The marker every erasure writes: "erasing" it would find every anonymised doc, forever.
  if (uid === DELETED_USER) throw new AppError("invalid-argument", `uid: "${DELETED_USER}" is no account`);
  const ref = refs.accountDeletion(db, erasureId(uid));
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const found = snap.data();
    if (found) {
      // A job that stopped moving (its event gave up) is written again, so its trigger runs on.
      if (found.state === "running" && now.getTime() - found.updatedAt.toMillis() > ERASURE_STALL_MS) {
        tx.update(ref, { updatedAt: Timestamp.fromDate(now) });
      }
      return { id: ref.id, created: false, state: found.state };
    }
    const at = Timestamp.fromDate(now);
    const job: AccountDeletionDoc = {
      uid,
      state: "running",
      requestedBy,
      messages,
      phase: 0,
      phaseName: "started",
      counts: {},
      pages: 0,
      startedAt: at,
      updatedAt: at,
    };
    tx.create(ref, job);
    if (options.moderator) recordAudit(db, tx, now, { moderator: options.moderator, action: "delete-account", account: ref.id });
    return { id: ref.id, created: true, state: "running" };
  });
}

/** How {@link runErasurePage} runs a page. */
export interface ErasurePageOptions {
  now: Date;
  /** Docs per page (each sweep's query limit); `ACCOUNT_DELETION_PAGE_SIZE`. */
  pageSize: number;
  /** The default bucket: the account's files, chat exports and personal exports. */
  bucket: Bucket;
}

/** What a page did: ran one (`more` to come, or `done`), or found nothing to do (`idle`). */
export type ErasurePage = "more" | "done" | "idle";

/**
 * Runs one page of erasure job `id` (`account-deletions/{id}`): the first `pageSize` docs its
 * current sweep still finds (`accounts/sweeps.ts`), their writes committed in one batch with the
 * job's progress, on the job doc as read (a run that lost the race to another finds the job moved
 * and does nothing). A page shorter than `pageSize` ends its sweep; after the last sweep, the
 * last page deletes `users/{uid}`, `presence/{uid}`, `user-settings/{uid}`,
 * `users-external-event/{uid}`, `rate-limits/{uid}`, `personal-exports/{uid}` and the Storage
 * objects under `personal-exports/{uid}/`, and marks the job `done` without its uid.
 * A page that fails part-way leaves what it committed; the next run's query finds the rest.
 * Reads the job, the profile (for the name in system messages) and the page; writes the page.
 * @throws the SDKs' errors (a retry resumes).
 */
export async function runErasurePage(db: Firestore, id: string, options: ErasurePageOptions): Promise<ErasurePage> {
  const jobRef = refs.accountDeletion(db, id);
  const jobSnap = await jobRef.get();
  const job = jobSnap.data();
  if (!job || job.state === "done" || job.uid === undefined) return "idle";
  const uid = job.uid;
  const profile = await refs.user(db, uid).get();
  const ctx: SweepContext = {
    db,
    uid,
    jobId: id,
    now: options.now,
    messages: job.messages,
    bucket: options.bucket,
    deleteObjects: objectDeleter(options.bucket),
    name: profile.data()?.displayName ?? "",
  };
  const sweep = sweeps[job.phase];
  const batch = db.batch();
  const at = Timestamp.fromDate(options.now);
  const precondition = { lastUpdateTime: jobSnap.updateTime as Timestamp };
  if (!sweep) {
    await prefixDeleter(options.bucket)(`personal-exports/${uid}/`);
    for (const ref of [refs.user, refs.presence, refs.userSettings, refs.externalEvent, refs.rateLimit, refs.personalExport])
      batch.delete(ref(db, uid));
    batch.update(jobRef, { uid: FieldValue.delete(), state: "done", phaseName: "done", doneAt: at, updatedAt: at }, precondition);
    return (await commitPage(batch)) ? "done" : "idle";
  }
  const limit = Math.min(options.pageSize, sweep.pageSize ?? options.pageSize);
  const docs = (await sweep.query(ctx).limit(limit).get()).docs;
  if (sweep.before && docs.length > 0) await sweep.before(ctx, docs);
  for (const doc of docs) await sweep.write(ctx, batch, doc);
  const ended = docs.length < limit;
  const phase = ended ? job.phase + 1 : job.phase;
  const progress = {
    phase,
    phaseName: sweeps[phase]?.name ?? "own-docs",
    [`counts.${sweep.name}`]: FieldValue.increment(docs.length),
    pages: FieldValue.increment(1),
    updatedAt: at,
  };
  batch.update(jobRef, progress, precondition);
  return (await commitPage(batch)) ? "more" : "idle";
}

/** Commits a page; `false` when another run moved the job first (its precondition failed). */
async function commitPage(batch: WriteBatch): Promise<boolean> {
  try {
    await batch.commit();
    return true;
  } catch (error) {
    if (hasGrpcStatus(error, grpcStatus.failedPrecondition)) return false;
    throw error;
  }
}

/**
 * Drives on running erasure jobs with no page for {@link ERASURE_STALL_MS} (a page whose event
 * gave up: too old, or a failure the runtime stopped retrying): each is written again, which
 * runs its trigger. Reads the stalled jobs (at most `limit`); one write each.
 * @returns how many jobs were driven on.
 */
export async function resumeStalledErasures(db: Firestore, now: Date, limit = 50): Promise<number> {
  const before = Timestamp.fromMillis(now.getTime() - ERASURE_STALL_MS);
  const stalled = await db
    .collection(collections.accountDeletions)
    .where("state", "==", "running")
    .where("updatedAt", "<", before)
    .limit(limit)
    .get();
  // A job a page moved meanwhile fails its precondition: it is not stalled, and is left alone.
  const writes = stalled.docs.map((doc) =>
    doc.ref.update({ updatedAt: Timestamp.fromDate(now) }, { lastUpdateTime: doc.updateTime }),
  );
  const results = await Promise.allSettled(writes);
  return results.filter((result) => result.status === "fulfilled").length;
}
