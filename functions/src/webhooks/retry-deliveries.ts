// The retry runner: a scheduled job (`webhooks/scheduled.ts`, every minute) calls it with the
// clock; tests call it with a chosen `now` instead of waiting.
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { refs } from "../shared/model.js";
import { drainPair, failOrphan, type DeliveryReport, type WebhookSettings } from "./deliveries.js";
import { activeWebhooks, type Webhook } from "./registry.js";

/** The options of {@link retryDeliveries}. */
export interface RetryOptions {
  /** Due deliveries read at most (their pairs are drained whole); default 200. */
  limit?: number;
}

/** What a run did: the deliveries' report, the pairs drained, finished deliveries deleted. */
export interface RetryReport extends DeliveryReport {
  pairs: number;
  orphaned: number;
  deleted: number;
}

/**
 * Sends every due pending delivery, at `now`: reads up to `limit` of them (`state == "pending"`,
 * `nextAttemptAt <= now`, earliest first), and drains each (webhook, chat) pair they belong to in
 * order (`drainPair`), the pairs at once. A delivery whose webhook is gone or paused fails
 * (`webhook-removed`). Then deletes up to 400 finished deliveries past their `expiresAt`.
 * Without work: two queries (one read each). Reads `webhooks/`; reads, writes and deletes
 * `webhook-deliveries/`; POSTs to the endpoints.
 */
export async function retryDeliveries(db: Firestore, now: Date, settings: WebhookSettings, options: RetryOptions = {}) {
  const at = Timestamp.fromDate(now);
  const due = await refs
    .webhookDeliveries(db)
    .where("state", "==", "pending")
    .where("nextAttemptAt", "<=", at)
    .orderBy("nextAttemptAt")
    .limit(options.limit ?? 200)
    .get();
  const report: RetryReport = { recorded: 0, delivered: 0, retrying: 0, failed: 0, pairs: 0, orphaned: 0, deleted: 0 };
  const webhooks = due.empty ? [] : await activeWebhooks(db, now, settings.cacheMs);
  const pairs = new Map<string, { webhook: Webhook; chatId: string }>();
  for (const doc of due.docs) {
    const { webhookId, chatId } = doc.data();
    const webhook = webhooks.find((one) => one.id === webhookId);
    if (webhook) pairs.set(`${webhookId}/${chatId}`, { webhook, chatId });
    else {
      await failOrphan(db, now, doc);
      report.orphaned++;
    }
  }
  const drains = [...pairs.values()].map((pair) => drainPair(db, now, settings, pair));
  for (const one of await Promise.all(drains)) {
    report.pairs++;
    for (const key of ["delivered", "retrying", "failed"] as const) report[key] += one[key];
  }
  report.deleted = await deleteFinished(db, at);
  return report;
}

/** Deletes up to 400 finished deliveries whose `expiresAt` is past; how many. */
async function deleteFinished(db: Firestore, at: Timestamp): Promise<number> {
  const expired = await refs.webhookDeliveries(db).where("expiresAt", "<=", at).limit(400).get();
  if (expired.empty) return 0;
  const batch = db.batch();
  for (const doc of expired.docs) batch.delete(doc.ref);
  await batch.commit();
  return expired.size;
}
