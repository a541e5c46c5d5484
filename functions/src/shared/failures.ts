import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { errorCode, isClosedTransaction } from "./errors.js";
import { refs, type FailedEventDoc } from "./model.js";

// How a trigger tells a failure worth retrying from one that will fail again however often it
// runs. A trigger that throws is delivered again (`retry: true`), so only transient failures may
// be thrown; a permanent one is recorded in `failed-events/` and the event ends there.

/** gRPC statuses (Firestore, Storage over gRPC) that a later attempt may not meet. */
const TRANSIENT_GRPC = new Set([
  1, // CANCELLED
  2, // UNKNOWN: what the SDK reports for a dropped stream
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED: quota or rate
  10, // ABORTED: a transaction lost its lock
  13, // INTERNAL
  14, // UNAVAILABLE
]);

/** FCM and Admin SDK answers that mean "try again later". */
const TRANSIENT_CODES = new Set([
  "messaging/server-unavailable",
  "messaging/internal-error",
  "messaging/unknown-error",
  "messaging/message-rate-exceeded",
  "messaging/device-message-rate-exceeded",
  "messaging/quota-exceeded",
  "messaging/unavailable",
  "messaging/internal",
  "app/network-error",
  "app/network-timeout",
  "auth/internal-error",
  // Node's network errors
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
]);

/** HTTP statuses of a REST dependency (Cloud Storage's JSON API) that a retry may not meet. */
const TRANSIENT_HTTP = new Set([408, 429, 500, 502, 503, 504]);

/** A failure Parley itself knows will pass: another runner holds a lease, some pushes must be resent. */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransientError";
  }
}

/**
 * Whether a later attempt may succeed where this one failed: gRPC CANCELLED, UNKNOWN,
 * DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL and UNAVAILABLE; FCM's unavailable,
 * internal and rate answers; network errors and timeouts; HTTP 408, 429 and 5xx; a
 * {@link TransientError}. Everything else (a bad argument, a missing document, a bug) is permanent.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError || isClosedTransaction(error)) return true;
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) return true;
  const code = errorCode(error);
  if (typeof code === "number") return TRANSIENT_GRPC.has(code) || TRANSIENT_HTTP.has(code);
  if (typeof code === "string") return TRANSIENT_CODES.has(code);
  return false;
}

/** An error as a failure record may keep it: its code (as text) and its first 300 characters. */
export function errorSummary(error: unknown): { code: string; message: string } {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: code === undefined ? (error instanceof Error ? error.name : "unknown") : String(code),
    message: message.slice(0, 300),
  };
}

/** How long a failure record is kept (a TTL policy on `failed-events.expiresAt` may purge it). */
const FAILURE_MEMORY_DAYS = 30;

/** What a trigger knew of an event that it gave up on. */
export interface FailedEvent {
  /** The deployed function's name, e.g. `onMessageCreated`. */
  trigger: string;
  /** The event id (the same on every delivery of one event). */
  eventId: string;
  /** The document or user the event is about, e.g. `chats/abc/messages/0000000001`. */
  subject: string;
  /** `permanent`: it would fail again; `too-old`: it outlived `EVENT_MAX_AGE_MINUTES`. */
  reason: "permanent" | "too-old";
  error?: unknown;
}

/**
 * Records an event a trigger gave up on in `failed-events/{trigger}-{eventId}` (a `set`, so a
 * second record of one event replaces the first), for operators to list and replay.
 */
export async function recordFailedEvent(db: Firestore, now: Date, failed: FailedEvent): Promise<void> {
  const doc: FailedEventDoc = {
    trigger: failed.trigger,
    eventId: failed.eventId,
    subject: failed.subject,
    reason: failed.reason,
    error: failed.error === undefined ? null : errorSummary(failed.error),
    failedAt: Timestamp.fromDate(now),
    expiresAt: Timestamp.fromMillis(now.getTime() + FAILURE_MEMORY_DAYS * 86_400_000),
  };
  await refs.failedEvent(db, `${failed.trigger}-${failed.eventId}`).set(doc);
}
