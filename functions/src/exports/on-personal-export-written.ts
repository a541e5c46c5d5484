import { onDocumentWritten } from "firebase-functions/firestore";
import { config } from "../config.js";
import { logs } from "../logs.js";
import { triggerDocuments } from "../shared/collections.js";
import { auth, bucket, db } from "../shared/firebase.js";
import { handleEvent } from "../triggers.js";
import { verifiedEmails } from "../users/verified-emails.js";
import { buildPersonalExportStep } from "./build-personal-export.js";

/** Messages a step of the export reads and writes as one part. */
const PERSONAL_EXPORT_PAGE = 500;

/**
 * Personal data export trigger: every write of a running `personal-exports/{uid}` does one step
 * of it (`buildPersonalExportStep`), whose own write runs the next. Retried on failure (see
 * `handleEvent`): a step run twice counts once. The ZIP step streams every file they sent: up
 * to 9 minutes and 1 GiB.
 */
export const onPersonalExportWritten = onDocumentWritten(
  { document: triggerDocuments.personalExport, retry: true, timeoutSeconds: 540, memory: "1GiB" },
  (event) =>
    handleEvent("onPersonalExportWritten", { id: event.id, time: event.time, subject: event.document }, async (now) => {
      if (event.data?.after.data()?.status !== "running") return;
      const { appUrl, apiUrl } = config();
      const step = await buildPersonalExportStep(db(), {
        uid: event.params.uid,
        bucket: bucket(),
        now,
        pageSize: PERSONAL_EXPORT_PAGE,
        links: { appUrl, apiUrl, emails: (uids) => verifiedEmails(auth(), uids) },
      });
      logs.personalExportStep(event.params.uid, step);
    }),
);
