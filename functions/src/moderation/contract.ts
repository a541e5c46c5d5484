import { z } from "zod";
import { messageParams } from "../messages/schemas.js";
import { defineOperations } from "../shared/operation.js";
import { listReportsQuery, reportIdParam, reportMessageBody, resolveReportBody } from "./schemas.js";
import { reportPage, reportView } from "./views.js";

const report = z.object({ report: reportView });

/** Reports of messages by members, and the moderators' side (custom claim `moderator: true`). */
export const moderationContract = defineOperations({
  reportMessage: {
    method: "post",
    path: "/chats/:chatId/messages/:number/report",
    tag: "Moderation",
    summary: "Report a message to the moderators (members; once per member and message: 201 new, 200 already)",
    params: messageParams,
    body: reportMessageBody,
    responses: {
      201: { description: "The report, made", schema: report },
      200: { description: "Your earlier report of this message", schema: report },
    },
    errors: ["not-found", "resource-exhausted"],
  },
  listReports: {
    method: "get",
    path: "/reports",
    tag: "Moderation",
    summary: "List reports, newest first (moderators)",
    query: listReportsQuery,
    responses: { 200: { description: "A page of reports", schema: reportPage } },
    errors: ["permission-denied"],
  },
  resolveReport: {
    method: "post",
    path: "/reports/:reportId/resolve",
    tag: "Moderation",
    summary: "Mark a report resolved, with an optional note (moderators; audited)",
    params: reportIdParam,
    body: resolveReportBody,
    responses: { 200: { description: "The resolved report", schema: report } },
    errors: ["permission-denied", "not-found"],
  },
});
