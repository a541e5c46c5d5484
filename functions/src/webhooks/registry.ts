// The registered webhooks, read at most once per cache window per instance: with none
// registered, an event costs one read per window (or none), never one per message.
import type { Firestore } from "firebase-admin/firestore";
import { refs, type WebhookEventType } from "../shared/model.js";

/** An active webhook, as deliveries use it. */
export interface Webhook {
  id: string;
  url: string;
  events: WebhookEventType[];
}

let cache: { readAt: number; webhooks: Webhook[] } | undefined;

/**
 * The active webhooks (`webhooks/`, all docs but those with `active: false`), read again once the
 * instance's copy is `cacheMs` old (0: every call reads). A webhook registered or changed may so
 * miss events for up to `cacheMs`. Reads `webhooks/` (one read per doc, one for none).
 */
export async function activeWebhooks(db: Firestore, now: Date, cacheMs: number): Promise<Webhook[]> {
  const age = cache ? now.getTime() - cache.readAt : Infinity;
  if (cache && age >= 0 && age < cacheMs) return cache.webhooks;
  const snap = await refs.webhooks(db).get();
  const webhooks = snap.docs
    .map((doc) => ({ id: doc.id, ...doc.data() }))
    .filter((hook) => hook.active !== false && typeof hook.url === "string" && Array.isArray(hook.events))
    .map(({ id, url, events }) => ({ id, url, events }));
  cache = { readAt: now.getTime(), webhooks };
  return webhooks;
}
