// When a failed webhook delivery is tried again. Pure.

/**
 * Waits after each failed attempt, in milliseconds: none, 5 min, 15 min, 40 min (about an hour in
 * all). The first retry is due at once, so `webhookRetryJob`, which runs every minute, tries it
 * again within a minute of the failure.
 */
export const RETRY_DELAYS_MS = [0, 300_000, 900_000, 2_400_000] as const;
/** Attempts a delivery gets at most: the first and one per {@link RETRY_DELAYS_MS}. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/**
 * A delivery is given up at its next failure once this old (2 h, in milliseconds): one that waited
 * behind an earlier delivery of its chat gets no fresh hour of retries of its own.
 */
export const MAX_DELIVERY_AGE_MS = 2 * 3_600_000;

/**
 * When to try a delivery again after its attempt number `attempts` (1-based) failed at `now`, or
 * `null` when it is given up: after {@link MAX_ATTEMPTS} attempts, or when it was created
 * ({@link MAX_DELIVERY_AGE_MS}) ago or longer.
 */
export function nextAttemptAt(createdAt: Date, attempts: number, now: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS || now.getTime() - createdAt.getTime() >= MAX_DELIVERY_AGE_MS) return null;
  return new Date(now.getTime() + RETRY_DELAYS_MS[Math.max(0, attempts - 1)]);
}
