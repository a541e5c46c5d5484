import * as functionsV1 from "firebase-functions/v1";
import { config } from "../config.js";
import { logs } from "../logs.js";
import { db } from "../shared/firebase.js";
import { handleEvent } from "../triggers.js";
import { erasureId, startErasure } from "./erase-account.js";

/**
 * Auth user-deleted trigger (1st gen, as `onUserCreated`: 2nd gen has no such event): a user
 * deleted in the console or by the Admin SDK gets the same erasure job as `DELETE /v1/me`.
 * `startErasure` finds a job the API already started and starts no second one.
 */
export const onUserDeleted = functionsV1
  .runWith({ failurePolicy: true })
  .auth.user()
  .onDelete((user, context) =>
    handleEvent(
      "onUserDeleted",
      { id: context.eventId, time: context.timestamp, subject: `account-deletions/${erasureId(user.uid)}` },
      async (now) => {
        const job = await startErasure(db(), {
          now,
          uid: user.uid,
          requestedBy: "auth",
          messages: config().accountDeletionMessages,
        });
        logs.accountDeletionStarted(job.id, job.created, "auth");
      },
    ),
  );
