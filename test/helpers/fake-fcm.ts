import { Timestamp } from "firebase-admin/firestore";
import type { BatchResponse, SendResponse, TokenMessage } from "firebase-admin/messaging";
import type { PushTransport } from "../../functions/src/push/transport.js";
import { tokenHash } from "../../functions/src/devices/token-hash.js";
import { adminDb } from "./admin.js";

// There is no FCM emulator (../shared/notes/emulators.md). This stands in for `Messaging.sendEach`
// at the transport boundary, answering in its shape and with its error codes, and records what
// FCM would have accepted, device by device.

/** How FCM answers one message: `ok` (accepted), or the FCM error code it refuses it with. */
export type FcmAnswer = string;

/** What the fake FCM accepted and refused. */
export interface FakeFcm {
  transport: PushTransport;
  /** Accepted messages per token: a count over 1 is a device pushed twice. */
  accepted: Map<string, number>;
  /** Calls that failed as a whole (a timeout), and calls whose answer was lost after FCM accepted. */
  calls: { total: number; timedOut: number; lostAnswers: number; accepted: number; refused: number };
}

/** How the fake FCM behaves for each call and message. */
export interface FcmBehaviour {
  /** Per message: `ok`, or the FCM code to refuse it with. */
  answer: (token: string) => FcmAnswer;
  /** Per call: `timeout` fails it before FCM sends anything; `lost-answer` sends, then fails. */
  call?: (eventId: string) => "ok" | "timeout" | "lost-answer";
}

/** A fake FCM transport with `behaviour`. */
export function fakeFcm(behaviour: FcmBehaviour): FakeFcm {
  const accepted = new Map<string, number>();
  const calls = { total: 0, timedOut: 0, lostAnswers: 0, accepted: 0, refused: 0 };
  const transport: PushTransport = (messages: TokenMessage[], context) => {
    calls.total++;
    const mode = behaviour.call?.(context.eventId) ?? "ok";
    if (mode === "timeout") {
      calls.timedOut++;
      return Promise.reject(Object.assign(new Error("FCM did not answer in time (injected)"), { name: "TimeoutError" }));
    }
    const responses: SendResponse[] = messages.map(({ token }) => {
      const answer = behaviour.answer(token);
      if (answer === "ok") {
        accepted.set(token, (accepted.get(token) ?? 0) + 1);
        calls.accepted++;
        return { success: true, messageId: `projects/demo/messages/${calls.accepted}` };
      }
      calls.refused++;
      const error = { code: answer, message: answer, toJSON: () => ({ code: answer, message: answer }) };
      return { success: false, error };
    });
    if (mode === "lost-answer") {
      calls.lostAnswers++;
      return Promise.reject(Object.assign(new Error("connection reset after FCM accepted (injected)"), { code: "ECONNRESET" }));
    }
    const failureCount = responses.filter((response) => !response.success).length;
    const result: BatchResponse = { responses, successCount: responses.length - failureCount, failureCount };
    return Promise.resolve(result);
  };
  return { transport, accepted, calls };
}

/** Registers `token` as a device of `uid` straight in Firestore, as `registerDevice` leaves it. */
export async function seedDevice(uid: string, token: string): Promise<void> {
  const at = Timestamp.now();
  const id = tokenHash(token);
  await adminDb()
    .batch()
    .set(adminDb().doc(`users/${uid}/devices/${id}`), { token, platform: "android", createdAt: at, updatedAt: at })
    .set(adminDb().doc(`device-tokens/${id}`), { uid, updatedAt: at })
    .commit();
}
