import { onDocumentWritten } from "firebase-functions/firestore";
import { config } from "../config.js";
import { logs } from "../logs.js";
import { bucket, db } from "../shared/firebase.js";
import { handleEvent } from "../triggers.js";
import { runErasurePage } from "./erase-account.js";

/**
 * Erasure trigger: each write of a running `account-deletions/{id}` job runs its next page
 * (`runErasurePage`), whose commit writes the job again, and so on until it is `done`. Retried
 * on failure (see `handleEvent`): the retry runs the page again from what is left, so a job
 * resumes where a crash stopped it. A redelivered event whose job moved meanwhile does nothing.
 */
export const onAccountDeletion = onDocumentWritten(
  { document: "account-deletions/{id}", retry: true, timeoutSeconds: 540 },
  (event) =>
    handleEvent("onAccountDeletion", { id: event.id, time: event.time, subject: event.document }, async (now) => {
      if (event.data?.after.get("state") !== "running") return;
      const { accountDeletionPageSize } = config();
      const result = await runErasurePage(db(), event.params.id, {
        now,
        pageSize: accountDeletionPageSize,
        bucket: bucket(),
      });
      logs.accountDeletionPage(event.params.id, result);
    }),
);
