import { z } from "zod";
import type { ReportDoc, SnapshotLike } from "../shared/docs.js";
import { iso } from "../shared/time.js";

/** A report as moderators (and, on creation, its reporter) see it. Times are ISO 8601 UTC. */
export const reportView = z
  .object({
    id: z.string().meta({ description: "The report's id" }),
    chatId: z.string().meta({ description: "The chat of the reported message" }),
    number: z.number().int().meta({ description: "The reported message's number" }),
    reporter: z.string().meta({ description: "Who reported it (uid)" }),
    reason: z.string().meta({ description: "What the reporter wrote" }),
    message: z
      .object({
        from: z.string().nullable().meta({ description: "Its sender (uid)" }),
        type: z.string().meta({ description: "Its type" }),
        preview: z.string().meta({ description: "Its text in one line, at most 100 characters" }),
      })
      .meta({ description: "The message as it was when reported" }),
    status: z.enum(["open", "resolved"]).meta({ description: "`open` until a moderator resolves it" }),
    createdAt: z.string().nullable().meta({ description: "When it was reported" }),
    resolvedAt: z.string().nullable().meta({ description: "When it was resolved; `null` while open" }),
    resolvedBy: z.string().nullable().meta({ description: "The moderator who resolved it; `null` while open" }),
    resolution: z.string().nullable().meta({ description: "The moderator's note; `null` for none" }),
  })
  .meta({ id: "Report", description: "A report of a message. Times are ISO 8601 UTC." });
export type ReportView = z.infer<typeof reportView>;

/** A page of reports, newest first, and the cursor of the next page (`null` on the last). */
export const reportPage = z
  .object({
    reports: z.array(reportView).meta({ description: "The reports, newest first" }),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page; `null` on the last" }),
  })
  .meta({ id: "ReportPage", description: "A page of reports" });

/** `reports/{id}` as {@link ReportView}. */
export function toReportViewOfSnap(snap: SnapshotLike<ReportDoc>): ReportView {
  return toReportViewOfDoc(snap.id, snap.data());
}

/** A report doc as {@link ReportView}. */
export function toReportViewOfDoc(id: string, report: ReportDoc): ReportView {
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
