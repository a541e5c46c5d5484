import { getMessaging } from "firebase-admin/messaging";
import { onDocumentCreated } from "firebase-functions/firestore";
import { config } from "../config.js";
import { logs } from "../logs.js";
import { db } from "../shared/firebase.js";
import { isDirectChatId, refs, type FanOutDoc, type MessageDoc } from "../shared/model.js";
import { deliverPush } from "./deliver-push.js";
import { fanOutPage } from "./fan-out.js";
import { fcmTransport, outboxTransport, type PushTransport } from "./transport.js";

function transport(now: Date): PushTransport {
  return config().pushTransport === "outbox" ? outboxTransport(db(), now) : fcmTransport(getMessaging());
}

/**
 * Message trigger. A 1:1 chat's message pushes to the recipient (`deliverPush`; their external
 * event was set by the send). A room's message starts its fan-out: page 0 here (`fanOutPage`).
 */
export const onMessageCreated = onDocumentCreated("chats/{chatId}/messages/{messageId}", async (event) => {
  const message = event.data?.data() as MessageDoc | undefined;
  if (!message) return;
  const now = new Date();
  const { chatId } = event.params;
  if (isDirectChatId(chatId)) {
    const report = await deliverPush(db(), now, transport(now), { id: event.id, chatId, message });
    logs.pushDelivered(chatId, message.number, report);
    return;
  }
  const report = await fanOutPage(db(), now, transport(now), { chatId, message, page: 0, after: null });
  logs.fannedOut(chatId, message.number, 0, report);
});

/** Fan-out trigger: a page's marker, once written, starts the next page of the room's members. */
export const onFanOutPage = onDocumentCreated("fan-outs/{id}", async (event) => {
  const marker = event.data?.data() as FanOutDoc | undefined;
  if (!marker || marker.next === null) return;
  const messageSnap = await refs.message(db(), marker.chatId, marker.number).get();
  const message = messageSnap.data() as MessageDoc | undefined;
  if (!message) return;
  const now = new Date();
  const task = { chatId: marker.chatId, message, page: marker.page + 1, after: marker.next };
  const report = await fanOutPage(db(), now, transport(now), task);
  logs.fannedOut(marker.chatId, message.number, task.page, report);
});
