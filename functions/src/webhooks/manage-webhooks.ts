import type { Firestore } from "firebase-admin/firestore";
import { recordAudit } from "../shared/audit.js";
import { AppError } from "../shared/errors.js";
import { refs, type WebhookDoc } from "../shared/model.js";
import type { RegisterWebhookBody } from "./schemas.js";
import { toWebhookViewOfDoc, type WebhookView } from "./views.js";

/** Who manages webhooks: a caller with the `webhookAdmin` claim. */
interface Manager {
  uid: string;
  now: Date;
  webhookAdmin?: boolean;
}

/**
 * Requires the custom claim `webhookAdmin: true` (set with the Admin SDK). Not `moderator`: a
 * webhook for `message.new` receives every message of every chat, 1:1 chats included, which a
 * moderator otherwise sees only when reported; so only the operator's own accounts get it.
 * @throws AppError `permission-denied` for anyone else.
 */
function requireWebhookAdmin(caller: Manager): void {
  if (!caller.webhookAdmin) throw new AppError("permission-denied", "Only webhook admins (the webhookAdmin claim) can do this.");
}

/**
 * Registers `webhooks/{new id}` `{url, events}` with its `moderation-audit` entry in one batch.
 * Instances pick it up within `WEBHOOK_CACHE_SECONDS`.
 * @throws AppError `permission-denied` for a caller without the `webhookAdmin` claim.
 */
export async function registerWebhook(db: Firestore, caller: Manager, input: RegisterWebhookBody): Promise<WebhookView> {
  requireWebhookAdmin(caller);
  const ref = refs.webhooks(db).doc();
  const doc: WebhookDoc = { url: input.url, events: input.events, active: true };
  const batch = db.batch();
  batch.create(ref, doc);
  recordAudit(db, batch, caller.now, { moderator: caller.uid, action: "register-webhook", webhookId: ref.id });
  await batch.commit();
  return toWebhookViewOfDoc(ref.id, doc);
}

/**
 * Every webhook of `webhooks/`, by id (one read each).
 * @throws AppError `permission-denied` for a caller without the `webhookAdmin` claim.
 */
export async function listWebhooks(db: Firestore, caller: Manager): Promise<WebhookView[]> {
  requireWebhookAdmin(caller);
  const snap = await refs.webhooks(db).get();
  return snap.docs.map((doc) => toWebhookViewOfDoc(doc.id, doc.data()));
}

/**
 * Deletes `webhooks/{webhookId}` with its audit entry; `false` when there was none (nothing is
 * written). Its pending deliveries are given up by the next retry run.
 * @throws AppError `permission-denied` for a caller without the `webhookAdmin` claim.
 */
export async function deleteWebhook(db: Firestore, caller: Manager, webhookId: string): Promise<boolean> {
  requireWebhookAdmin(caller);
  const ref = refs.webhooks(db).doc(webhookId);
  if (!(await ref.get()).exists) return false;
  const batch = db.batch();
  batch.delete(ref);
  recordAudit(db, batch, caller.now, { moderator: caller.uid, action: "delete-webhook", webhookId });
  await batch.commit();
  return true;
}
