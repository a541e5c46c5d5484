import { z } from "zod";
import type { WebhookDoc } from "../shared/docs.js";

/** A registered webhook as moderators see it. */
export const webhookView = z
  .object({
    id: z.string().meta({ description: "The webhook's id (`webhooks/{id}`)" }),
    url: z.string().meta({ description: "Where deliveries are POSTed" }),
    events: z.array(z.string()).meta({ description: "The event types it is sent" }),
    active: z.boolean().meta({ description: "`false`: paused, nothing is sent" }),
  })
  .meta({ id: "Webhook", description: "A webhook endpoint (README, Webhooks)" });
export type WebhookView = z.infer<typeof webhookView>;

/** Every registered webhook. */
export const webhookList = z
  .object({ webhooks: z.array(webhookView).meta({ description: "Every registered webhook, by id" }) })
  .meta({ id: "WebhookList", description: "The registered webhooks" });

/** The view of `webhooks/{id}`. */
export function toWebhookViewOfDoc(id: string, doc: WebhookDoc): WebhookView {
  return { id, url: doc.url, events: doc.events, active: doc.active !== false };
}
