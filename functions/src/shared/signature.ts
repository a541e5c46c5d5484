// The signature of every request Parley sends to an integrator (webhook deliveries, the
// before-send hook), as Stripe signs its webhooks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<body>">` under the deployment's secret (WEBHOOK_SIGNING_SECRET; the hook's
// BEFORE_SEND_HOOK_SECRET). The timestamp is signed too, so a captured request can't be replayed
// after the tolerance. No Firebase import: integrators may copy this file (README, "Webhooks").
import { createHmac, timingSafeEqual } from "node:crypto";

/** The header carrying the signature. */
export const SIGNATURE_HEADER = "x-parley-signature";
/** The header carrying the event id (also `id` in the body): the same on every attempt. */
export const EVENT_ID_HEADER = "x-parley-event-id";
/** How old a signature's timestamp may be, in seconds, before {@link verifySignature} refuses it. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`. */
function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/**
 * The {@link SIGNATURE_HEADER} value of `body` (the exact bytes sent, as a UTF-8 string) signed at
 * `timestamp` (Unix seconds): `t=<timestamp>,v1=<hex>`.
 */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/** What {@link verifySignature} checks. */
export interface SignedDelivery {
  /** The {@link SIGNATURE_HEADER} header as received. */
  header: string | undefined;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  body: string;
  /** The deployment's WEBHOOK_SIGNING_SECRET. */
  secret: string;
  /** The receiver's clock (default: now). */
  now?: Date;
  /** Oldest timestamp accepted, in seconds before `now` (default {@link SIGNATURE_TOLERANCE_SECONDS}). */
  toleranceSeconds?: number;
}

/**
 * Whether a delivery is genuine: its header parses, one of its `v1` signatures is the HMAC of its
 * timestamp and body under `secret` (compared in constant time), and the timestamp is within
 * `toleranceSeconds` of `now` (not more than that in the future either). Never throws.
 */
export function verifySignature(delivery: SignedDelivery): boolean {
  const parts = (delivery.header ?? "").split(",").map((part) => part.trim().split("="));
  const timestamps = parts.filter(([key]) => key === "t").map(([, value]) => Number(value));
  const signatures = parts.filter(([key, value]) => key === "v1" && /^[0-9a-f]{64}$/.test(value ?? "")).map(([, value]) => value);
  if (timestamps.length !== 1 || !Number.isSafeInteger(timestamps[0]) || signatures.length === 0) return false;
  const timestamp = timestamps[0];
  const nowSeconds = Math.floor((delivery.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (delivery.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(hmac(delivery.secret, timestamp, delivery.body), "hex");
  return signatures.some((signature) => timingSafeEqual(Buffer.from(signature, "hex"), expected));
}
