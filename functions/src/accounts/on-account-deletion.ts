import { onDocumentWritten } from "firebase-functions/firestore";
import { config } from "../config.js";
import { logs } from "../logs.js";
import { errorSummary, isTransient, TransientError } from "../shared/failures.js";
import { triggerDocuments } from "../shared/collections.js";
import { bucket, db } from "../shared/firebase.js";
import { handleEvent } from "../triggers.js";
import { runErasurePage } from "./erase-account.js";

/**
 * Erasure trigger: each write of a running `account-deletions/{id}` job runs its next page
 * (`runErasurePage`), whose commit writes the job again, and so on until it is `done`. Retried
 * on failure (see `handleEvent`): the retry runs the page again from what is left, so a job
 * resumes where a crash stopped it. Every failure of a page counts as transient. A redelivered
 * event whose job moved meanwhile does nothing.
 */
export const onAccountDeletion = onDocumentWritten(
  { document: triggerDocuments.accountDeletion, retry: true, timeoutSeconds: 540 },
  (event) =>
    handleEvent("onAccountDeletion", { id: event.id, time: event.time, subject: event.document }, async (now) => {
      if (event.data?.after.get("state") !== "running") return;
      const { accountDeletionPageSize } = config();
      const options = { now, pageSize: accountDeletionPageSize, bucket: bucket() };
      const result = await runErasurePage(db(), event.params.id, options).catch((error: unknown) => {
        // A page is safe to run again, and the job must end: every failure is retried (another
        // operation's "aborted", a doc retention deleted under the page), until the event is too
        // old; then `fanOutSweep` drives the stalled job on (`resumeStalledErasures`).
        throw isTransient(error) ? error : new TransientError(`erasure page: ${errorSummary(error).message}`);
      });
      logs.accountDeletionPage(event.params.id, result);
    }),
);
