import { db } from "../shared/firebase.js";
import type { Implementations } from "../shared/handler.js";
import type { exportsContract } from "./contract.js";
import { findExport } from "./find-export.js";

/** The handlers of {@link exportsContract}. */
export const exportsHandlers: Implementations<typeof exportsContract> = {
  downloadExport: { download: ({ uid }, { chatId }) => findExport(db(), uid, chatId) },
};
