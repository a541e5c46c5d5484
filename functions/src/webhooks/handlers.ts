import { db } from "../shared/firebase.js";
import type { Implementations } from "../shared/handler.js";
import type { webhooksContract } from "./contract.js";
import { deleteWebhook, listWebhooks, registerWebhook } from "./manage-webhooks.js";

/** The handlers of {@link webhooksContract}. */
export const webhooksHandlers: Implementations<typeof webhooksContract> = {
  registerWebhook: {
    run: async (caller, body) => ({ status: 201, body: { webhook: await registerWebhook(db(), caller, body) } }),
  },
  listWebhooks: {
    run: async (caller) => ({ status: 200, body: { webhooks: await listWebhooks(db(), caller) } }),
  },
  deleteWebhook: {
    run: async (caller, { webhookId }) => ({ status: 200, body: { deleted: await deleteWebhook(db(), caller, webhookId) } }),
  },
};
