import { chatIdParam } from "../chats/schemas.js";
import { defineOperations } from "../shared/operation.js";
import { personalExportBody } from "./views.js";

/** An ended chat's history export, and a user's export of their own data. */
export const exportsContract = defineOperations({
  downloadExport: {
    method: "get",
    path: "/chats/:chatId/export",
    tag: "Chats",
    summary: "Download an ended chat's CSV history",
    params: chatIdParam,
    download: { description: "The CSV (text/csv)" },
    errors: ["not-found"],
  },
  requestMyExport: {
    method: "post",
    path: "/me/export",
    tag: "Users",
    summary:
      "Export your data: a ZIP of your profile, settings, blocks, memberships, messages and files, mailed when ready (one at a time, one a day; 201 started, 200 already running)",
    responses: {
      201: { description: "The export, started", schema: personalExportBody },
      200: { description: "The export already running", schema: personalExportBody },
    },
    errors: ["resource-exhausted"],
  },
  getMyExport: {
    method: "get",
    path: "/me/export",
    tag: "Users",
    summary: "The state of your newest data export",
    responses: { 200: { description: "Your newest export", schema: personalExportBody } },
    errors: ["not-found"],
  },
  downloadMyExport: {
    method: "get",
    path: "/me/export/download",
    tag: "Users",
    summary: "Download your newest data export, once ready",
    download: { description: "The ZIP (application/zip)" },
    errors: ["not-found"],
  },
});
