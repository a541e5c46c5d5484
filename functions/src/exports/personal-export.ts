import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { AppError, rateLimited } from "../shared/errors.js";
import type { DownloadObject } from "../shared/handler.js";
import { refs, type PersonalExportDoc } from "../shared/model.js";
import { PERSONAL_EXPORT_INTERVAL_MS, toPersonalExportView, type PersonalExportView } from "./views.js";

/** How long a running export may go without a step before an ask for it starts its next step again. */
export const STALLED_AFTER_MS = 15 * 60 * 1000;

/** What {@link requestPersonalExport} answers: the export, and whether this call started it. */
export interface RequestedExport {
  export: PersonalExportView;
  created: boolean;
}

/**
 * Starts an export of user `uid`'s data, in a transaction on `personal-exports/{uid}`: a new
 * doc, `running` from the phase `messages`, which its trigger then builds
 * (`buildPersonalExportStep`). One export runs per user: while one runs, the call answers it
 * (`created: false`), and when no step ran for {@link STALLED_AFTER_MS} (an event dropped, a step
 * that kept failing) it writes `nudgedAt`, which runs the trigger, and so the next step, again.
 * After one is ready, the next may start a day after the last was asked for.
 * Reads and writes `personal-exports/{uid}`.
 * @throws AppError `resource-exhausted` (less than a day since the last export was asked for).
 */
export async function requestPersonalExport(db: Firestore, uid: string, now: Date): Promise<RequestedExport> {
  const ref = refs.personalExport(db, uid);
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const last = snap.data();
    if (last?.status === "running") {
      // A step's trigger event that was dropped, or a step that kept failing, stalls it: go on.
      if (now.getTime() - (snap.updateTime?.toMillis() ?? 0) > STALLED_AFTER_MS)
        tx.update(ref, { nudgedAt: Timestamp.fromDate(now) });
      return { export: toPersonalExportView(last), created: false };
    }
    if (last && now.getTime() < last.requestedAt.toMillis() + PERSONAL_EXPORT_INTERVAL_MS) {
      const waitMs = last.requestedAt.toMillis() + PERSONAL_EXPORT_INTERVAL_MS - now.getTime();
      throw rateLimited("You can ask for one export of your data a day.", waitMs);
    }
    const requestedAt = Timestamp.fromDate(now);
    const doc: PersonalExportDoc = {
      status: "running",
      id: String(now.getTime()),
      requestedAt,
      phase: "messages",
      cursor: null,
      parts: { messages: [], replies: [] },
      counts: { messages: 0, replies: 0, files: 0 },
    };
    tx.set(ref, doc);
    return { export: toPersonalExportView(doc), created: true };
  });
}

/**
 * The state of user `uid`'s newest export. Reads `personal-exports/{uid}`.
 * @throws AppError `not-found` (they never asked for one).
 */
export async function findPersonalExport(db: Firestore, uid: string): Promise<PersonalExportView> {
  const doc = (await refs.personalExport(db, uid).get()).data();
  if (!doc) throw new AppError("not-found", "You have not asked for an export of your data.");
  return toPersonalExportView(doc);
}

/**
 * User `uid`'s newest ready export, to download as `parley-data-{yyyy-mm-dd}.zip`. Reads
 * `personal-exports/{uid}`.
 * @throws AppError `not-found` (none asked for, or not ready yet).
 */
export async function findPersonalExportZip(db: Firestore, uid: string): Promise<DownloadObject> {
  const doc = (await refs.personalExport(db, uid).get()).data();
  if (doc?.status !== "ready" || !doc.path) throw new AppError("not-found", "Your data export is not ready (yet).");
  return {
    path: doc.path,
    contentType: "application/zip",
    size: doc.bytes ?? 0,
    name: `parley-data-${doc.requestedAt.toDate().toISOString().slice(0, 10)}.zip`,
    etag: `personal-export-${doc.id}`,
    inline: false,
  };
}
