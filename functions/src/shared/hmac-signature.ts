import { createHmac } from "node:crypto";

/**
 * The signature header value of a request Parley sends to an endpoint it calls (the before-send
 * hook): `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under secret>`, as Stripe
 * signs its webhooks. The endpoint recomputes it over the raw body it received, compares in
 * constant time, and refuses a timestamp too far from its clock (a replay).
 * @param secret the shared secret (UTF-8).
 * @param timestamp seconds since the epoch, as sent in `t=`.
 * @param body the exact bytes sent (UTF-8 text).
 */
export function signPayload(secret: string, timestamp: number, body: string): string {
  const digest = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${digest}`;
}
