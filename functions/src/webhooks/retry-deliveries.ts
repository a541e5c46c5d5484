// The retry runner: a scheduled job (`webhooks/scheduled.ts`, every minute) calls it with the
// clock; tests call it with a chosen `now` instead of waiting.
import { Timestamp, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { refs, type WebhookDeliveryDoc } from "../shared/model.js";
import { drainPair, failOrphan, type DeliveryReport, type WebhookSettings } from "./deliveries.js";
import { activeWebhooks, type Webhook } from "./registry.js";

/** The options of {@link retryDeliveries}. */
export interface RetryOptions {
  /** Due deliveries a page reads, and pairs a run drains at most (up to 50 deliveries each); default 200. */
  limit?: number;
}

/** What a run did: the deliveries' report, the pairs drained, finished deliveries deleted. */
export interface RetryReport extends DeliveryReport {
  pairs: number;
  orphaned: number;
  deleted: number;
}

/**
 * Sends every due pending delivery, at `now`: reads them (`state == "pending"`, `nextAttemptAt <=
 * now`, earliest first, up to 5 pages of `limit`), and drains each (webhook, chat) pair they
 * belong to in order (`drainPair`), the pairs at once. A delivery whose webhook is gone or paused fails
 * (`webhook-removed`). Then deletes up to 400 finished deliveries past their `expiresAt`.
 * Without work: two queries (one read each). Reads `webhooks/`; reads, writes and deletes
 * `webhook-deliveries/`; POSTs to the endpoints.
 */
export async function retryDeliveries(db: Firestore, now: Date, settings: WebhookSettings, options: RetryOptions = {}) {
  const at = Timestamp.fromDate(now);
  const due = await dueDeliveries(db, at, options.limit ?? 200);
  const report: RetryReport = { recorded: 0, delivered: 0, retrying: 0, failed: 0, pairs: 0, orphaned: 0, deleted: 0 };
  const webhooks = due.length === 0 ? [] : await activeWebhooks(db, now, settings.cacheMs);
  const pairs = new Map<string, { webhook: Webhook; chatId: string }>();
  for (const doc of due) {
    const { webhookId, chatId } = doc.data();
    const webhook = webhooks.find((one) => one.id === webhookId);
    if (webhook) pairs.set(`${webhookId}/${chatId}`, { webhook, chatId });
    else {
      await failOrphan(db, now, doc);
      report.orphaned++;
    }
  }
  const drains = [...pairs.values()].map((pair) => drainPair(db, now, settings, { ...pair, retries: true }));
  for (const one of await Promise.all(drains)) {
    report.pairs++;
    for (const key of ["delivered", "retrying", "failed"] as const) report[key] += one[key];
  }
  report.deleted = await deleteFinished(db, at);
  return report;
}

/**
 * Due pending deliveries, earliest first, one per (webhook, chat) pair, from up to
 * {@link DUE_PAGES} pages of `limit`: deliveries waiting behind a retrying head are due too, so a
 * backlog of one chat fills pages with its pair; paging on keeps other pairs from starving.
 */
async function dueDeliveries(db: Firestore, at: Timestamp, limit: number) {
  const heads = new Map<string, QueryDocumentSnapshot<WebhookDeliveryDoc>>();
  let query = refs
    .webhookDeliveries(db)
    .where("state", "==", "pending")
    .where("nextAttemptAt", "<=", at)
    .orderBy("nextAttemptAt");
  for (let page = 0; page < DUE_PAGES; page++) {
    const snap = await query.limit(limit).get();
    for (const doc of snap.docs) {
      const key = `${doc.data().webhookId}/${doc.data().chatId}`;
      if (!heads.has(key)) heads.set(key, doc);
    }
    const last = snap.docs.at(-1);
    if (!last || snap.size < limit || heads.size >= limit) break;
    query = query.startAfter(last);
  }
  return [...heads.values()];
}

/** Pages of due deliveries one run reads at most. */
const DUE_PAGES = 5;

/** Deletes up to 400 finished deliveries whose `expiresAt` is past; how many. */
async function deleteFinished(db: Firestore, at: Timestamp): Promise<number> {
  const expired = await refs.webhookDeliveries(db).where("expiresAt", "<=", at).limit(400).get();
  if (expired.empty) return 0;
  const batch = db.batch();
  for (const doc of expired.docs) batch.delete(doc.ref);
  await batch.commit();
  return expired.size;
}
