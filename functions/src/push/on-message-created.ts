import { onDocumentCreated } from "firebase-functions/firestore";
import { config, pushTransport as transport, webhookSettings, webhookSigningSecret } from "../config.js";
import { previewLink } from "../links/preview-link.js";
import { logs } from "../logs.js";
import { triggerDocuments } from "../shared/collections.js";
import { bucket, db } from "../shared/firebase.js";
import { firstUrl } from "../shared/first-url.js";
import { converters, isDirectChatId, type MessageDoc } from "../shared/model.js";
import { handleEvent } from "../triggers.js";
import { publishEvents } from "../webhooks/deliveries.js";
import { eventOfNewMessage } from "../webhooks/events.js";
import { deliverPush } from "./deliver-push.js";
import { fanOutMessage } from "./fan-out.js";

/**
 * Message trigger, retried on failure (see `handleEvent`). A 1:1 chat's message pushes to the
 * recipient (`deliverPush`; their external event was set by the send). A room's message fans
 * out to its members, all uid ranges at once (`fanOutMessage`). A room of 10,000 takes one
 * run: up to 5 minutes and 512 MiB. Then a text message with a link gets its preview
 * (`previewLink`, `links/`): after the push, so a third party's site delays neither the send nor
 * the push. Beside it, the message's webhook event (`message.new`, or a system message's
 * `member.joined`, `member.left`, `chat.ended`; `webhooks/`): with no webhook registered, the
 * cached list and nothing else. One trigger, not three: one invocation per message. A retry
 * pushes and records deliveries again only where they did not happen (all safe to run twice).
 */
export const onMessageCreated = onDocumentCreated(
  {
    document: triggerDocuments.message,
    retry: true,
    timeoutSeconds: 300,
    memory: "512MiB",
    secrets: [webhookSigningSecret],
  },
  (event) =>
    handleEvent("onMessageCreated", { id: event.id, time: event.time, subject: event.document }, async (now) => {
      if (!event.data) return;
      // The trigger's snapshot was read without a converter: typed through the messages' one.
      const message = converters.messages.fromFirestore(event.data);
      const { chatId } = event.params;
      if (isDirectChatId(chatId)) {
        const report = await deliverPush(db(), now, transport(now), { id: event.id, chatId, message });
        logs.pushDelivered(chatId, message.number, report);
      } else {
        const report = await fanOutMessage(db(), now, transport(now), { chatId, message });
        logs.fannedOut(chatId, message.number, report);
      }
      // Both wait on third parties: side by side, and neither's failure keeps the other from running.
      const told = eventOfNewMessage(chatId, message, new Date(event.time));
      const [preview, webhooks] = await Promise.allSettled([
        previewIfLinked(chatId, message),
        publishEvents(db(), now, webhookSettings(), [told]).then((report) => logs.webhooksPublished(event.document, report)),
      ]);
      for (const outcome of [preview, webhooks]) if (outcome.status === "rejected") throw outcome.reason;
    }),
);

/** The link preview of `message` when it is a text with an http(s) URL and previews are on (no read otherwise). */
async function previewIfLinked(chatId: string, message: MessageDoc): Promise<void> {
  if (!config().linkPreviews || message.type !== "text" || !firstUrl(message.text)) return;
  const { number } = message;
  const outcome = await previewLink(db(), { bucket: bucket(), chatId, number, allowedIps: config().linkPreviewAllowedIps });
  logs.linkPreview(chatId, number, outcome);
}
