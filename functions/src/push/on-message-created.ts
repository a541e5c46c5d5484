import { onDocumentCreated } from "firebase-functions/firestore";
import { pushTransport as transport } from "../config.js";
import { logs } from "../logs.js";
import { db } from "../shared/firebase.js";
import { converters, isDirectChatId } from "../shared/model.js";
import { handleEvent } from "../triggers.js";
import { deliverPush } from "./deliver-push.js";
import { fanOutMessage } from "./fan-out.js";

/**
 * Message trigger, retried on failure (see `handleEvent`). A 1:1 chat's message pushes to the
 * recipient (`deliverPush`; their external event was set by the send). A room's message fans
 * out to its members, all uid ranges at once (`fanOutMessage`). A room of 10,000 takes one
 * run: up to 5 minutes and 512 MiB.
 */
export const onMessageCreated = onDocumentCreated(
  { document: "chats/{chatId}/messages/{messageId}", retry: true, timeoutSeconds: 300, memory: "512MiB" },
  (event) =>
    handleEvent("onMessageCreated", { id: event.id, time: event.time, subject: event.document }, async (now) => {
      if (!event.data) return;
      // The trigger's snapshot was read without a converter: typed through the messages' one.
      const message = converters.messages.fromFirestore(event.data);
      const { chatId } = event.params;
      if (isDirectChatId(chatId)) {
        const report = await deliverPush(db(), now, transport(now), { id: event.id, chatId, message });
        logs.pushDelivered(chatId, message.number, report);
        return;
      }
      const report = await fanOutMessage(db(), now, transport(now), { chatId, message });
      logs.fannedOut(chatId, message.number, report);
    }),
);
