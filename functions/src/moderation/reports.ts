import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { recordAudit } from "../shared/audit.js";
import { cleanDisplayText } from "../shared/display-text.js";
import { AppError } from "../shared/errors.js";
import { exists, refs, type ReportDoc } from "../shared/model.js";
import { paginate } from "../shared/paginate.js";
import type { Page } from "../shared/schemas.js";
import { requireModerator } from "./moderator.js";
import type { ListReportsQuery, ResolveReportBody } from "./schemas.js";
import { toReportViewOfSnap, toReportViewOfDoc, type ReportView } from "./views.js";

/** Default page size of the report list. */
export const REPORTS_PAGE_SIZE = 50;

/**
 * Reports for moderators, newest first; with `status`, only open or only resolved ones
 * (composite index `status` + `createdAt`). Reads `limit + 1` reports, +1 for a cursor.
 * @throws AppError `permission-denied` (not a moderator), `invalid-argument` (bad cursor).
 */
export async function listReports(
  db: Firestore,
  caller: { moderator?: boolean },
  input: ListReportsQuery,
): Promise<Page<ReportView>> {
  requireModerator(caller);
  let query = refs.reports(db).orderBy("createdAt", "desc");
  if (input.status) query = query.where("status", "==", input.status);
  const cursorRef = input.cursor === undefined ? undefined : refs.reports(db).doc(input.cursor);
  return paginate(query, { limit: input.limit ?? REPORTS_PAGE_SIZE, cursorRef, accepts: () => true, view: toReportViewOfSnap });
}

/** Which report {@link resolveReport} resolves, by whom, when, and with what note. */
export interface ResolveReportOptions {
  /** The request's time: the report's `resolvedAt`. */
  now: Date;
  /** The moderator (custom claim `moderator: true`). */
  caller: { uid: string; moderator?: boolean };
  /** The report: `reports/{reportId}`. */
  reportId: string;
  /** The optional `resolution` note. */
  input: ResolveReportBody;
}

/**
 * A moderator resolves report `reportId` (after acting on it, or not): `status: "resolved"`,
 * `resolvedAt`, `resolvedBy` and the optional `resolution` note, with its audit entry, in one
 * transaction. Resolving a resolved report answers it unchanged.
 * @throws AppError `permission-denied` (not a moderator), `not-found` (no such report).
 */
export async function resolveReport(db: Firestore, options: ResolveReportOptions): Promise<ReportView> {
  const { now, caller, reportId, input } = options;
  requireModerator(caller);
  const reportRef = refs.reports(db).doc(reportId);
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(reportRef);
    if (!exists(snap)) throw new AppError("not-found", `Report ${reportId} does not exist.`);
    const report = snap.data();
    if (report.status === "resolved") return toReportViewOfDoc(reportId, report);
    const resolution = input.resolution === undefined ? undefined : cleanDisplayText(input.resolution);
    const resolved: ReportDoc = {
      ...report,
      status: "resolved",
      resolvedAt: Timestamp.fromDate(now),
      resolvedBy: caller.uid,
      ...(resolution !== undefined && { resolution }),
    };
    tx.set(reportRef, resolved);
    recordAudit(db, tx, now, {
      moderator: caller.uid,
      action: "resolve-report",
      chatId: report.chatId,
      number: report.number,
      reportId,
      ...(resolution !== undefined && { note: resolution }),
    });
    return toReportViewOfDoc(reportId, resolved);
  });
}
