import { chatIdParam } from "../chats/schemas.js";
import { defineOperations } from "../shared/operation.js";

/** An ended chat's history export. */
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
});
