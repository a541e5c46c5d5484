import { onSchedule } from "firebase-functions/scheduler";
import { resumeStalledErasures } from "../accounts/erase-account.js";
import { config, pushTransport } from "../config.js";
import { objectDeleter, prefixDeleter } from "../files/delete-objects.js";
import { logs } from "../logs.js";
import { sweepFanOuts } from "../push/fan-out.js";
import { bucket, db } from "../shared/firebase.js";
import { deleteExpiredMessages } from "./delete-expired-messages.js";
import { purgeEndedChats } from "./purge-ended-chats.js";

const TIMEOUT_SECONDS = 540;
/** Stop taking new batches a minute before the timeout; the next run carries on. */
const deadline = () => new Date(Date.now() + (TIMEOUT_SECONDS - 60) * 1000);

/** Daily message retention (`RETENTION_DAYS`; 0 = keep forever). */
export const retentionJob = onSchedule(
  { schedule: "every day 03:00", timeZone: "UTC", timeoutSeconds: TIMEOUT_SECONDS },
  async () => {
    const report = await deleteExpiredMessages(db(), {
      deleteObjects: objectDeleter(bucket()),
      now: new Date(),
      retentionDays: config().retentionDays,
      deadline: deadline(),
    });
    logs.jobFinished("retention", { ...report });
  },
);

/** Daily purge of chats completed more than `PURGE_ENDED_AFTER_DAYS` ago. */
export const purgeJob = onSchedule(
  { schedule: "every day 03:30", timeZone: "UTC", timeoutSeconds: TIMEOUT_SECONDS },
  async () => {
    const report = await purgeEndedChats(db(), {
      deletePrefix: prefixDeleter(bucket()),
      now: new Date(),
      afterDays: config().purgeEndedAfterDays,
      deadline: deadline(),
    });
    logs.jobFinished("purge", { ...report });
  },
);

/** Fan-out ranges a sweep takes at most; the next sweep takes the rest. */
const SWEEP_LIMIT = 200;
const SWEEP_TIMEOUT_SECONDS = 300;

/**
 * Every 5 minutes: re-drives room fan-out ranges whose lease ran out (a run that died, or a
 * failed range whose retry is due; `sweepFanOuts`), and account erasures that stalled
 * (`resumeStalledErasures`). Without work it costs two queries.
 */
export const fanOutSweep = onSchedule(
  { schedule: "every 5 minutes", timeoutSeconds: SWEEP_TIMEOUT_SECONDS, memory: "512MiB" },
  async () => {
    const now = new Date();
    const deadline = new Date(now.getTime() + (SWEEP_TIMEOUT_SECONDS - 60) * 1000);
    const report = await sweepFanOuts(db(), now, pushTransport(now), { deadline, limit: SWEEP_LIMIT });
    const erasuresResumed = await resumeStalledErasures(db(), now);
    logs.jobFinished("fan-out sweep", { ...report, erasuresResumed });
  },
);
