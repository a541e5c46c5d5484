import { onDocumentCreated, onDocumentUpdated } from "firebase-functions/firestore";
import { webhookSettings, webhookSigningSecret } from "../config.js";
import { logs } from "../logs.js";
import { triggerDocuments } from "../shared/collections.js";
import { db } from "../shared/firebase.js";
import { converters } from "../shared/model.js";
import { handleEvent } from "../triggers.js";
import { publishEvents } from "./deliveries.js";
import { eventOfMessageUpdate, eventOfReaction, eventOfReport } from "./events.js";

// The webhook events no other trigger sees; `message.new`, joins, leaves and ends ride on the
// message trigger (`push/on-message-created.ts`). Each is retried on failure (`handleEvent`) and
// safe to run twice: the event ids, and so the delivery ids, come from what happened.

/**
 * A message's update: `message.updated` (an edit) or `message.deleted` (for everyone). Any other
 * update (reactions, previews, threads, polls) returns before reading anything.
 */
export const onMessageUpdated = onDocumentUpdated(
  { document: triggerDocuments.message, retry: true, secrets: [webhookSigningSecret] },
  (event) =>
    handleEvent("onMessageUpdated", { id: event.id, time: event.time, subject: event.document }, async (now) => {
      if (!event.data) return;
      const before = converters.messages.fromFirestore(event.data.before);
      const after = converters.messages.fromFirestore(event.data.after);
      const change = eventOfMessageUpdate(event.params.chatId, { before, after }, new Date(event.time));
      if (!change) return;
      logs.webhooksPublished(event.document, await publishEvents(db(), now, webhookSettings(), [change]));
    }),
);

/** A member's reaction (`chats/{chatId}/reactions/{id}` created): `reaction.new`. */
export const onReactionCreated = onDocumentCreated(
  { document: triggerDocuments.reaction, retry: true, secrets: [webhookSigningSecret] },
  (event) =>
    handleEvent("onReactionCreated", { id: event.id, time: event.time, subject: event.document }, async (now) => {
      if (!event.data) return;
      const reaction = converters.reactions.fromFirestore(event.data);
      const told = eventOfReaction(event.params.chatId, reaction, new Date(event.time), event.id);
      logs.webhooksPublished(event.document, await publishEvents(db(), now, webhookSettings(), [told]));
    }),
);

/** A member's report of a message (`reports/{id}` created): `report.created`. */
export const onReportCreated = onDocumentCreated(
  { document: triggerDocuments.report, retry: true, secrets: [webhookSigningSecret] },
  (event) =>
    handleEvent("onReportCreated", { id: event.id, time: event.time, subject: event.document }, async (now) => {
      if (!event.data) return;
      const report = converters.reports.fromFirestore(event.data);
      const told = eventOfReport(event.params.reportId, report, new Date(event.time));
      logs.webhooksPublished(event.document, await publishEvents(db(), now, webhookSettings(), [told]));
    }),
);
