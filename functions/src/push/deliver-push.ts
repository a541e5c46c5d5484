import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { isMuted } from "../chats/mute-chat.js";
import { removeDevice } from "../devices/unregister-device.js";
import { refs, type ChatDoc, type DeviceDoc, type MessageDoc, type PushEventDoc, type UserDoc } from "../shared/model.js";
import { pushMessage } from "./notification.js";
import type { PushTransport } from "./transport.js";

/** FCM's answers meaning "this token will never work again": the device is removed. */
export const DEAD_TOKEN_CODES: ReadonlySet<string> = new Set([
  "messaging/registration-token-not-registered",
  "messaging/invalid-registration-token",
]);

/** How long a handled event is remembered (a TTL policy on `push-events.expiresAt` may purge it). */
const EVENT_MEMORY_DAYS = 7;

/** A message-created event: its id (the same on every redelivery), the chat and the message. */
export interface MessageCreatedEvent {
  id: string;
  chatId: string;
  message: MessageDoc;
}

/** What one run of the push trigger did. */
export interface PushReport {
  /** The event had been handled before: nothing was sent. */
  duplicate: boolean;
  sent: number;
  failed: number;
  /** Devices removed because FCM called their token dead. */
  removedDevices: number;
}

/**
 * Sends the push notifications for a new message of a 1:1 chat: one FCM message per registered
 * device of the recipient, unless they muted the chat and the message does not mention them. System messages and deleted messages send
 * nothing. (A room's pushes go out page by page with its fan-out: see `fanOutPage`.)
 * Reads `chats/{chatId}`; then as {@link pushToMembers}.
 */
export async function deliverPush(
  db: Firestore,
  now: Date,
  transport: PushTransport,
  event: MessageCreatedEvent,
): Promise<PushReport> {
  const { chatId, message } = event;
  const chat = pushes(message) ? ((await refs.chat(db, chatId).get()).data() as ChatDoc | undefined) : undefined;
  const recipients = (chat?.members ?? []).filter(
    (uid) => uid !== message.from && (!isMuted(chat?.mutedUntil?.[uid], now) || mentionedIn(message, uid)),
  );
  return pushToMembers(db, now, transport, event, recipients);
}

/** Whether `message` mentions `uid`: a mention pushes even into a muted chat. */
export function mentionedIn(message: MessageDoc, uid: string): boolean {
  return message.mentions?.includes(uid) ?? false;
}

/** Whether a message notifies anyone: not a system message, not deleted. */
export function pushes(message: MessageDoc): boolean {
  return message.type !== "system" && !message.deleted && message.from !== null;
}

const NOTHING = { sent: 0, failed: 0, removedDevices: 0 };

/**
 * Sends `event`'s message to every registered device of `recipients`, titled with the sender's
 * name (and, in a room, the room's `roomTitle`).
 *
 * Events are delivered at least once, so the event id is claimed first in a transaction
 * (`push-events/{eventId}`); a redelivered event finds its claim and sends nothing. If the
 * transport fails as a whole, the claim is released so that a redelivery can try again.
 * Tokens FCM reports dead ({@link DEAD_TOKEN_CODES}) are removed. When done, the claim records
 * the counts and `finishedAt`.
 * Reads `users/{sender}`, `users/{recipient}/devices`; writes `push-events/`, and removes dead
 * devices.
 */
export async function pushToMembers(
  db: Firestore,
  now: Date,
  transport: PushTransport,
  event: MessageCreatedEvent,
  recipients: string[],
  roomTitle?: string,
): Promise<PushReport> {
  if (!(await claimEvent(db, now, event))) return { duplicate: true, ...NOTHING };
  const report = await send(db, transport, event, recipients, roomTitle);
  await refs.pushEvent(db, event.id).update({ ...report, finishedAt: Timestamp.fromDate(now) });
  return { duplicate: false, ...report };
}

async function send(
  db: Firestore,
  transport: PushTransport,
  { id: eventId, chatId, message }: MessageCreatedEvent,
  recipients: string[],
  roomTitle: string | undefined,
): Promise<Omit<PushReport, "duplicate">> {
  if (recipients.length === 0) return NOTHING;
  const senderSnap = await refs.user(db, message.from as string).get();
  const senderName = (senderSnap.data() as UserDoc | undefined)?.displayName ?? "New message";
  const devices = (await Promise.all(recipients.map((uid) => devicesOf(db, uid)))).flat();
  if (devices.length === 0) return NOTHING;
  const messages = devices.map((device) => pushMessage(device.token, chatId, message, senderName, roomTitle));
  let result;
  try {
    const context = { eventId, chatId, number: message.number, recipients: devices.map((device) => device.uid) };
    result = await transport(messages, context);
  } catch (error) {
    await refs.pushEvent(db, eventId).delete();
    throw error;
  }
  const dead = devices.filter((_, i) => {
    const code = result.responses[i]?.error?.code;
    return code !== undefined && DEAD_TOKEN_CODES.has(code);
  });
  const removed = await Promise.all(dead.map((device) => removeDevice(db, device.uid, device.id)));
  return { sent: result.successCount, failed: result.failureCount, removedDevices: removed.filter(Boolean).length };
}

/** `users/{uid}/devices`, each with its owner and doc id (the token hash). */
async function devicesOf(db: Firestore, uid: string) {
  const snap = await refs.devices(db, uid).get();
  return snap.docs.map((doc) => ({ uid, id: doc.id, ...(doc.data() as DeviceDoc) }));
}

/** Records `eventId` as handled; `false` when it already was. One transaction. */
function claimEvent(db: Firestore, now: Date, { id, chatId, message: { number } }: MessageCreatedEvent): Promise<boolean> {
  const ref = refs.pushEvent(db, id);
  return db.runTransaction(async (tx) => {
    if ((await tx.get(ref)).exists) return false;
    const expiresAt = Timestamp.fromMillis(now.getTime() + EVENT_MEMORY_DAYS * 86_400_000);
    tx.create(ref, { chatId, number, createdAt: Timestamp.fromDate(now), expiresAt } satisfies PushEventDoc);
    return true;
  });
}
