import { onSchedule } from "firebase-functions/scheduler";
import { webhookSettings, webhookSigningSecret } from "../config.js";
import { logs } from "../logs.js";
import { db } from "../shared/firebase.js";
import { retryDeliveries } from "./retry-deliveries.js";

/**
 * Every minute: sends the webhook deliveries whose retry is due, in each chat's order, and
 * deletes finished ones past their keep time (`retryDeliveries`). Without work: two queries.
 */
export const webhookRetryJob = onSchedule(
  { schedule: "every 1 minutes", timeoutSeconds: 300, secrets: [webhookSigningSecret] },
  async () => {
    const report = await retryDeliveries(db(), new Date(), webhookSettings());
    logs.jobFinished("webhook retries", { ...report });
  },
);
