import { z } from "zod";
import { defineOperations } from "../shared/operation.js";
import { registerWebhookBody, webhookIdParam } from "./schemas.js";
import { webhookList, webhookView } from "./views.js";

/** Webhook endpoints, managed by webhook admins (custom claim `webhookAdmin: true`; audited). */
export const webhooksContract = defineOperations({
  registerWebhook: {
    method: "post",
    path: "/webhooks",
    tag: "Moderation",
    summary: "Register a webhook endpoint for some event types (webhook admins; audited)",
    body: registerWebhookBody,
    responses: { 201: { description: "The webhook, registered", schema: z.object({ webhook: webhookView }) } },
    errors: ["permission-denied"],
  },
  listWebhooks: {
    method: "get",
    path: "/webhooks",
    tag: "Moderation",
    summary: "List the registered webhooks (webhook admins)",
    responses: { 200: { description: "Every webhook", schema: webhookList } },
    errors: ["permission-denied"],
  },
  deleteWebhook: {
    method: "delete",
    path: "/webhooks/:webhookId",
    tag: "Moderation",
    summary: "Remove a webhook; its pending deliveries are given up (webhook admins; audited)",
    params: webhookIdParam,
    responses: {
      200: {
        description: "Removed (or there was none)",
        schema: z.object({ deleted: z.boolean().meta({ description: "`false`: there was no such webhook" }) }),
      },
    },
    errors: ["permission-denied"],
  },
});
