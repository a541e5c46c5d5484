import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { isMuted } from "../chats/mute-chat.js";
import { removeDevice } from "../devices/unregister-device.js";
import { errorSummary, isTransient, TransientError } from "../shared/failures.js";
import { directMuteOf, getAll, refs, type MessageDoc, type PushEventDoc } from "../shared/model.js";
import { pushMessage, type PushStyle } from "./notification.js";
import type { PushTransport } from "./transport.js";

/**
 * FCM's answers meaning "this token will never work again": the device is removed. FCM's v1 API
 * answers UNREGISTERED (`registration-token-not-registered`) or INVALID_ARGUMENT for a stale or
 * garbled token (Firebase's "Manage FCM registration tokens"); Parley's messages are built by
 * `pushMessage` and checked by tests, so an INVALID_ARGUMENT is the token's.
 */
export const DEAD_TOKEN_CODES: ReadonlySet<string> = new Set([
  "messaging/registration-token-not-registered",
  "messaging/invalid-registration-token",
  "messaging/invalid-argument",
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
 * device of the recipient, unless they muted the chat: in a 1:1 chat a mention doesn't
 * override mute (the sender could mention in every message), while in a room it does. System
 * messages and deleted messages send nothing. A message request pushes once: its first
 * message, as a quiet notification without its text; a declined one never. (A room's pushes go out page by page with its fan-out: see `fanOutMessage`.)
 * Reads `chats/{chatId}` and the recipient's `user-settings/{uid}` (their private mute, see
 * `timeline/private-state.ts`); then as {@link pushToMembers}.
 */
export async function deliverPush(
  db: Firestore,
  now: Date,
  transport: PushTransport,
  event: MessageCreatedEvent,
): Promise<PushReport> {
  const { chatId, message } = event;
  const chat = pushes(message) ? (await refs.chat(db, chatId).get()).data() : undefined;
  const request = chat?.request;
  // A message request pushes its recipient once, quietly: for its first message only.
  if (request && (request.state === "declined" || message.number > 1)) {
    return pushToMembers(db, { now, transport, event, recipients: [] });
  }
  const others = (chat?.members ?? []).filter((uid) => uid !== message.from);
  const settings = others.length === 0 ? [] : await getAll(db, ...others.map((uid) => refs.userSettings(db, uid)));
  const recipients = others.filter((uid, i) => chat && !isMuted(directMuteOf(chat, chatId, uid, settings[i].data()), now));
  return pushToMembers(db, { now, transport, event, recipients, style: request ? { request: true } : {} });
}

/** Whether `message` mentions `uid`: in a room, a mention pushes even into a muted room. */
export function mentionedIn(message: MessageDoc, uid: string): boolean {
  return message.mentions?.includes(uid) ?? false;
}

/** Whether a message notifies anyone: not a system message, not deleted. */
export function pushes(message: MessageDoc): boolean {
  return message.type !== "system" && !message.deleted && message.from !== null;
}

const NOTHING = { sent: 0, failed: 0, removedDevices: 0 };

/** How long a run owns a push claim: past it, a redelivery may take the claim over. */
const CLAIM_LEASE_MS = 5 * 60_000;

/** Whose devices {@link pushToMembers} pushes `event`'s message to, how, and when. */
export interface PushToMembersOptions {
  /** The run's time: the claim's lease and `finishedAt`. */
  now: Date;
  /** Sends the FCM messages. */
  transport: PushTransport;
  /** The event, whose id names the claim (`push-events/{eventId}`), and its message. */
  event: MessageCreatedEvent;
  /** The uids to push to. */
  recipients: string[];
  /** How the push reads (a room's title, a message request); default: a 1:1 chat's. */
  style?: PushStyle;
  /**
   * Each recipient's app badge (`unreadTotal`) with the message counted, when the caller has it
   * (the room fan-out's tell phase); a recipient not in it has theirs read.
   */
  badges?: ReadonlyMap<string, number>;
}

/**
 * Sends `event`'s message to every registered device of `recipients`, titled with the sender's
 * name (and, in a room, the room's title; see {@link PushStyle}), carrying the recipient's app
 * badge: from `badges`, or else their `users-external-event/{uid}` `unreadTotal` as it is now
 * (0 when absent; the message's send, reply or fan-out counted it before this push).
 *
 * Events are delivered at least once, so each run first takes the event's claim
 * (`push-events/{eventId}`, one transaction): a claim already `done` sends nothing; one another
 * run holds (`sending`, its lease not over) fails transiently, so the event comes again later.
 * The claim records the devices FCM accepted a message for, and a retried event sends only to
 * the others: a device is pushed twice only when a run dies between FCM's answer and the
 * claim's update (at most that run's devices). FCM's transient answers ({@link isTransient})
 * leave their devices for the next run: the claim is marked `failed` and a {@link TransientError}
 * is thrown, so the trigger retries. Tokens FCM reports dead ({@link DEAD_TOKEN_CODES}) are
 * removed; other refusals count as `failed` and are not retried.
 * Reads `push-events/{eventId}`, `users/{sender}`, `users/{recipient}/devices`, and (one
 * `getAll`) `users-external-event/{uid}` of each recipient with a device to push and no badge
 * in `badges`; writes the claim, and removes dead devices.
 * @throws TransientError when some devices are still to be tried; the transport's error when it
 * failed as a whole (the claim then says `failed`).
 */
export async function pushToMembers(db: Firestore, options: PushToMembersOptions): Promise<PushReport> {
  const { now, transport, event, recipients, style = {}, badges = new Map<string, number>() } = options;
  const settled = await claimPush(db, now, event);
  if (!settled) return { duplicate: true, ...NOTHING };
  const ref = refs.pushEvent(db, event.id);
  let outcome: SendOutcome;
  try {
    outcome = await send(db, transport, event, { recipients, ...settled, style, badges });
  } catch (error) {
    await ref.update({ state: "failed", leaseUntil: FieldValue.delete(), error: errorSummary(error) });
    throw error;
  }
  const { retry, ...report } = outcome;
  const counts = { sent: FieldValue.increment(report.sent), failed: FieldValue.increment(report.failed) };
  await ref.update({
    ...counts,
    removedDevices: FieldValue.increment(report.removedDevices),
    delivered: [...settled.delivered],
    refused: [...settled.refused],
    leaseUntil: FieldValue.delete(),
    ...(retry === 0
      ? { state: "done", finishedAt: Timestamp.fromDate(now), error: FieldValue.delete() }
      : { state: "failed", error: { code: "transient", message: `${retry} pushes to retry` } }),
  });
  if (retry > 0) throw new TransientError(`${retry} pushes failed transiently`);
  return { duplicate: false, ...report };
}

/** What one send did: counts as in {@link PushReport}, and how many devices are left to retry. */
type SendOutcome = Omit<PushReport, "duplicate"> & { retry: number };

/** Devices a claim is done with: those FCM accepted a message for, and those it refused for good. */
interface Settled {
  delivered: Set<string>;
  refused: Set<string>;
}

/** Who to push to, the devices settled before (added to as FCM answers), the room's title, the badges known. */
interface SendTargets extends Settled {
  recipients: string[];
  style: PushStyle;
  badges: ReadonlyMap<string, number>;
}

async function send(
  db: Firestore,
  transport: PushTransport,
  { id: eventId, chatId, message }: MessageCreatedEvent,
  { recipients, delivered, refused, style, badges }: SendTargets,
): Promise<SendOutcome> {
  if (recipients.length === 0) return { ...NOTHING, retry: 0 };
  const all = (await Promise.all(recipients.map((uid) => devicesOf(db, uid)))).flat();
  const devices = all.filter((device) => !delivered.has(device.id) && !refused.has(device.id));
  if (devices.length === 0) return { ...NOTHING, retry: 0 };
  const [senderSnap, badgeOf] = await Promise.all([
    message.from === null ? undefined : refs.user(db, message.from).get(),
    badgesOf(db, devices, badges),
  ]);
  const senderName = senderSnap?.data()?.displayName ?? "New message";
  const messages = devices.map((device) =>
    pushMessage({ token: device.token, chatId, message, senderName, style, badge: badgeOf(device.uid) }),
  );
  const context = {
    eventId,
    chatId,
    number: message.number,
    recipients: devices.map((device) => device.uid),
    devices: devices.map((device) => device.id),
  };
  const result = await transport(messages, context);
  const dead: typeof devices = [];
  let retry = 0;
  devices.forEach((device, i) => {
    const response = result.responses[i];
    if (response?.success) delivered.add(device.id);
    else if (DEAD_TOKEN_CODES.has(response?.error?.code ?? "")) dead.push(device);
    else if (response === undefined || isTransient(response.error)) retry++;
    else refused.add(device.id);
  });
  const removed = await Promise.all(dead.map((device) => removeDevice(db, device.uid, device.id)));
  const sent = result.responses.filter((response) => response.success).length;
  return { sent, failed: devices.length - sent - retry, removedDevices: removed.filter(Boolean).length, retry };
}

/**
 * The app badge of each device's owner: from `known`, else their `unreadTotal` (0 when absent),
 * read in one `getAll` of `users-external-event/{uid}` (none when all are known).
 */
async function badgesOf(
  db: Firestore,
  devices: { uid: string }[],
  known: ReadonlyMap<string, number>,
): Promise<(uid: string) => number> {
  const unknown = [...new Set(devices.map(({ uid }) => uid))].filter((uid) => !known.has(uid));
  const snaps = unknown.length === 0 ? [] : await getAll(db, ...unknown.map((uid) => refs.externalEvent(db, uid)));
  const read = new Map(snaps.map((snap) => [snap.id, snap.data()?.unreadTotal ?? 0]));
  return (uid) => known.get(uid) ?? read.get(uid) ?? 0;
}

/** `users/{uid}/devices`, each with its owner and doc id (the token hash). */
async function devicesOf(db: Firestore, uid: string) {
  const snap = await refs.devices(db, uid).get();
  return snap.docs.map((doc) => ({ uid, id: doc.id, ...doc.data() }));
}

/**
 * Takes `event`'s claim for this run (one transaction over `push-events/{eventId}`): the
 * devices settled before, or `null` when the claim is `done`.
 * @throws TransientError while another run holds the claim.
 */
function claimPush(db: Firestore, now: Date, { id, chatId, message: { number } }: MessageCreatedEvent): Promise<Settled | null> {
  const ref = refs.pushEvent(db, id);
  const leaseUntil = Timestamp.fromMillis(now.getTime() + CLAIM_LEASE_MS);
  return db.runTransaction(async (tx) => {
    const claim = (await tx.get(ref)).data();
    if (!claim) {
      const expiresAt = Timestamp.fromMillis(now.getTime() + EVENT_MEMORY_DAYS * 86_400_000);
      const created: PushEventDoc = {
        ...{ chatId, number, state: "sending", attempts: 1, delivered: [], refused: [], leaseUntil },
        ...{ createdAt: Timestamp.fromDate(now), expiresAt, ...NOTHING },
      };
      tx.create(ref, created);
      return { delivered: new Set<string>(), refused: new Set<string>() };
    }
    // Claims written before states existed were made done (`finishedAt`) or released (deleted).
    const state = claim.state ?? (claim.finishedAt ? "done" : "failed");
    if (state === "done") return null;
    if (state === "sending" && claim.leaseUntil && claim.leaseUntil.toMillis() > now.getTime()) {
      throw new TransientError("another run holds this push event's claim");
    }
    tx.update(ref, { state: "sending", attempts: FieldValue.increment(1), leaseUntil });
    return { delivered: new Set(claim.delivered ?? []), refused: new Set(claim.refused ?? []) };
  });
}
