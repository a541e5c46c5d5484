import { onDocumentCreated } from "firebase-functions/firestore";
import { pushTransport as transport } from "../config.js";
import { logs } from "../logs.js";
import { triggerDocuments } from "../shared/collections.js";
import { db } from "../shared/firebase.js";
import { converters } from "../shared/model.js";
import { handleEvent } from "../triggers.js";
import { deliverThreadPush } from "./deliver-thread-push.js";

/**
 * Thread reply trigger, retried on failure (see `handleEvent`): pushes the reply to the
 * thread's participants (`deliverThreadPush`; their external events were set by the reply's
 * batch). A thread has at most `MAX_THREAD_PARTICIPANTS`, so one run is short.
 */
export const onReplyCreated = onDocumentCreated({ document: triggerDocuments.reply, retry: true }, (event) =>
  handleEvent("onReplyCreated", { id: event.id, time: event.time, subject: event.document }, async (now) => {
    if (!event.data) return;
    // The trigger's snapshot was read without a converter: typed through the replies' one.
    const message = converters.replies.fromFirestore(event.data);
    const { chatId } = event.params;
    const report = await deliverThreadPush(db(), now, transport(now), { id: event.id, chatId, message });
    logs.pushDelivered(chatId, message.number, report);
  }),
);
