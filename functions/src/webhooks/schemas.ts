import { z } from "zod";
import type { WebhookEventType } from "../shared/docs.js";
import { documentId } from "../shared/schemas.js";

/** Every event type a webhook may subscribe to (README, "Webhooks"). */
export const webhookEventTypes = [
  "message.new",
  "message.updated",
  "message.deleted",
  "reaction.new",
  "member.joined",
  "member.left",
  "chat.ended",
  "report.created",
] as const satisfies readonly WebhookEventType[];

/** An http(s) URL without credentials, at most 2,048 characters. */
const endpointUrl = z
  .string()
  .max(2048, "must be at most 2048 characters")
  .refine((text) => {
    const url = URL.canParse(text) ? new URL(text) : undefined;
    return !!url && (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;
  }, "must be an http(s) URL without credentials");

/** `POST /v1/webhooks` body and the `registerWebhook` callable. */
export const registerWebhookBody = z
  .strictObject({
    url: endpointUrl.meta({ description: "Where deliveries are POSTed: http(s), resolving to a public address" }),
    events: z
      .array(z.enum(webhookEventTypes, "must be a webhook event type"))
      .min(1, "must name at least one event type")
      .max(webhookEventTypes.length)
      .refine((events) => new Set(events).size === events.length, "must not repeat an event type")
      .meta({ description: "The event types to send" }),
  })
  .meta({ id: "RegisterWebhookBody", description: "A webhook endpoint and the events it is sent" });
export type RegisterWebhookBody = z.infer<typeof registerWebhookBody>;

/** `DELETE /v1/webhooks/{webhookId}` path. */
export const webhookIdParam = z.strictObject({ webhookId: documentId.meta({ description: "The webhook's id" }) });
