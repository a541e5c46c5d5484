import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { BatchResponse, Messaging, TokenMessage } from "firebase-admin/messaging";
import { refs, type PushOutboxDoc } from "../shared/model.js";

/** Which message of a push event goes to which recipient. */
export interface PushContext {
  eventId: string;
  chatId: string;
  number: number;
  /** The recipient uid of each message, index for index. */
  recipients: string[];
  /** The device id (token hash) of each message, index for index. */
  devices: string[];
}

/**
 * Sends FCM messages and answers as `Messaging.sendEach` does: one `SendResponse` per message,
 * in order, failures carrying FCM's error code (e.g. `messaging/registration-token-not-registered`).
 */
export type PushTransport = (messages: TokenMessage[], context: PushContext) => Promise<BatchResponse>;

/** FCM takes at most 500 messages per `sendEach` (and a Firestore batch 500 writes). */
const FCM_BATCH = 500;

/** The production transport: Firebase Cloud Messaging through the Admin SDK. */
export function fcmTransport(messaging: Messaging): PushTransport {
  return async (messages) => {
    const batches: BatchResponse[] = [];
    for (let i = 0; i < messages.length; i += FCM_BATCH) {
      batches.push(await messaging.sendEach(messages.slice(i, i + FCM_BATCH)));
    }
    return {
      responses: batches.flatMap((batch) => batch.responses),
      successCount: batches.reduce((sum, batch) => sum + batch.successCount, 0),
      failureCount: batches.reduce((sum, batch) => sum + batch.failureCount, 0),
    };
  };
}

/**
 * There is no FCM emulator: this transport writes each message, exactly as it would go to FCM,
 * to `push-outbox/{eventId}-{deviceId}` and reports success. Sending one event to one device
 * again overwrites the same doc.
 */
export function outboxTransport(db: Firestore, now: Date): PushTransport {
  return async (messages, { eventId, chatId, number, recipients, devices }) => {
    const docs = messages.map((message, index) => {
      const doc: PushOutboxDoc = {
        eventId,
        chatId,
        number,
        uid: recipients[index],
        message: JSON.parse(JSON.stringify(message)) as Record<string, unknown>,
        createdAt: Timestamp.fromDate(now),
      };
      return doc;
    });
    // A batch takes at most 500 writes.
    for (let start = 0; start < docs.length; start += FCM_BATCH) {
      const batch = db.batch();
      docs.slice(start, start + FCM_BATCH).forEach((doc, i) => {
        batch.set(refs.pushOutbox(db).doc(`${eventId}-${devices[start + i]}`), doc);
      });
      await batch.commit();
    }
    return {
      responses: messages.map((_, index) => ({ success: true, messageId: `outbox/${eventId}-${devices[index]}` })),
      successCount: messages.length,
      failureCount: 0,
    };
  };
}
