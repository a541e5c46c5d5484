import { z } from "zod";
import { cleanDisplayText } from "../shared/display-text.js";
import { documentId, pageInput } from "../shared/schemas.js";

/** Free text a person writes to moderators: 1-500 characters once control characters are gone. */
const note = z
  .string()
  .max(500, "must be at most 500 characters")
  .refine((text) => cleanDisplayText(text).length > 0, { message: "must not be empty" });

/** `POST /v1/chats/{chatId}/messages/{number}/report` body and the `reportMessage` callable. */
export const reportMessageBody = z
  .strictObject({ reason: note.meta({ description: "Why you report it, for the moderators: 1-500 characters" }) })
  .meta({ id: "ReportMessageBody", description: "A report's reason" });
export type ReportMessageBody = z.infer<typeof reportMessageBody>;

/** `GET /v1/reports?status&limit&cursor` and the `listReports` callable. */
export const listReportsQuery = pageInput.extend({
  status: z
    .enum(["open", "resolved"], "must be open or resolved")
    .optional()
    .meta({ description: "Only the `open` or the `resolved` reports; left out: all" }),
});
export type ListReportsQuery = z.infer<typeof listReportsQuery>;

/** Path parameter `{reportId}`. */
export const reportIdParam = z.strictObject({ reportId: documentId.meta({ description: "The report's id" }) });

/** `POST /v1/reports/{reportId}/resolve` body and the `resolveReport` callable. */
export const resolveReportBody = z
  .strictObject({ resolution: note.optional().meta({ description: "A note on what was done, 1-500 characters" }) })
  .meta({ id: "ResolveReportBody", description: "How a report was resolved" });
export type ResolveReportBody = z.infer<typeof resolveReportBody>;
