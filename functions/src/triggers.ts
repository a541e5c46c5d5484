import { config } from "./config.js";
import { logs } from "./logs.js";
import { errorSummary, isTransient, recordFailedEvent } from "./shared/failures.js";
import { db } from "./shared/firebase.js";

/** What every trigger knows of the event it was given. */
export interface DeliveredEvent {
  /** The event id: the same on every delivery of one event. */
  id: string;
  /** When the event happened (RFC 3339), not when this delivery started. */
  time: string;
  /** The document or user the event is about, for logs and failure records. */
  subject: string;
}

/**
 * Every trigger's policy on failure; the triggers are deployed with retries on, so a handler
 * that throws is delivered again, for up to 7 days. Here:
 * - an event older than `EVENT_MAX_AGE_MINUTES` is dropped (logged, and recorded in
 *   `failed-events/`), so a poison event can't retry for a week;
 * - a transient failure ({@link isTransient}) is logged and thrown again: the runtime retries;
 * - any other failure is permanent: logged, recorded in `failed-events/{trigger}-{eventId}`, and
 *   the event ends (the handler returns).
 * @throws the handler's error when it is transient, or a failure to record a permanent one.
 */
export async function handleEvent(trigger: string, event: DeliveredEvent, handle: (now: Date) => Promise<void>): Promise<void> {
  const now = new Date();
  const ageMs = now.getTime() - Date.parse(event.time);
  const failed = { trigger, eventId: event.id, subject: event.subject };
  if (ageMs > config().eventMaxAgeMinutes * 60_000) {
    logs.eventDropped(trigger, event.id, ageMs);
    await recordFailedEvent(db(), now, { ...failed, reason: "too-old" });
    return;
  }
  try {
    await handle(now);
  } catch (error) {
    if (isTransient(error)) {
      logs.eventRetried(trigger, event.id, errorSummary(error));
      throw error;
    }
    logs.eventFailed(trigger, event.id, error);
    await recordFailedEvent(db(), now, { ...failed, reason: "permanent", error });
  }
}
