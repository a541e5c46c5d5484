import { z } from "zod";
import type { ReportDoc, SnapshotLike } from "../shared/docs.js";
import { iso } from "../shared/time.js";

/** A report as moderators (and, on creation, its reporter) see it. Times are ISO 8601 UTC. */
export const reportView = z.object({
  id: z.string(),
  chatId: z.string(),
  number: z.number().int(),
  reporter: z.string(),
  reason: z.string(),
  message: z.object({ from: z.string().nullable(), type: z.string(), preview: z.string() }),
  status: z.enum(["open", "resolved"]),
  createdAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.string().nullable(),
});
export type ReportView = z.infer<typeof reportView>;

/** A page of reports, newest first, and the cursor of the next page (`null` on the last). */
export const reportPage = z.object({ reports: z.array(reportView), nextCursor: z.string().nullable() });

/** `reports/{id}` as {@link ReportView}. */
export function toReportView(snap: SnapshotLike<ReportDoc>): ReportView {
  return toReportViewOf(snap.id, snap.data());
}

/** A report doc as {@link ReportView}. */
export function toReportViewOf(id: string, report: ReportDoc): ReportView {
  return {
    id,
    chatId: report.chatId,
    number: report.number,
    reporter: report.reporter,
    reason: report.reason,
    message: report.message,
    status: report.status,
    createdAt: iso(report.createdAt),
    resolvedAt: iso(report.resolvedAt),
    resolvedBy: report.resolvedBy ?? null,
    resolution: report.resolution ?? null,
  };
}
