import { limited } from "../config.js";
import { db } from "../shared/firebase.js";
import type { Implementations } from "../shared/handler.js";
import type { moderationContract } from "./contract.js";
import { reportMessage } from "./report-message.js";
import { listReports, resolveReport } from "./reports.js";

/** The handlers of {@link moderationContract}. */
export const moderationHandlers: Implementations<typeof moderationContract> = {
  reportMessage: {
    run: limited("reports", async ({ uid, now }, { chatId, number, ...body }) => {
      const { report, created } = await reportMessage(db(), { now, callerUid: uid, chatId, number, input: body });
      return { status: created ? 201 : 200, body: { report } };
    }),
  },
  listReports: {
    run: async (caller, query) => {
      const page = await listReports(db(), caller, query);
      return { status: 200, body: { reports: page.items, nextCursor: page.nextCursor } };
    },
  },
  resolveReport: {
    run: async (caller, { reportId, ...body }) => ({
      status: 200,
      body: { report: await resolveReport(db(), { now: caller.now, caller, reportId, input: body }) },
    }),
  },
};
