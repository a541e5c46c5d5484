import { db } from "../shared/firebase.js";
import type { Implementations } from "../shared/handler.js";
import type { exportsContract } from "./contract.js";
import { findExport } from "./find-export.js";
import { findPersonalExport, findPersonalExportZip, requestPersonalExport } from "./personal-export.js";

/** The handlers of {@link exportsContract}. */
export const exportsHandlers: Implementations<typeof exportsContract> = {
  downloadExport: { download: ({ uid }, { chatId }) => findExport(db(), uid, chatId) },
  requestMyExport: {
    run: async ({ uid }) => {
      const { export: state, created } = await requestPersonalExport(db(), uid, new Date());
      return created ? { status: 201, body: { export: state } } : { status: 200, body: { export: state } };
    },
  },
  getMyExport: { run: async ({ uid }) => ({ status: 200, body: { export: await findPersonalExport(db(), uid) } }) },
  downloadMyExport: { download: ({ uid }) => findPersonalExportZip(db(), uid) },
};
