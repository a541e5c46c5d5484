// Recording and sending deliveries. Each (webhook, chat) pair is a queue ordered by the events'
// `order`: only its head (the earliest pending delivery) is ever sent, so an endpoint hears one
// chat's events in the order they happened, retries included. A sender takes the head by
// writing a lease on it under its update time; another sender that loses that race leaves the
// pair to the winner, which carries on down the queue.
import { Timestamp, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { isConflict } from "../shared/optimistic.js";
import { refs, type WebhookDeliveryDoc } from "../shared/model.js";
import { nextAttemptAt } from "./backoff.js";
import { payloadOf, type WebhookEvent } from "./events.js";
import { postGuarded } from "./post-guarded.js";
import { activeWebhooks, type Webhook } from "./registry.js";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signPayload } from "../shared/signature.js";

/** What sending needs from the deployment (`config.ts` `webhookSettings`). */
export interface WebhookSettings {
  /** WEBHOOK_SIGNING_SECRET: the HMAC key of every signature. */
  secret: string;
  /** WEBHOOK_ALLOWED_IPS: addresses endpoints may have although not public (tests: loopback). */
  allowedIps: string[];
  /** How long an instance keeps the list of webhooks, in milliseconds (WEBHOOK_CACHE_SECONDS). */
  cacheMs: number;
}

/** What publishing or a retry run did. */
export interface DeliveryReport {
  recorded: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/** A lease on a delivery under way: longer than an attempt's timeout. */
const LEASE_MS = 60_000;
/** How long a finished delivery is kept for operators to look at, in milliseconds (3 days). */
export const KEEP_FINISHED_MS = 3 * 86_400_000;
/** Most deliveries one drain of a pair sends, so one busy chat can't hold a run. */
const DRAIN_LIMIT = 50;

const emptyReport = (): DeliveryReport => ({ recorded: 0, delivered: 0, retrying: 0, failed: 0 });
const add = (into: DeliveryReport, from: DeliveryReport) => {
  for (const key of ["recorded", "delivered", "retrying", "failed"] as const) into[key] += from[key];
};

/** `webhook-deliveries/{webhookId}_{eventId}`. */
export const deliveryRef = (db: Firestore, webhookId: string, eventId: string) =>
  refs.webhookDeliveries(db).doc(`${webhookId}_${eventId}`);

/**
 * Records a delivery of each event to each active webhook subscribed to its type, then sends what
 * each (webhook, chat) queue allows now. A run twice creates nothing new (deterministic ids: a
 * `create` that finds the doc is skipped) and sends only what is still pending and due. With no
 * webhook it reads the list (cached, see `activeWebhooks`) and writes nothing.
 * Reads `webhooks/`, writes and reads `webhook-deliveries/`; POSTs to the endpoints.
 */
export async function publishEvents(db: Firestore, now: Date, settings: WebhookSettings, events: WebhookEvent[]) {
  const report = emptyReport();
  if (events.length === 0) return report;
  const webhooks = await activeWebhooks(db, now, settings.cacheMs);
  const pairs = new Map<string, { webhook: Webhook; chatId: string }>();
  const creations = events.flatMap((event) =>
    webhooks
      .filter((webhook) => webhook.events.includes(event.type))
      .map(async (webhook) => {
        pairs.set(`${webhook.id}/${event.chatId}`, { webhook, chatId: event.chatId });
        if (await recordDelivery(db, now, webhook.id, event)) report.recorded++;
      }),
  );
  await Promise.all(creations);
  const drained = await Promise.all([...pairs.values()].map((pair) => drainPair(db, now, settings, { ...pair, retries: false })));
  for (const one of drained) add(report, one);
  return report;
}

/** Creates the delivery of `event` to a webhook, due now; `false` when it was there already. */
async function recordDelivery(db: Firestore, now: Date, webhookId: string, event: WebhookEvent): Promise<boolean> {
  const at = Timestamp.fromDate(now);
  const doc: WebhookDeliveryDoc = {
    webhookId,
    eventId: event.id,
    type: event.type,
    chatId: event.chatId,
    order: event.order,
    payload: payloadOf(event),
    uids: event.uids,
    state: "pending",
    attempts: 0,
    lastStatus: null,
    lastError: null,
    nextAttemptAt: at,
    leaseUntil: null,
    createdAt: at,
    updatedAt: at,
    expiresAt: null,
  };
  try {
    await deliveryRef(db, webhookId, event.id).create(doc);
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

/**
 * Sends the (webhook, chat) queue's head while it is due and not leased, then the next, and so
 * on; stops at a head that must wait (a retry not yet due, another sender's lease) or after
 * {@link DRAIN_LIMIT}. Only the retry job (`retries: true`) sends a head that failed before: a
 * burst of events while an endpoint is down must not spend its attempts in seconds. Reads one
 * head per step (a query on `webhookId`, `chatId`, `state`, `order`).
 */
export async function drainPair(
  db: Firestore,
  now: Date,
  settings: WebhookSettings,
  pair: { webhook: Webhook; chatId: string; retries: boolean },
) {
  const { webhook, chatId } = pair;
  const report = emptyReport();
  for (let step = 0; step < DRAIN_LIMIT; step++) {
    const head = await headOf(db, webhook.id, chatId);
    if (!head || (!pair.retries && head.data().attempts > 0) || !(await claim(head, now))) break;
    const state = await attempt(head, now, settings, webhook);
    report[state === "pending" ? "retrying" : state]++;
    if (state === "pending") break;
  }
  return report;
}

/** The earliest pending delivery of a (webhook, chat) pair. */
async function headOf(db: Firestore, webhookId: string, chatId: string) {
  const snap = await refs
    .webhookDeliveries(db)
    .where("webhookId", "==", webhookId)
    .where("chatId", "==", chatId)
    .where("state", "==", "pending")
    .orderBy("order")
    .limit(1)
    .get();
  return snap.docs.at(0);
}

/** Takes the lease of a due, unleased delivery under its update time; `false` when it must wait or another took it. */
async function claim(head: QueryDocumentSnapshot<WebhookDeliveryDoc>, now: Date): Promise<boolean> {
  const { nextAttemptAt: due, leaseUntil } = head.data();
  if (!due || due.toMillis() > now.getTime() || (leaseUntil && leaseUntil.toMillis() > now.getTime())) return false;
  try {
    await head.ref.update({ leaseUntil: Timestamp.fromMillis(now.getTime() + LEASE_MS) }, { lastUpdateTime: head.updateTime });
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

/** One signed POST of a claimed delivery and its outcome written back: the delivery's new state. */
async function attempt(head: QueryDocumentSnapshot<WebhookDeliveryDoc>, now: Date, settings: WebhookSettings, webhook: Webhook) {
  const delivery = head.data();
  const signature = signPayload(settings.secret, Math.floor(now.getTime() / 1000), delivery.payload);
  const headers = { [SIGNATURE_HEADER]: signature, [EVENT_ID_HEADER]: delivery.eventId };
  const outcome = await postGuarded(webhook.url, delivery.payload, { headers, allowedIps: settings.allowedIps });
  const attempts = delivery.attempts + 1;
  const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  const next = ok ? null : nextAttemptAt(delivery.createdAt.toDate(), attempts, now);
  const state = ok ? "delivered" : next ? "pending" : "failed";
  await head.ref.update({
    state,
    attempts,
    lastStatus: outcome.status,
    lastError: outcome.status === null ? outcome.error : null,
    nextAttemptAt: next && Timestamp.fromDate(next),
    leaseUntil: null,
    updatedAt: Timestamp.fromDate(now),
    expiresAt: state === "pending" ? null : Timestamp.fromMillis(now.getTime() + KEEP_FINISHED_MS),
  });
  return state;
}

/** Ends the pending deliveries of a webhook that was removed or paused: `failed`, `lastError: "webhook-removed"`. */
export async function failOrphan(db: Firestore, now: Date, delivery: QueryDocumentSnapshot<WebhookDeliveryDoc>) {
  await delivery.ref.update({
    state: "failed",
    lastError: "webhook-removed",
    nextAttemptAt: null,
    leaseUntil: null,
    updatedAt: Timestamp.fromDate(now),
    expiresAt: Timestamp.fromMillis(now.getTime() + KEEP_FINISHED_MS),
  });
}
