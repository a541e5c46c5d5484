import { getMessaging } from "firebase-admin/messaging";
import { onDocumentCreated } from "firebase-functions/firestore";
import { config } from "../config.js";
import { logs } from "../logs.js";
import { db } from "../shared/firebase.js";
import type { MessageDoc } from "../shared/model.js";
import { deliverPush } from "./deliver-push.js";
import { fcmTransport, outboxTransport } from "./transport.js";

/** Push trigger: every new message notifies the other members' devices (see `deliverPush`). */
export const onMessageCreated = onDocumentCreated("chats/{chatId}/messages/{messageId}", async (event) => {
  const message = event.data?.data() as MessageDoc | undefined;
  if (!message) return;
  const now = new Date();
  const transport = config().pushTransport === "outbox" ? outboxTransport(db(), now) : fcmTransport(getMessaging());
  const report = await deliverPush(db(), now, transport, { id: event.id, chatId: event.params.chatId, message });
  logs.pushDelivered(event.params.chatId, message.number, report);
});
